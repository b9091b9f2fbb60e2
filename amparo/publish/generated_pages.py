"""Build every generated page in every language, or fail before anything is written."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from ..content.errors import ContentError, Problem
from ..content.loader import Content, load_content, map_texts
from ..content.memo import digest
from ..content.models import SOURCE_LANGUAGE
from ..i18n.catalogs import LanguageStatus, Localizer, Translations
from ..i18n.handwritten_pages import (STUB_MARKER, PageTranslation, page_fidelity_problems, page_input_problems, page_problems,
                                      page_translations, spanish_pages)
from ..i18n.term_base import TermBase
from ..render.leaflets import print_pages
from ..render.markdown_pages import (FALLBACK_MARK, STATUS_PAGE, Page, Renderer, TranslationReport, Words, render_pages,
                                     places_notice, translation_notice, with_notice, without_notice_place)
from ..render.quiz_flow import build_flow
from ..render.quiz_pages import MARKER, QUIZ_PAGE, STATIC_QUIZ_PAGE, QuizScreens, QuizWalk, quiz_markdown, static_quiz_markdown
from .atomic_files import write_atomically
from .build_cache import Kept
from .build_settings import Settings
from .redirects import redirect_problems


@dataclass
class Site:
    content: Content
    pages: dict[str, dict[str, Page]]          # page path → language → page
    status: dict[str, LanguageStatus]          # language → translation status
    flows: dict[str, dict]                     # language → the quiz flow the engine runs
    tables: dict[str, dict]                    # language → the live quiz's state table
    page_translations: list[PageTranslation]   # the hand-written pages' translations
    words: dict[str, Words]                    # language → the interface words
    problems: list[Problem] = dataclasses.field(default_factory=list)   # only when not built strictly
    quiz_spanish: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)   # language → the quiz's texts in Spanish

    def handwritten_markdown(self, markdown: str, page_path: str, language: str) -> str:
        """A hand-written page as built in `language`, with what its readers must be told, and the
        countries named where it says {countries} (as the page's language lists them)."""
        if language == SOURCE_LANGUAGE:
            return self.words[language].fill(without_notice_place(markdown))
        source = next((t for t in self.page_translations if t.language == language and page_path in (t.source, t.file)), None)
        state = source.state if source else None
        notice = translation_notice(self.words[language], page_path, reviewed=language in self.content.reviews,
                                    has_fallback=False, page_state=state,
                                    compact=state != "missing" and places_notice(markdown))
        if state == "missing":
            # The words are Spanish: say so, for screen readers and translation tools (WCAG 3.1.2).
            spanish = self.words[SOURCE_LANGUAGE].fill(without_notice_place(markdown))
            return f'{notice}\n\n<div lang="{SOURCE_LANGUAGE}" markdown>\n\n{spanish}\n\n</div>\n'
        return with_notice(self.words[language].fill(markdown), notice)


def localize(content: Content, localizer: Localizer) -> Content:
    return dataclasses.replace(
        content,
        sources={key: map_texts(source, localizer) for key, source in content.sources.items()},
        shared=map_texts(content.shared, localizer),
        countries=[map_texts(country, localizer) for country in content.countries],
        guides=[map_texts(guide, localizer) for guide in content.guides],
        glossary=[map_texts(entry, localizer) for entry in content.glossary],
        interface={key: localizer(text) for key, text in content.interface.items()},
        quiz=map_texts(content.quiz, localizer),
    )


class ContentFolders(Protocol):
    """Where the content is: a project (amparo/project.py) has both."""

    content_dir: Path
    sources_dir: Path


def localized_flow(project: ContentFolders, language: str) -> dict:
    """The quiz flow in `language`, texts missing from its catalog falling back to Spanish."""
    content = load_content(project.content_dir, project.sources_dir)
    if language != SOURCE_LANGUAGE:
        content = localize(content, Localizer(Translations.load(project.content_dir, language), project.content_dir))
    return build_flow(content.quiz, content, language)


def build_site(content_root: Path, sources_dir: Path, settings: Settings, strict: bool = True,
               content: Content | None = None) -> Site:
    """Load, check and render everything; raises ContentError listing every problem (with
    `strict=False`, only problems in the Spanish content raise; the others are in `Site.problems`).
    `content`: the content of `content_root`, if it has been loaded already."""
    content = content or load_content(content_root, sources_dir)
    stale = frozenset(settings.stale_sources(content))
    languages = _LanguagePages()
    problems = []
    try:
        terms = TermBase.load(content_root)   # its languages are checked against the project's by `amparo check`
    except ContentError as error:
        problems.extend(error.problems)
        terms = TermBase()
    for language in settings.languages:
        localized = _localized(content, content_root, language, terms, settings, languages.status, problems)
        languages.render(localized, language, stale, settings)
    pages = languages.pages
    pages.update(print_pages(languages.renderers, settings.site_url, settings.language_names))
    generated = set(pages) | {STATUS_PAGE}
    translations = page_translations(settings.docs_dir, generated, settings.languages) if settings.docs_dir else []
    problems.extend(page_problems(settings.docs_dir, translations))
    if settings.docs_dir:
        problems.extend(_handwritten_problems(settings, translations, terms, generated, content_root))
    report = TranslationReport(settings.languages, settings.language_names, languages.status, translations, content.reviews)
    _add_status_pages_and_notices(pages, languages.renderers, report, content)
    if problems and strict:
        raise ContentError(problems)
    return Site(content, pages, languages.status, languages.flows, languages.tables, translations,
                {language: renderer.words for language, renderer in languages.renderers.items()}, problems,
                languages.quiz_spanish)


def _localized(content: Content, content_root: Path, language: str, terms: TermBase, settings: Settings,
               status: dict[str, LanguageStatus], problems: list[Problem]) -> Content:
    """The content in `language`, its translation status in `status` and its problems in `problems`."""
    if language == SOURCE_LANGUAGE:
        return content
    localizer = Localizer(Translations.load(content_root, language), Path(content_root), terms)
    localized = localize(content, localizer)
    status[language] = localizer.status
    if language in settings.complete_languages:
        try:
            localizer.require_complete()
        except ContentError as error:
            problems.extend(error.problems)
    else:
        problems.extend(localizer.problems)
    return localized


@dataclass
class _LanguagePages:
    """Each language's pages, quiz flow and state table, rendered one language after the other."""

    pages: dict[str, dict[str, Page]] = dataclasses.field(default_factory=dict)
    status: dict[str, LanguageStatus] = dataclasses.field(default_factory=dict)
    flows: dict[str, dict] = dataclasses.field(default_factory=dict)
    tables: dict[str, dict] = dataclasses.field(default_factory=dict)
    quiz_spanish: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    renderers: dict[str, Renderer] = dataclasses.field(default_factory=dict)
    walked: tuple[dict, str] | None = None   # the flow whose states every language shows, and its digest

    def render(self, localized: Content, language: str, stale: frozenset[str], settings: Settings) -> None:
        self.renderers[language] = renderer = Renderer(localized, language, stale)
        for path, page in render_pages(renderer).items():
            self.pages.setdefault(path, {})[language] = page
        spanish: set[str] = set()   # the quiz's texts that fell back to Spanish: marked lang="es"
        self.flows[language] = flow = build_flow(localized.quiz, localized, language, spanish)
        self.quiz_spanish[language] = frozenset(spanish)
        quiz = self._quiz_screens(flow, frozenset(spanish), settings)
        self.tables[language] = quiz.table
        quiz_in_spanish = bool(spanish)
        self.pages.setdefault(QUIZ_PAGE, {})[language] = Page(quiz_markdown(flow, frozenset(spanish)), quiz_in_spanish,
                                                              html_after={MARKER: quiz.live_html})
        self.pages.setdefault(STATIC_QUIZ_PAGE, {})[language] = Page(static_quiz_markdown(flow, frozenset(spanish)),
                                                                     quiz_in_spanish,
                                                                     html_after={MARKER: quiz.static_html})

    def _quiz_screens(self, flow: dict, spanish: frozenset[str], settings: Settings) -> QuizScreens:
        """The quiz's screens in one language, as an earlier build made them if it had the same
        quiz, words, day and code. The states are walked (once) only if a language needs them."""
        if self.walked is None:   # the first language's flow: its states are every language's
            self.walked = (flow, digest(flow))
        walked, walked_digest = self.walked
        day = settings.today or date.today()
        key = (walked_digest, day.isoformat(), digest(flow), settings.runtime_bytes, tuple(sorted(spanish)))
        return _QUIZ_SCREENS.get(settings.cache_dir, key, lambda: QuizScreens.of(QuizWalk.shared(walked, day), flow,
                                                                                  settings.runtime_bytes, spanish))


# Eight languages, as `amparo check` and as a build make them (they say the runtime's size), and one more version.
_QUIZ_SCREENS: Kept[QuizScreens] = Kept("quiz-screens", 24, dataclasses.asdict, lambda data: QuizScreens(**data))


def _handwritten_problems(settings: Settings, translations: list[PageTranslation], terms: TermBase,
                          generated: set[str], content_root: Path) -> list[Problem]:
    """The hand-written pages' translations, inputs and redirects."""
    problems = page_fidelity_problems(settings.docs_dir, translations, terms)
    problems += page_input_problems(settings.docs_dir, generated, settings.languages)
    # A redirect must not hide a page, nor lead to one the site does not have.
    every_page = generated | set(spanish_pages(settings.docs_dir, generated, settings.languages))
    problems += redirect_problems(Path(content_root), every_page)
    return problems


def _add_status_pages_and_notices(pages: dict[str, dict[str, Page]], renderers: dict[str, Renderer],
                                  report: TranslationReport, content: Content) -> None:
    """Each language's translation status page, and on every translated page its notice."""
    for language, renderer in renderers.items():
        markdown = renderer.translation_status(report)
        pages.setdefault(STATUS_PAGE, {})[language] = Page(markdown, FALLBACK_MARK in markdown)
        if language == SOURCE_LANGUAGE:
            continue
        for path, versions in pages.items():
            page = versions[language]
            notice = translation_notice(renderer.words, path, reviewed=language in content.reviews,
                                        has_fallback=page.has_fallback)
            versions[language] = dataclasses.replace(page, markdown=with_notice(page.markdown, notice))


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
            write_atomically(path, lambda partial: partial.write_text(STUB_MARKER + "\n", encoding="utf-8"))
