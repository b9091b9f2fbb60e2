"""Read YAML while remembering the line of every value, so errors can point at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problem

Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

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


class _Constructor(yaml.constructor.SafeConstructor):
    pass


def _plain_scalar(constructor: _Constructor, node: yaml.ScalarNode) -> Any:
    return constructor.construct_object(node, deep=True)


def load_yaml(path: Path, display: str | None = None) -> YamlDocument:
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError([Problem(name, 1, "", f"is not UTF-8 text ({error.reason})")]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        what = error.problem or str(error)
        if error.context:
            what = f"{error.context}, {what}"
        raise ContentError([Problem(name, line, "", f"is not valid YAML: {what}")]) from None
    document = YamlDocument(Path(path), None)
    if root is None:
        raise ContentError([Problem(name, 1, "", "is empty")])
    constructor = _Constructor()
    problems: list[Problem] = []

    def build(node: yaml.Node, location: Path_) -> Any:
        document.lines[location] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = _plain_scalar(constructor, key_node) if isinstance(key_node, yaml.ScalarNode) else None
                key_line = key_node.start_mark.line + 1
                where = ".".join(str(p) for p in location)
                if not isinstance(key, str):
                    problems.append(Problem(name, key_line, where, f"has a key that is not a name: {key!r}"))
                    continue
                if key in result:
                    problems.append(
                        Problem(name, key_line, _join(location, key), "is written twice: keep one of them")
                    )
                    continue
                result[key] = build(value_node, location + (key,))
                # Point errors about a value at its key, where the editor looks for it.
                document.lines[location + (key,)] = key_line
            return result
        if isinstance(node, yaml.SequenceNode):
            return [build(item, location + (index,)) for index, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:merge" or (isinstance(node, yaml.ScalarNode) and node.value == "<<"):
            problems.append(Problem(name, node.start_mark.line + 1, _join(location), "uses YAML merge keys"))
        try:
            return _plain_scalar(constructor, node)
        except yaml.constructor.ConstructorError as error:
            problems.append(Problem(name, node.start_mark.line + 1, _join(location), f"cannot be read: {error.problem}"))
            return None

    document.data = build(root, ())
    if problems:
        raise ContentError(problems)
    return document


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
