"""Content problems, reported the way an editor can act on them: file, line, field, what to do."""

from __future__ import annotations

from dataclasses import dataclass


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
