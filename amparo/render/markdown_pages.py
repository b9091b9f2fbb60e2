"""Content → Markdown pages, one per page and language. No MkDocs here: any static generator
that renders Markdown (MkDocs today, Zensical tomorrow) can take these pages as they are.

Content is untrusted text: everything from procedures/ goes through `Inline`, which escapes
HTML and Markdown, so a `<script>` in a YAML file or a PO file is shown as the characters it is.
Only this module writes markup. A guide page's layout, the order of its sections included, is a
template (amparo/templates/guide-procedure.md, guide-guidance.md), whose every value is escaped
the same way unless it is already rendered Markdown.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import jinja2
from babel.core import UnknownLocaleError
from babel.dates import format_skeleton
from babel.lists import format_list
from markupsafe import Markup

from ..content.interface_words import BOUND_WORDS, FAMILY_WORDS, GUIDE_PARTS, MODE_WORDS, PAGE_STATE_WORDS, PERMIT_WORDS, UNIT_WORDS
from ..content.loader import Content, find_urls
from ..content.models import (
    Fee,
    GlossaryEntry,
    Guidance,
    SOURCE_LANGUAGE,
    Procedure,
    Review,
    Source,
    Step,
    Text,
    TimeLimit,
)
from ..i18n.catalogs import LanguageStatus
from ..i18n.handwritten_pages import PageTranslation

GUIDES_FOLDER = "guias"
COMPARISON_PAGE = f"{GUIDES_FOLDER}/comparar.md"
GLOSSARY_PAGE = f"{GUIDES_FOLDER}/glosario.md"
STATUS_PAGE = "traduccion.md"
FALLBACK_MARK = '<span lang="es" dir="ltr">'

# Python-Markdown honours a backslash only before these; anywhere else it would show.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def escape(text: str) -> str:
    """Plain text → Markdown that renders exactly that text."""
    # HTML first (so no tag survives), then Markdown (so no emphasis or link appears).
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _markdown(value) -> Markup:
    """What a page template prints: text escaped by `escape`, unless it is already rendered Markdown."""
    return value if isinstance(value, Markup) else Markup(escape(str(value)))


_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _anchor(slug: str) -> Markup:
    """An id in a link's address (`#paso-{{ step.id | anchor }}`): ids are slugs, which need no escaping."""
    if not _SLUG.fullmatch(slug):
        raise ValueError(f"not an id: {slug!r}")
    return Markup(slug)


@cache
def _templates() -> jinja2.Environment:
    # autoescape leaves Markup alone, and `finalize` makes every other value Markup by escaping
    # it for Markdown and HTML: a template cannot print content unescaped by forgetting a filter.
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parents[1] / "templates"),
                                     autoescape=True, finalize=_markdown, trim_blocks=True, lstrip_blocks=True,
                                     undefined=jinja2.StrictUndefined)
    environment.filters["anchor"] = _anchor
    return environment


def code(text: str) -> str:
    """An id or a file name as code. Markdown shows backslashes in code as they are, so it is not
    escaped: ids are slugs and field names, and a backtick, the one character that could end the
    code span, is taken out."""
    return "`" + text.replace("`", "") + "`"


def guide_page(guide_id: str) -> str:
    return f"{GUIDES_FOLDER}/{guide_id}.md"


# In a text, every country of countries.yml as a sentence lists them: «en Francia y en Portugal»
# ({countries}), «en Francia o en Portugal» ({countries_or}).
COUNTRIES = "{countries}"
COUNTRIES_OR = "{countries_or}"
# CLDR, which Babel follows, has no list patterns for Haitian Creole (its root's "A, B", "A or B").
_LIST_WORDS = {"ht": {"standard": "ak", "or": "oswa"}}


# The comma between the parts of a line («formulario 790, código 052») and the full stop between
# two sentences of one line: Arabic and Chinese do not write a Latin comma, nor Chinese a Latin
# full stop (CLDR's list patterns join with «و» and «、», words for a list, not these).
_COMMAS = {"ar": "، ", "zh": "，"}
_FULL_STOPS = {"zh": "。"}


def comma(language: str) -> str:
    return _COMMAS.get(language, ", ")


def full_stop(language: str) -> str:
    return _FULL_STOPS.get(language, ". ")


def place_list(phrases: list[str], language: str, style: str = "standard") -> str:
    """Phrases joined the way the language joins a list («en Francia y en Portugal», «en France et au
    Portugal»), or offers a choice (style "or": «en Francia o en Portugal»)."""
    phrases = [str(phrase) for phrase in phrases]
    if language in _LIST_WORDS and len(phrases) > 1:
        return ", ".join(phrases[:-1]) + f" {_LIST_WORDS[language][style]} " + phrases[-1]
    try:
        return format_list(phrases, style=style, locale=language)
    except (UnknownLocaleError, ValueError):   # a language CLDR does not know
        return ", ".join(phrases)


def countries_phrase(content: Content, language: str, style: str = "standard") -> str:
    """What {countries} ({countries_or}: style "or") stands for in this language's texts: every
    country's `in_country` phrase."""
    return place_list([country.in_country for country in content.countries], language, style)


class Words:
    """The interface strings of one language (from interface.yml, translated like content), with
    {countries} and {countries_or} filled in: the countries of countries.yml, as this language
    lists them (`Words.of`)."""

    def __init__(self, strings: dict[str, Text], countries: str = COUNTRIES, countries_or: str = COUNTRIES_OR):
        self._strings = strings
        self._countries = {COUNTRIES: countries, COUNTRIES_OR: countries_or}

    @classmethod
    def of(cls, content: Content, language: str) -> "Words":
        return cls(content.interface, countries_phrase(content, language), countries_phrase(content, language, "or"))

    def fill(self, text: str) -> str:
        """`text` with the countries filled in (the quiz's texts and mkdocs.yml's site_description use them too)."""
        text = str(text)
        for placeholder, phrase in self._countries.items():
            text = text.replace(placeholder, phrase)
        return text

    def __call__(self, key: str, **values) -> str:
        if key not in self._strings:
            raise KeyError(f"procedures/interface.yml has no string '{key}'")
        template = self.fill(self._strings[key])
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # A translation broke a placeholder: the Spanish words are better than a crash.
            return template


def _bounded(phrase: str) -> str:
    """A pattern for `phrase` as whole words. Scripts written without spaces between words
    (Chinese, Japanese) have no word boundaries to require."""
    start = "" if _UNSPACED.match(phrase[0]) else r"(?<!\w)"
    end = "" if _UNSPACED.match(phrase[-1]) else r"(?!\w)"
    return start + re.escape(phrase) + end


_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class Inline:
    """Escapes content for Markdown, links addresses, and links the first use of glossary terms."""

    def __init__(self, glossary: list[GlossaryEntry], glossary_link: str | None):
        # Compiled once per page: a page has hundreds of texts and a glossary dozens of phrases.
        self._terms = [(re.compile(_bounded(phrase), re.IGNORECASE), entry_id) for phrase, entry_id in sorted(
            ((str(phrase), entry.id) for entry in glossary for phrase in entry.matches),
            key=lambda item: -len(item[0]),
        )]
        self._glossary_link = glossary_link
        self._linked: set[str] = set()

    def __call__(self, text: str, link_terms: bool = True) -> str:
        pieces: list[tuple[int, int, str]] = []
        for url in find_urls(text):
            start = text.find(url)
            pieces.append((start, start + len(url), f"[{escape(url)}]({url})"))
        if link_terms and self._glossary_link is not None:
            for pattern, entry_id in self._terms:
                if entry_id in self._linked:
                    continue
                match = pattern.search(text)
                if not match or any(s < match.end() and match.start() < e for s, e, _ in pieces):
                    continue
                self._linked.add(entry_id)
                pieces.append((match.start(), match.end(),
                               f"[{escape(match.group(0))}]({self._glossary_link}#{entry_id})"))
        out, position = [], 0
        for start, end, markup in sorted(pieces):
            out.append(escape(text[position:start]))
            out.append(markup)
            position = end
        out.append(escape(text[position:]))
        rendered = "".join(out)
        if getattr(text, "fallback", False):
            # Untranslated text is Spanish: tell screen readers so (WCAG 3.1.2).
            rendered = f'{FALLBACK_MARK}{rendered}</span>'
        return rendered


# CLDR, which Babel follows, gives Haitian Creole French month names.
_MONTHS = {"ht": ("janvye", "fevriye", "mas", "avril", "me", "jen", "jiyè", "out", "septanm", "oktòb", "novanm", "desanm")}


def duration_words(words: Words, limit: TimeLimit) -> str:
    """A time limit as readers read it: "como máximo 48 horas"."""
    unit = words(UNIT_WORDS[(limit.unit, limit.amount == 1)])
    return words(BOUND_WORDS[limit.bound], amount=limit.amount, unit=unit)


def month_year(year_month: str, language: str) -> str:
    year, month = (int(part) for part in year_month.split("-"))
    if language in _MONTHS:
        return f"{_MONTHS[language][month - 1]} {year}"
    return format_skeleton("yMMMM", date(year, month, 1), locale=language)


def _deadline(step) -> bool:
    return isinstance(step, Step) and step.time_limit is not None and step.time_limit.bound != "at_least"


@dataclass
class Page:
    """Rendered Markdown, and whether any text on it fell back to Spanish.

    `html_after` maps markers left in the Markdown to HTML that replaces them in the finished
    page: blocks too large or too interactive for Markdown (the quiz), kept out of the search index.
    """

    markdown: str
    has_fallback: bool = False
    html_after: dict[str, str] = field(default_factory=dict)


class Renderer:
    def __init__(self, content: Content, language: str, stale_sources: frozenset[str] = frozenset()):
        self.content = content
        self.language = language
        # Sources older than the site allows: their pages say the information may have changed.
        self.stale_sources = stale_sources
        self.words = Words.of(content, language)
        self.actors = {actor.id: actor for actor in content.shared.actors}
        self.countries = {country.code: country for country in content.countries}

    # --- shared bits ---------------------------------------------------------------------

    def _inline(self, page_path: str) -> Inline:
        link = None if page_path == GLOSSARY_PAGE else "glosario.md"
        return Inline(self.content.glossary, link)

    def _duration(self, limit: TimeLimit) -> str:
        return duration_words(self.words, limit)

    def _time_limit(self, limit: TimeLimit, inline: Inline) -> str:
        # "At least" is how long something lasts, not a date to meet.
        label = self.words("duration" if limit.bound == "at_least" else "deadline")
        return f"**{escape(label)}:** {escape(self._duration(limit))}{full_stop(self.language)}" \
               f"{escape(self.words('counted-from'))}: {self._counted_from(limit, inline)}"

    def _counted_from(self, limit: TimeLimit, inline: Inline) -> str:
        return inline(limit.counted_from) if limit.counted_from else escape(self.words("start-not-in-source"))

    def _heading(self, level: int, words: str, anchor: str) -> str:
        return f"{'#' * level} {escape(words)} {{#{anchor}}}"

    def _last_updated(self, source: Source) -> str:
        label = escape(self.words("last-updated"))
        if source.last_updated is None:
            return f"**{label}:** {escape(self.words('no-date'))}"
        return f"**{label}:** {escape(month_year(source.last_updated, self.language))}"

    # --- pages ---------------------------------------------------------------------------

    def guide(self, guide: Procedure | Guidance) -> str:
        if isinstance(guide, Guidance):
            return self._guidance(guide)
        return self._procedure(guide)

    def _procedure(self, p: Procedure) -> str:
        fee = p.fee if isinstance(p.fee, Fee) else None
        return self._guide_page("guide-procedure.md", p, fee=fee, deadline_steps=[s for s in p.steps if _deadline(s)])

    def _guidance(self, g: Guidance) -> str:
        return self._guide_page("guide-guidance.md", g)

    def _guide_page(self, template: str, guide: Procedure | Guidance, **values) -> str:
        """A guide's page from its template (amparo/templates/guide-*.md), with this language's
        words and one `Inline` for the page, so each glossary term is linked at its first use."""
        inline = self._inline(guide_page(guide.id))
        source = self.content.sources[guide.source]
        return _templates().get_template(template).render(
            guide=guide, source=source, actors=self.actors, w=self.words,
            review=self.content.content_review(guide.id), stale=source.id in self.stale_sources,
            translated=self.language != SOURCE_LANGUAGE, comma=comma(self.language),
            inline=lambda text, link_terms=True: Markup(inline(text, link_terms=link_terms)),
            heading=lambda level, words, anchor: Markup(self._heading(level, words, anchor)),
            time_limit=lambda limit: Markup(self._time_limit(limit, inline)),
            counted_from=lambda limit: Markup(self._counted_from(limit, inline)),
            last_updated=lambda source: Markup(self._last_updated(source)),
            duration=self._duration,
            # Words are named in full (amparo/content/interface_words.py): a structured value picks its word here.
            mode_words=MODE_WORDS, permit_words=PERMIT_WORDS, family_words=FAMILY_WORDS,
            part_anchors={part: anchor for part, (anchor, _) in GUIDE_PARTS.items()},
            month_year=lambda year_month: month_year(year_month, self.language),
            admonition=lambda kind, title, body: Markup("\n".join(_admonition(kind, title, _markdown(body)))),
            **values,
        )

    def comparison(self) -> str:
        w = self.words
        inline = self._inline(COMPARISON_PAGE)
        procedures = [g for g in self.content.guides if isinstance(g, Procedure)]
        lines = [f"# {escape(w('comparison-title'))}", "", escape(w("comparison-intro")), ""]

        def cell(parts: list[str]) -> str:
            return "<br>".join(part.replace("|", "\\|") for part in parts) or escape(w("not-in-source"))

        header = [escape(w("criterion"))] + [f"[{inline(p.title, link_terms=False)}]({p.id}.md)" for p in procedures]
        rows = [
            (w("country"), [[inline(self.countries[p.country].name, link_terms=False)] for p in procedures]),
            (w("who-for"), [[inline(item) for item in p.who_for] for p in procedures]),
            (w("who-files"), [[inline(p.who_files)] for p in procedures]),
            (w("where"), [[f"{escape(w(MODE_WORDS[place.mode]))}: {inline(place.text)}" for place in p.where_to_apply] for p in procedures]),
            (w("fee"), [self._fee_cell(p.fee, inline) for p in procedures]),
            (w("deadlines"), [[f"{escape(self._duration(s.time_limit))}: {self._counted_from(s.time_limit, inline)}" for s in p.steps if _deadline(s)] for p in procedures]),
        ]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for label, cells in rows:
            lines.append(f"| **{escape(label)}** | " + " | ".join(cell(c) for c in cells) + " |")
        lines += ["", escape(w("comparison-sources")), ""]
        for p in procedures:
            source = self.content.sources[p.source]
            lines.append(f"- [{inline(p.title, link_terms=False)}]({p.id}.md#fuente): {inline(source.title, link_terms=False)} — {self._last_updated(source)}")
        lines.append("")
        return "\n".join(lines)

    def _fee_cell(self, fee: Fee | None, inline: Inline) -> list[str]:
        """What the comparison says a permit costs: nothing, its form, its amount, its deadline."""
        if not isinstance(fee, Fee):
            return []
        if fee.free:
            return [escape(self.words("fee-free"))]
        parts = []
        if fee.form is not None:
            parts.append(inline(fee.form) + (f" {escape(self.words('fee-code'))} {escape(fee.code)}" if fee.code else ""))
        if fee.amount is not None:
            parts.append(inline(fee.amount))
        if fee.time_limit is not None:
            parts.append(escape(self._duration(fee.time_limit)))
        return parts

    def glossary(self) -> str:
        w = self.words
        inline = self._inline(GLOSSARY_PAGE)
        lines = [f"# {escape(w('glossary-title'))}", "", escape(w("glossary-intro")), ""]
        for entry in sorted(self.content.glossary, key=lambda e: str(e.term).casefold()):
            lines += [self._heading(2, entry.term, entry.id), ""]
            if entry.legal_name:
                lines += [f"*{escape(w('official-name'))}: «{inline(entry.legal_name, link_terms=False)}»*", ""]
            lines += [inline(entry.definition, link_terms=False), ""]
            for source_id in entry.sources:
                source = self.content.sources[source_id]
                lines += [f"{escape(w('source'))}: {inline(source.title, link_terms=False)} — {self._last_updated(source)}", "{: .amparo-source-line }", ""]
        return "\n".join(lines)


    def translation_status(self, report: TranslationReport) -> str:
        """The status page: for every language, how much is translated and whether a person reviewed it."""
        w = self.words
        lines = [f"# {escape(w('status-title'))}", "", escape(w("status-intro")), ""]
        header = [w("status-language"), w("status-translated"), w("status-outdated"), w("status-missing"),
                  w("status-reviewed"), w("status-pages")]
        lines += ["| " + " | ".join(escape(cell) for cell in header) + " |", "|" + "---|" * len(header)]
        for language in report.languages:
            name = f'<span lang="{language}">{escape(report.names.get(language, language))}</span>'
            if language == SOURCE_LANGUAGE:
                lines.append(f"| {name} | {escape(w('status-source'))} | | | | |")
                continue
            status = report.texts[language]
            review = report.reviews.get(language)
            reviewed = (w("status-reviewed-yes", reviewer=review.reviewer, date=month_year(review.date, self.language))
                        if review else w("status-reviewed-no"))
            pages = [page for page in report.pages if page.language == language]
            current = sum(1 for page in pages if page.state == "current")
            lines.append(f"| {name} | {status.translated} / {status.total} | "
                         f"{len(status.outdated)} | {len(status.missing)} | {escape(reviewed)} | {current} / {len(pages)} |")
        lines.append("")
        if self.language != SOURCE_LANGUAGE:
            status = report.texts[self.language]
            lines += [self._heading(2, report.names.get(self.language, self.language), "este-idioma"), ""]
            lines += [self._heading(3, w("status-pages"), "paginas"), ""]
            lines += [f"- {code(page.source)}: {escape(w(PAGE_STATE_WORDS[page.state]))}"
                      for page in report.pages if page.language == self.language] + [""]
            lines += [self._heading(3, w("status-details"), "textos-en-espanol"), ""]
            lines += [f"- {code(context)}: {escape(w('status-outdated'))}" for context in status.outdated]
            lines += [f"- {code(context)}: {escape(w('status-missing'))}" for context in status.missing]
            lines.append("")
        return "\n".join(lines)


@dataclass
class TranslationReport:
    """What the status pages show, gathered once all languages are rendered."""

    languages: list[str]
    names: dict[str, str]                 # language → its own name for itself
    texts: dict[str, LanguageStatus]      # language → counts of its catalog (not for Spanish)
    pages: list[PageTranslation]
    reviews: dict[str, Review]


# Where a hand-written page puts its translation notice, when not right under its title: the home
# page gives its first screen to what the site is and the way to the quiz. An HTML comment, so
# the page reads the same without it; the notice it places is compact.
NOTICE_PLACE = "<!-- amparo:translation-notice -->"


def _admonition(kind: str, title: str, body: str) -> list[str]:
    return [f'!!! {kind} "' + escape(title).replace('"', "'") + '"', "", "    " + body, ""]


def translation_notice(words: Words, page_path: str, *, reviewed: bool, has_fallback: bool,
                       page_state: str | None = None, compact: bool = False) -> str:
    """What readers of a translated page are told: that it is a translation, whether a person
    reviewed it, and what on it is still in Spanish. Markdown, to go right under the title (or
    where the page places it, `compact`: one small block, its title a plain bold line)."""
    link = posixpath.relpath(STATUS_PAGE, posixpath.dirname(page_path) or ".")
    status_link = f"[{escape(words('status-link'))}]({link})"
    style = " amparo-compact" if compact else ""
    if page_state == "missing":
        return _not_searched(_admonition("warning" + style, words("untranslated-title"),
                                         f"{escape(words('page-untranslated-notice'))} {status_link}"))
    body = escape(words("translation-notice"))
    if not reviewed:
        body += " " + escape(words("unreviewed-notice"))
    lines = _admonition("note" + style, words("translation-title"), f"{body} {status_link}")
    if page_state == "outdated":
        lines += _admonition("warning" + style, words("untranslated-title"), escape(words("page-outdated-notice")))
    elif has_fallback:
        lines += _admonition("warning" + style, words("untranslated-title"), escape(words("untranslated-notice")))
    return _not_searched(lines)


def _not_searched(lines: list[str]) -> str:
    """A notice out of the search index (the theme drops the attribute from the page): the same
    on every translated page, it filled the first lines of every search result."""
    return "\n".join(['<div data-search-exclude="true" markdown>', "", *lines, "", "</div>"])


def places_notice(markdown: str) -> bool:
    return NOTICE_PLACE in markdown


def with_notice(markdown: str, notice: str) -> str:
    """`markdown` with `notice` where the page places it, else right under its title (or at the
    top, if it has none)."""
    if places_notice(markdown):
        return without_notice_place(markdown.replace(NOTICE_PLACE, notice, 1))
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: index + 1] + ["", notice] + lines[index + 1:])
    return notice + "\n\n" + markdown


def without_notice_place(markdown: str) -> str:
    return markdown.replace(NOTICE_PLACE, "")


def render_pages(renderer: Renderer) -> dict[str, Page]:
    """Every generated page of the site, in one language, keyed by its path under docs/."""
    content = renderer.content
    pages = {guide_page(g.id): renderer.guide(g) for g in content.guides}
    pages[COMPARISON_PAGE] = renderer.comparison()
    pages[GLOSSARY_PAGE] = renderer.glossary()
    return {path: Page(markdown, FALLBACK_MARK in markdown) for path, markdown in pages.items()}
