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
from ..content.memo import Memo, digest
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
        read_from="",   # not the files' content any more
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
    problems = []
    try:
        terms = TermBase.load(content_root)   # its languages are checked against the project's by `amparo check`
    except ContentError as error:
        problems.extend(error.problems)
        terms = TermBase()
    stale = frozenset(settings.stale_sources(content))
    languages = _LanguagePages()
    for language in settings.languages:
        languages.add(language, _language_build(content, content_root, language, terms, settings, stale, languages.first))
        problems.extend(languages.problems[language])
    pages = languages.pages
    pages.update(_print_pages(languages, settings))
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


@dataclass(frozen=True)
class _LanguageBuild:
    """One language's share of a build, made from the content, the language's catalog and the term
    base (and, for the quiz's screens, the first language's quiz: its states are every language's)."""

    key: tuple | None                # what it was made from (None: content not read from files)
    renderer: Renderer
    pages: dict[str, Page]           # page path → the page in this language
    status: LanguageStatus | None    # None: the source language, which is not translated
    problems: tuple[Problem, ...]
    flow: dict                       # the quiz flow the engine runs
    spanish: frozenset[str]          # the quiz's texts that fell back to Spanish: marked lang="es"
    table: dict                      # the live quiz's state table
    flow_digest: str                 # memo.digest(flow)


def _language_build(content: Content, content_root: Path, language: str, terms: TermBase, settings: Settings,
                    stale: frozenset[str], first: _LanguageBuild | None) -> _LanguageBuild:
    """`language`'s pages, as the last build made them if it had the same content, catalog, term
    base, day and first language: a check or rebuild after one file changed renders the languages
    that file is in (`make serve`, and the tests' hundreds of checks of copies with one thing broken)."""
    translations = Translations.load(content_root, language) if language != SOURCE_LANGUAGE else None
    key = None
    if content.read_from:
        day = (settings.today or date.today()).isoformat()
        key = (content.read_from, Path(content_root).name, language, translations and translations.sha256, terms.sha256,
               terms.display, tuple(sorted(stale)), language in settings.complete_languages, day, settings.runtime_bytes,
               first.key if first else None)
    if key is None or (first and first.key is None):
        return _make_language_build(None, content, content_root, language, translations, terms, settings, stale, first)
    return _LANGUAGE_BUILDS.get(key, lambda: _make_language_build(key, content, content_root, language, translations, terms,
                                                                  settings, stale, first))


# Eight languages as they are, and as they were (`amparo changes` builds two revisions).
_LANGUAGE_BUILDS: Memo[_LanguageBuild] = Memo(16)


def _make_language_build(key: tuple | None, content: Content, content_root: Path, language: str,
                         translations: Translations | None, terms: TermBase, settings: Settings, stale: frozenset[str],
                         first: _LanguageBuild | None) -> _LanguageBuild:
    status, problems, localized = None, [], content
    if translations is not None:
        localizer = Localizer(translations, Path(content_root), terms)
        localized = localize(content, localizer)
        status = localizer.status
        problems = _catalog_problems(localizer, language in settings.complete_languages)
    renderer = Renderer(localized, language, stale)
    pages = dict(render_pages(renderer))
    spanish: set[str] = set()
    flow = build_flow(localized.quiz, localized, language, spanish)
    flow_digest = digest(flow)
    walked = (first.flow, first.flow_digest) if first else (flow, flow_digest)
    quiz = _quiz_screens(walked, (flow, flow_digest), frozenset(spanish), settings)
    in_spanish = bool(spanish)
    pages[QUIZ_PAGE] = Page(quiz_markdown(flow, frozenset(spanish)), in_spanish, html_after={MARKER: quiz.live_html})
    pages[STATIC_QUIZ_PAGE] = Page(static_quiz_markdown(flow, frozenset(spanish)), in_spanish,
                                   html_after={MARKER: quiz.static_html})
    return _LanguageBuild(key, renderer, pages, status, tuple(problems), flow, frozenset(spanish), quiz.table, flow_digest)


def _catalog_problems(localizer: Localizer, complete: bool) -> list[Problem]:
    """What the language's catalog must mend: every text missing too, if the language must be complete."""
    if not complete:
        return localizer.problems
    try:
        localizer.require_complete()
    except ContentError as error:
        return error.problems
    return []


@dataclass
class _LanguagePages:
    """Each language's pages, quiz flow and state table, by language."""

    pages: dict[str, dict[str, Page]] = dataclasses.field(default_factory=dict)
    status: dict[str, LanguageStatus] = dataclasses.field(default_factory=dict)
    problems: dict[str, tuple[Problem, ...]] = dataclasses.field(default_factory=dict)
    flows: dict[str, dict] = dataclasses.field(default_factory=dict)
    tables: dict[str, dict] = dataclasses.field(default_factory=dict)
    quiz_spanish: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    renderers: dict[str, Renderer] = dataclasses.field(default_factory=dict)
    keys: dict[str, tuple | None] = dataclasses.field(default_factory=dict)   # what each language was made from
    first: _LanguageBuild | None = None   # the first language's: its quiz's states are every language's

    def add(self, language: str, built: _LanguageBuild) -> None:
        self.first = self.first or built
        for path, page in built.pages.items():
            self.pages.setdefault(path, {})[language] = page
        if built.status is not None:
            self.status[language] = built.status
        self.problems[language] = built.problems
        self.renderers[language] = built.renderer
        self.keys[language] = built.key
        self.flows[language] = built.flow
        self.tables[language] = built.table
        self.quiz_spanish[language] = built.spanish


def _print_pages(languages: _LanguagePages, settings: Settings) -> dict[str, dict[str, Page]]:
    """The printable pages and the organisations page (each lists every language), as the last build
    made them if every language was made from the same files."""
    def make() -> dict[str, dict[str, Page]]:
        return print_pages(languages.renderers, settings.site_url, settings.language_names)

    keys = tuple(languages.keys.items())
    made = make() if any(key is None for _, key in keys) else \
        _PRINT_PAGES.get(settings.cache_dir, (keys, settings.site_url, tuple(settings.language_names.items())), make)
    return {path: dict(versions) for path, versions in made.items()}   # the build adds to them: a copy


# The QR codes on them take a check without a cache half a second: kept on disk too.
_PRINT_PAGES: Kept[dict[str, dict[str, Page]]] = Kept(
    "print-pages", 2, lambda pages: {path: {language: dataclasses.asdict(page) for language, page in versions.items()}
                                     for path, versions in pages.items()},
    lambda data: {path: {language: Page(**page) for language, page in versions.items()} for path, versions in data.items()})


def _quiz_screens(walked: tuple[dict, str], flow: tuple[dict, str], spanish: frozenset[str],
                  settings: Settings) -> QuizScreens:
    """The quiz's screens in one language (`flow`, with its digest), as an earlier build made them
    if it had the same quiz, words, day and code. The states of `walked` (the first language's flow,
    with its digest) are walked only if a language needs them."""
    day = settings.today or date.today()
    key = (walked[1], day.isoformat(), flow[1], settings.runtime_bytes, tuple(sorted(spanish)))
    return QUIZ_SCREENS.get(settings.cache_dir, key, lambda: QuizScreens.of(QuizWalk.shared(walked[0], day), flow[0],
                                                                              settings.runtime_bytes, spanish))


# Eight languages, as `amparo check` and as a build make them (they say the runtime's size), and one more
# version. On disk, also the screens of the tests' copies of the project, which share this kind
# (tests/conftest.py): a language whose catalog a test breaks falls back to Spanish, with screens of its
# own (about 40 in `make test-fast`, 75 in `make test`; about 0.2 MB each, compressed).
QUIZ_SCREENS: Kept[QuizScreens] = Kept("quiz-screens", 24, dataclasses.asdict, lambda data: QuizScreens(**data),
                                       on_disk=128)


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
