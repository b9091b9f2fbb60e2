"""Hand-written pages (docs/*.md) and their translations (mkdocs-static-i18n suffix files).

A translation records the Spanish text it translates: `translation: {source: <id>}` in its
front matter, where the id is the git blob id of the Spanish file at that time. The id is
computed from the file's bytes (no git needed to build), and with git it shows what changed
since: `git diff <id> HEAD:docs/seguridad.md`. When the Spanish page changes, its translations
are *outdated* until a translator updates them and runs `amparo translations stamp FILE`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem
from .models import SOURCE_LANGUAGE

# The first line of every page the plugin writes into docs/: not hand-written.
STUB_MARKER = "<!-- amparo:generated -->"
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)


def git_blob_id(data: bytes) -> str:
    """What `git hash-object` prints for a file with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(frozen=True)
class PageTranslation:
    source: str            # the Spanish page, relative to docs/ (seguridad.md)
    language: str
    state: str             # current | outdated | missing
    recorded: str | None   # the source id the translation says it translates
    current: str           # the source id of the Spanish page now

    @property
    def file(self) -> str:
        return translation_file(self.source, self.language)


def translation_file(source: str, language: str) -> str:
    return source[: -len(".md")] + f".{language}.md"


def front_matter(text: str) -> dict:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}
    data = yaml.safe_load(match.group(1))
    return data if isinstance(data, dict) else {}


def spanish_pages(docs_dir: Path, generated: set[str], languages: list[str]) -> list[str]:
    """Hand-written Spanish pages: every .md in docs/ that is neither generated nor a translation."""
    suffixes = tuple(f".{language}.md" for language in languages if language != SOURCE_LANGUAGE)
    pages = []
    for path in sorted(Path(docs_dir).rglob("*.md")):
        relative = path.relative_to(docs_dir).as_posix()
        if relative in generated or relative.endswith(suffixes):
            continue
        if not path.read_text(encoding="utf-8").startswith(STUB_MARKER):
            pages.append(relative)
    return pages


def page_translations(docs_dir: Path, generated: set[str], languages: list[str]) -> list[PageTranslation]:
    docs_dir = Path(docs_dir)
    result = []
    for source in spanish_pages(docs_dir, generated, languages):
        current = git_blob_id((docs_dir / source).read_bytes())
        for language in languages:
            if language == SOURCE_LANGUAGE:
                continue
            path = docs_dir / translation_file(source, language)
            if not path.exists():
                result.append(PageTranslation(source, language, "missing", None, current))
                continue
            recorded = (front_matter(path.read_text(encoding="utf-8")).get("translation") or {}).get("source")
            state = "current" if recorded == current else "outdated"
            result.append(PageTranslation(source, language, state, recorded, current))
    return result


def page_problems(docs_dir: Path, translations: list[PageTranslation]) -> list[Problem]:
    """A translation that does not say what it translates cannot be told outdated: an error."""
    problems = []
    for translation in translations:
        if translation.state != "missing" and translation.recorded is None:
            problems.append(Problem(f"{Path(docs_dir).name}/{translation.file}", 1, "translation.source",
                                    f"is missing: run `amparo translations stamp {Path(docs_dir).name}/{translation.file}` "
                                    f"once it translates the current {Path(docs_dir).name}/{translation.source}"))
    return problems


def stamp(translation: Path) -> str:
    """Record in `translation` (docs/x.fr.md) that it translates the current Spanish page."""
    translation = Path(translation)
    name = translation.name
    match = re.fullmatch(r"(.+)\.([a-z]{2}(?:-[A-Za-z]+)?)\.md", name)
    if not match:
        raise ValueError(f"{translation} is not a translation file (page.<language>.md)")
    source = translation.with_name(match.group(1) + ".md")
    blob = git_blob_id(source.read_bytes())
    text = translation.read_text(encoding="utf-8")
    found = _FRONT_MATTER.match(text)
    data = front_matter(text) if found else {}
    data["translation"] = {**(data.get("translation") or {}), "source": blob}
    header = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n"
    translation.write_text(header + (text[found.end():] if found else text), encoding="utf-8")
    return blob
