"""Content problems, reported the way an editor can act on them: file, line, field, what to do."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.field} {self.message}" if self.field else f"{where}: {self.message}"


class ContentError(Exception):
    """One or more problems in the content; nothing is built while any remains."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the content (nothing was built):"
        return "\n".join([head, *(f"  {problem}" for problem in self.problems)])


def closest(value: str, known: Iterable[str]) -> str | None:
    """The known name nearest to a mistyped one, if one is near enough."""
    guess = difflib.get_close_matches(value, list(known), n=1)
    return guess[0] if guess else None


def unknown_hint(value: str, known: Iterable[str], listed: str = "known") -> str:
    """« (did you mean 'x'?)» when a known name is near `value`, else « (known: a, b)», in the order given."""
    known = list(known)
    guess = closest(value, known)
    return f" (did you mean '{guess}'?)" if guess else f" ({listed}: {', '.join(known) or 'none'})"
