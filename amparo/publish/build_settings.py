"""What a build needs to know besides the content: the languages, the build's day, the limits.

amparo/project.py reads them from mkdocs.yml (the command), amparo/plugin.py from MkDocs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..content.loader import Content

# A source last updated longer ago than this many months may be out of date: the build warns
# and its pages tell readers to check the official text.
MAX_SOURCE_AGE_MONTHS = 12


def months_between(year_month: str, today: date) -> int:
    year, month = (int(part) for part in year_month.split("-"))
    return (today.year - year) * 12 + today.month - month


@dataclass
class Settings:
    """What a build needs to know besides the content."""

    languages: list[str]
    complete_languages: list[str] = dataclasses.field(default_factory=list)
    language_names: dict[str, str] = dataclasses.field(default_factory=dict)   # as each language writes its own name
    docs_dir: Path | None = None           # hand-written pages, whose translations are reported
    runtime_bytes: int = 0                 # what downloading the quiz's runtime costs, said to the reader
    # Counted up to `today` (the build's day); see MAX_SOURCE_AGE_MONTHS.
    max_source_age_months: int = MAX_SOURCE_AGE_MONTHS
    today: date | None = None
    site_url: str = ""                     # where the site is published: the QR codes' addresses
    cache_dir: Path | None = None          # what a build made, for the next (build_cache.py); None: nothing kept on disk

    def stale_sources(self, content: Content) -> dict[str, int]:
        """Source id → its age in months, for the sources older than allowed."""
        today = self.today or date.today()
        ages = {source.id: months_between(source.last_updated, today)
                for source in content.sources.values() if source.last_updated}
        return {source_id: age for source_id, age in ages.items() if age > self.max_source_age_months}
