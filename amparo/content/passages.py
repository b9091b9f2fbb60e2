"""Where facts come from: the passages of the official sources that content texts cite.

A text in a guide, in shared.yml or in the quiz may carry `passages`: a short quote copied
from its source, or a line range of the source file. The check makes sure every quote is
really there, so a legal review can be redone against the sources and `amparo changes` can
say which texts lose their passage when a source file changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from pydantic import BaseModel

from .errors import Problem
from .models import Passage, Text
from .yaml_lines import YamlDocument, dotted


@dataclass(frozen=True)
class PassageUse:
    """One passage where it is written, with what it supports."""

    file: str
    line: int
    field: str                 # e.g. steps[0].passages[1]
    owner: str                 # stable path of ids of what it supports, e.g. <guide id>.steps.<step id>
    source: str | None         # the source it is checked against (None: none could be decided)
    passage: Passage
    texts: tuple[str, ...]     # the Spanish texts of what it supports, for reviewers
    field_lines: tuple[tuple[str, int], ...] = ()   # line of each of its keys (source, quote, lines)

    def line_of(self, key: str) -> int:
        return dict(self.field_lines).get(key, self.line)


def normalised(text: str) -> str:
    """Spaces and line breaks do not count: the sources keep their PDF layout."""
    return " ".join(text.split())


def line_span(lines: str) -> tuple[int, int]:
    first, _, last = lines.partition("-")
    return int(first), int(last or first)


def passage_region(passage: Passage, source_text: str) -> str | None:
    """The part of the source the passage may be found in (its lines), None if they are not there."""
    if passage.lines is None:
        return source_text
    first, last = line_span(passage.lines)
    lines = source_text.splitlines()
    if last > len(lines):
        return None
    return "\n".join(lines[first - 1:last])


def quoted_text(passage: Passage, source_text: str) -> str | None:
    """What the passage points at in `source_text`: the quote, or the lines; None if it is not there."""
    region = passage_region(passage, source_text)
    if region is None:
        return None
    if passage.quote is None:
        return normalised(region) or None
    return normalised(passage.quote) if normalised(passage.quote) in normalised(region) else None


def collect(model: Any, document: YamlDocument, display: str, default_source: str | None, top: str) -> list[PassageUse]:
    """Every passage in one parsed file, with its line and the path of ids of what it supports."""
    uses: list[PassageUse] = []

    def walk(value: Any, location: tuple, context: list[str]) -> None:
        if isinstance(value, BaseModel) and not isinstance(value, Passage):
            passages = getattr(value, "passages", None)
            if passages:
                texts = tuple(str(text) for text in _own_texts(value))
                for index, passage in enumerate(passages):
                    where = location + ("passages", index)
                    keys = tuple((key, document.line_of(where + (key,))) for key in ("source", "quote", "lines"))
                    uses.append(PassageUse(display, document.line_of(where), dotted(where), ".".join(context),
                                           passage.source or default_source, passage, texts, keys))
            for name in type(value).model_fields:
                if name != "passages":
                    walk(getattr(value, name), location + (name,), context + [name])
        elif isinstance(value, list):
            for index, item in enumerate(value):
                key = getattr(item, "id", None) or getattr(item, "shared", None) or str(index)
                walk(item, location + (index,), context + [key])
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, location + (key,), context + [str(key)])

    walk(model, (), [top])
    return uses


def _own_texts(model: BaseModel) -> Iterator[Text]:
    """The texts a passage of `model` supports: its own, not those of parts with their own passages."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, Text):
                yield item
            elif isinstance(item, BaseModel) and not getattr(item, "passages", None) and not isinstance(item, Passage):
                yield from _own_texts(item)


def passage_problems(uses: list[PassageUse], source_texts: dict[str, str], source_ids) -> list[Problem]:
    """A passage names a known source, and its quote or lines are really in it."""
    problems = []
    for use in uses:
        passage = use.passage
        if use.source is None:
            problems.append(Problem(use.file, use.line, use.field,
                                    "needs source: the id of the source it comes from (here there is no guide source to default to)"))
            continue
        if use.source not in source_ids:
            known = ", ".join(sorted(source_ids))
            problems.append(Problem(use.file, use.line_of("source"), f"{use.field}.source",
                                    f"refers to source '{use.source}', which does not exist (known: {known})"))
            continue
        text = source_texts.get(use.source)
        if text is None:
            continue   # the missing file is reported by the loader
        region = passage_region(passage, text)
        if region is None:
            count = len(text.splitlines())
            problems.append(Problem(use.file, use.line_of("lines"), f"{use.field}.lines",
                                    f"are {passage.lines}, but source '{use.source}' has {count} lines"))
        elif passage.quote is not None and normalised(passage.quote) not in normalised(region):
            where = f"lines {passage.lines} of source '{use.source}'" if passage.lines else f"source '{use.source}'"
            problems.append(Problem(use.file, use.line_of("quote"), f"{use.field}.quote",
                                    f"is not in {where}{_divergence(passage.quote, region)}: copy the words exactly "
                                    "(only spaces and line breaks may differ)"))
    return problems


def _divergence(quote: str, region: str) -> str:
    """Where a quote stops matching, so the editor knows which word to fix."""
    words = quote.split()
    haystack = normalised(region)
    found = 0
    while found < len(words) and " ".join(words[:found + 1]) in haystack:
        found += 1
    if found == 0:
        return " (not even its first word)"
    return f" (it matches up to «{' '.join(words[max(0, found - 4):found])}», then the source does not have «{words[found]}»)"
