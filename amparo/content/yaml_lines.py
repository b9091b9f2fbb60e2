"""Read YAML while remembering the line of every value, so errors can point at it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problem
from .forbidden_characters import decode_utf8, describe, find_forbidden, first_forbidden

Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    sha256: str = ""   # of the bytes it was read from: a key for what is made from it (memo.py)

    def line_of(self, location: Path_) -> int:
        """The line of the deepest part of `location` that exists in the file."""
        best = self.lines.get((), 1)
        current = self.data
        walked: list[str | int] = []
        for part in location:
            if isinstance(current, dict) and part in current:
                current = current[part]
            elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
                current = current[part]
            else:
                # pydantic adds union tags ("inline", "ref") to locations; they are not in the file.
                continue
            walked.append(part)
            best = self.lines.get(tuple(walked), best)
        return best


# libyaml's parser when installed (PyYAML's wheels have it): the same nodes and marks, faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Constructor(yaml.constructor.SafeConstructor):
    pass


def _plain_scalar(constructor: _Constructor, node: yaml.ScalarNode) -> Any:
    return constructor.construct_object(node, deep=True)


def load_yaml(path: Path, display: str | None = None, data: bytes | None = None) -> YamlDocument:
    """The file at `path` (`data`, if it has been read: so the document is what was read, once)."""
    name = display or str(path)
    data = Path(path).read_bytes() if data is None else data
    text, bad_line, why = decode_utf8(data)
    if text is None:
        raise ContentError([Problem(name, bad_line, "", why)])
    found = find_forbidden(text)
    if found:
        # Read the file without them, only to name the field each one is in.
        cleaned = text
        for bad in {item.character for item in found}:
            cleaned = cleaned.replace(bad, " ")
        try:
            lines = _parse(cleaned, name, keep_going=True).lines
        except ContentError:
            lines = {}
        raise ContentError([Problem(name, item.line, _field_at(lines, item.line), item.message) for item in found])
    document = _parse(text, name, Path(path))
    document.sha256 = hashlib.sha256(data).hexdigest()
    return document


def _parse(text: str, name: str, path: Path | None = None, keep_going: bool = False) -> YamlDocument:
    root = _compose(text, name)
    document = YamlDocument(path or Path(name), None)
    builder = _Builder(name, document)
    try:
        document.data = builder.build(root, ())
    except RecursionError:
        raise ContentError([Problem(name, 1, "", "is nested too deeply to be content")]) from None
    if builder.problems and not keep_going:
        raise ContentError(builder.problems)
    return document


def _compose(text: str, name: str) -> yaml.MappingNode:
    """The document's node tree; a ContentError if it is not YAML, is empty, or is not a mapping."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        what = error.problem or str(error)
        if error.context:
            what = f"{error.context}, {what}"
        raise ContentError([Problem(name, yaml_error_line(error), "", f"is not valid YAML: {what}")]) from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise ContentError([Problem(name, line, "", f"is not valid YAML: {describe(chr(error.character))}"
                                    if isinstance(error.character, int) else f"is not valid YAML: {error}")]) from None
    except yaml.YAMLError as error:
        raise ContentError([Problem(name, 1, "", f"is not valid YAML: {error}")]) from None
    except RecursionError:
        raise ContentError([Problem(name, 1, "", "is nested too deeply to be content")]) from None
    if root is None:
        raise ContentError([Problem(name, 1, "", "is empty")])
    if not isinstance(root, yaml.MappingNode):
        raise ContentError([Problem(name, root.start_mark.line + 1, "",
                                    "must be a group of fields (key: value lines, starting with kind:), not a "
                                    + ("list" if isinstance(root, yaml.SequenceNode) else "single value"))])
    return root


class _Builder:
    """Plain values from the node tree, the line of each in `document`, and every problem found."""

    def __init__(self, name: str, document: YamlDocument):
        self.name = name
        self.document = document
        self.constructor = _Constructor()
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def _problem(self, node: yaml.Node, location: Path_, message: str) -> None:
        self.problems.append(Problem(self.name, node.start_mark.line + 1, _join(location), message))

    def build(self, node: yaml.Node, location: Path_) -> Any:
        self.document.lines[location] = node.start_mark.line + 1
        if not isinstance(node, yaml.ScalarNode):
            # An alias (*name) repeats a node: content writes each value out, and a node that
            # contains itself would never end.
            if id(node) in self.seen:
                self._problem(node, location, "repeats another value with a YAML alias (*name): write the value out")
                return None
            self.seen.add(id(node))
            if node.tag not in (yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG):
                self._problem(node, location, f"has a YAML tag ({node.tag}): content is plain values, without tags")
                return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, location)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, location + (index,)) for index, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:merge" or (isinstance(node, yaml.ScalarNode) and node.value == "<<"):
            self._problem(node, location, "uses YAML merge keys")
        return self._scalar(node, location)

    def _mapping(self, node: yaml.MappingNode, location: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node, location) if isinstance(key_node, yaml.ScalarNode) else None
            key_line = key_node.start_mark.line + 1
            where = ".".join(str(p) for p in location)
            if not isinstance(key, str):
                self.problems.append(Problem(self.name, key_line, where, f"has a key that is not a name: {key!r}"))
                continue
            if key in result:
                self.problems.append(
                    Problem(self.name, key_line, _join(location, key), "is written twice: keep one of them")
                )
                continue
            result[key] = self.build(value_node, location + (key,))
            # Point errors about a value at its key, where the editor looks for it.
            self.document.lines[location + (key,)] = key_line
        return result

    def _scalar(self, node: yaml.Node, location: Path_) -> Any:
        try:
            value = _plain_scalar(self.constructor, node)
        except yaml.constructor.ConstructorError as error:
            self._problem(node, location, f"cannot be read: {error.problem}")
            return None
        except (ValueError, TypeError, OverflowError) as error:   # 2025-02-30, say
            self._problem(node, location, f"cannot be read: {error}")
            return None
        if isinstance(value, str):
            # Written as an escape ("\0", "\u202e"), so not seen in the file's text.
            forbidden = first_forbidden(value)
            if forbidden:
                self._problem(node, location, forbidden + " (written as an escape)")
                return None
        return value


def yaml_error_line(error: yaml.MarkedYAMLError) -> int:
    """The line to fix: where an unclosed quote or bracket opens (PyYAML notices it only where the
    text ends), otherwise where PyYAML stopped."""
    opened = error.context_mark if error.context and ("quoted" in error.context or "flow" in error.context) else None
    mark = opened or error.problem_mark or error.context_mark
    return mark.line + 1 if mark else 1


def _field_at(lines: dict[Path_, int], line: int) -> str:
    """The field written on `line` or, failing that, the last one that starts before it."""
    best: tuple[int, int, Path_] | None = None
    for location, start in lines.items():
        if start <= line and (best is None or (start, len(location)) > best[:2]):
            best = (start, len(location), location)
    return dotted(best[2]) if best else ""


def _join(location: Path_, *more: str | int) -> str:
    return dotted(location + tuple(more))


def dotted(location: Path_) -> str:
    """`('steps', 2, 'text')` → `steps[2].text`, the way editors read a path."""
    out = ""
    for part in location:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
