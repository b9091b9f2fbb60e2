"""Build every generated page in every language, or fail before anything is written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError
from .i18n import SOURCE_LANGUAGE, LanguageStatus, Localizer, Translations
from .loader import Content, load_content, map_texts
from .quiz_export import build_flow
from .quiz_page import MARKER, QUIZ_PAGE, STATIC_QUIZ_PAGE, quiz_html, quiz_markdown, static_quiz_html, static_quiz_markdown
from .render import Page, render_pages

STUB_MARKER = "<!-- amparo:generated -->"


@dataclass
class Site:
    content: Content
    pages: dict[str, dict[str, Page]]          # page path → language → page
    status: dict[str, LanguageStatus]          # language → translation status
    flows: dict[str, dict]                     # language → the quiz flow the engine runs


def localize(content: Content, localizer: Localizer) -> Content:
    return Content(
        root=content.root,
        sources={key: map_texts(source, localizer) for key, source in content.sources.items()},
        shared=map_texts(content.shared, localizer),
        guides=[map_texts(guide, localizer) for guide in content.guides],
        glossary=[map_texts(entry, localizer) for entry in content.glossary],
        interface={key: localizer(text) for key, text in content.interface.items()},
        quiz=map_texts(content.quiz, localizer),
        source_texts=content.source_texts,
    )


def build_site(content_root: Path, sources_dir: Path, languages: list[str], complete_languages: list[str],
               runtime_bytes: int = 0) -> Site:
    """Load, check and render everything; raises ContentError listing every problem.

    `runtime_bytes`: what the quiz's runtime weighs, for its progress bar.
    """
    content = load_content(content_root, sources_dir)
    pages: dict[str, dict[str, Page]] = {}
    status: dict[str, LanguageStatus] = {}
    flows: dict[str, dict] = {}
    problems = []
    for language in languages:
        if language == SOURCE_LANGUAGE:
            localized = content
        else:
            localizer = Localizer(Translations.load(content_root, language), Path(content_root))
            localized = localize(content, localizer)
            status[language] = localizer.status
            if language in complete_languages:
                try:
                    localizer.require_complete()
                except ContentError as error:
                    problems.extend(error.problems)
            else:
                problems.extend(localizer.problems)
        for path, page in render_pages(localized, language).items():
            pages.setdefault(path, {})[language] = page
        flows[language] = flow = build_flow(localized.quiz, localized, language)
        pages.setdefault(QUIZ_PAGE, {})[language] = Page(quiz_markdown(flow), html_after={MARKER: quiz_html(flow, runtime_bytes)})
        pages.setdefault(STATIC_QUIZ_PAGE, {})[language] = Page(static_quiz_markdown(flow),
                                                                 html_after={MARKER: static_quiz_html(flow)})
    if problems:
        raise ContentError(problems)
    return Site(content, pages, status, flows)


def fingerprint(*folders: Path) -> str:
    """Changes whenever any file under the folders changes, so unchanged content is not rebuilt."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\0".encode())
    return digest.hexdigest()


def write_stubs(docs_dir: Path, page_paths: list[str]) -> None:
    """Give each generated page a real file in docs/, which mkdocs-static-i18n needs to localize it.

    A stub holds only a marker: its text never changes, so `mkdocs serve` sees no change and
    does not rebuild in a loop. Stubs of pages that no longer exist are removed.
    """
    wanted = {Path(docs_dir) / path for path in page_paths}
    folders = {path.parent for path in wanted}
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for existing in folder.glob("*.md"):
            if existing not in wanted and existing.read_text(encoding="utf-8").startswith(STUB_MARKER):
                existing.unlink()
    for path in wanted:
        if not path.exists() or path.read_text(encoding="utf-8") != STUB_MARKER + "\n":
            path.write_text(STUB_MARKER + "\n", encoding="utf-8")
