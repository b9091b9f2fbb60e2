"""Printed material for organisations: a leaflet per guide and language (A4 and A5), a poster per
language and one in every language, each with a QR code to its page, and the organisations page
that lists them with every published address.

Each is an ordinary page of the site (so it has the quick exit, the policy and the language
menu like any other), made of Markdown (title and introduction) and an HTML block that replaces
a marker, as the quiz is. The print stylesheet (overrides/assets/print.css) prints only that
block, so printing the page from a browser gives what the PDF shows; `printing.py` makes the
PDFs with Chromium from the built pages. No MkDocs here.
"""

from __future__ import annotations

import ipaddress
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


from ..content.forbidden_characters import RIGHT_TO_LEFT
from ..content.interface_words import PAPER_WORDS
from ..content.models import SOURCE_LANGUAGE, Guidance, Procedure, Step
from .html_templates import render_html
from .markdown_pages import FALLBACK_MARK, Page, Renderer, duration_words, escape, guide_page, month_year
from .qr_codes import qr_svg_file, qr_svg_inline
from .quiz_pages import QUIZ_PAGE, SITE_ROOT

PRINT_FOLDER = "imprimir"
POSTER = "cartel"
MULTILINGUAL_POSTER = "cartel-idiomas"
ORGANISATIONS_PAGE = "organizaciones.md"
MARKER = "<!-- amparo:print -->"
TABLES_MARKER = "<!-- amparo:print-tables -->"
POSTERS_MARKER = "<!-- amparo:print-posters -->"
SIZES = ("a4", "a5")
# How many steps a leaflet shows: what fits on half a sheet; the QR code leads to the rest.
LEAFLET_STEPS = 3


def leaflet_page(guide_id: str) -> str:
    return f"{PRINT_FOLDER}/{guide_id}.md"


POSTER_PAGE = f"{PRINT_FOLDER}/{POSTER}.md"
MULTILINGUAL_POSTER_PAGE = f"{PRINT_FOLDER}/{MULTILINGUAL_POSTER}.md"


def language_prefix(language: str) -> str:
    return "" if language == SOURCE_LANGUAGE else f"{language}/"


def page_url(page_path: str, language: str) -> str:
    """A page's address relative to the site root, as published: `en/guias/x/`."""
    stem = page_path[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    else:
        stem += "/"
    return language_prefix(language) + stem


def text_direction(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def pdf_name(slug: str, language: str, size: str) -> str:
    return f"amparo-{slug}-{language}-{size}.pdf"


def qr_name(slug: str, language: str) -> str:
    return f"amparo-{slug}-{language}-qr.svg"


@dataclass(frozen=True)
class PrintJob:
    """One PDF to print: the page (relative to the site root) and the file it becomes."""

    page: str
    pdf: str
    size: str


def print_jobs(guide_ids: list[str], languages: list[str]) -> list[PrintJob]:
    jobs = []
    for language in languages:
        for guide_id in guide_ids:
            page = page_url(leaflet_page(guide_id), language)
            jobs += [PrintJob(page, page + pdf_name(guide_id, language, size), size) for size in SIZES]
        page = page_url(POSTER_PAGE, language)
        jobs.append(PrintJob(page, page + pdf_name(POSTER, language, "a4"), "a4"))
    page = page_url(MULTILINGUAL_POSTER_PAGE, SOURCE_LANGUAGE)
    jobs.append(PrintJob(page, page + pdf_name(MULTILINGUAL_POSTER, "all", "a4"), "a4"))
    return jobs


def qr_files(guide_ids: list[str], languages: list[str], site_url: str) -> dict[str, str]:
    """Published QR code files (path relative to the site root → SVG), each to its page's address."""
    files = {}
    for language in languages:
        for guide_id in guide_ids:
            folder = page_url(leaflet_page(guide_id), language)
            files[folder + qr_name(guide_id, language)] = qr_svg_file(site_url + page_url(guide_page(guide_id), language))
        folder = page_url(POSTER_PAGE, language)
        files[folder + qr_name(POSTER, language)] = qr_svg_file(site_url + page_url(QUIZ_PAGE, language))
    return files


def write_qr_files(site_dir: Path, guide_ids: list[str], languages: list[str], site_url: str) -> None:
    for relative, svg in qr_files(guide_ids, languages, site_url).items():
        target = Path(site_dir) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != svg:
            target.write_text(svg, encoding="utf-8")


def local_preview(site_url: str) -> bool:
    """Whether the site's address reaches only this computer or its network (`make serve`, a
    build without AMPARO_SITE_URL: http://127.0.0.1:8000/). QR codes and addresses printed from
    such a build are dead for anyone who scans or types them elsewhere."""
    host = urlsplit(site_url or "").hostname
    if not host:
        return True
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified


def preview_note(words, spanish_words, language: str, site_url: str) -> dict | None:
    """What a sheet or the organisations page of a local build says first: that it is a preview,
    not for print, the address its codes lead to and how to build it for print. In the page's
    language, with its title in Spanish too (the language of whoever runs the build, most
    likely) when the page is in another one. None for a build with a public address."""
    if not local_preview(site_url):
        return None
    return {"title": words("preview-title"), "text": words("preview-text"), "fix": words("preview-fix"),
            "address": site_url, "spanish_title": spanish_words("preview-title") if language != SOURCE_LANGUAGE else None}


@dataclass(frozen=True)
class Piece:
    """A text for a template: the words and whether they fell back to Spanish (then marked lang="es")."""

    text: str
    spanish: bool = False

    @classmethod
    def of(cls, text: str) -> "Piece":
        return cls(str(text), bool(getattr(text, "fallback", False)))


def _guide_facts(renderer: Renderer, guide: Procedure | Guidance) -> dict:
    words = renderer.words
    source = renderer.content.sources[guide.source]
    facts = {
        "title": Piece.of(guide.title),
        "country": Piece.of(renderer.countries[guide.country].name),
        "source_title": Piece.of(source.title),
        "source_date": month_year(source.last_updated, renderer.language) if source.last_updated else words("no-date"),
        "summary": Piece.of(guide.summary),
        "who_for": [], "steps": [], "more_steps": False, "who_files": None, "deadlines": [], "sections": [],
    }
    if isinstance(guide, Guidance):
        facts["sections"] = [Piece.of(section.heading) for section in guide.sections]
        return facts
    steps = [step for step in guide.steps if isinstance(step, Step)]
    facts["who_for"] = [Piece.of(item) for item in guide.who_for]
    facts["steps"] = [(Piece.of(renderer.actors[step.actor].name), Piece.of(step.text)) for step in steps[:LEAFLET_STEPS]]
    facts["more_steps"] = len(steps) > LEAFLET_STEPS
    facts["who_files"] = Piece.of(guide.who_files)
    for step in steps:
        limit = step.time_limit
        if limit is not None and limit.bound != "at_least":
            counted = Piece.of(limit.counted_from) if limit.counted_from else Piece(words("start-not-in-source"))
            facts["deadlines"].append((duration_words(words, limit), counted))
    fee = getattr(guide, "fee", None)
    if fee is not None and getattr(fee, "time_limit", None) is not None:
        counted = Piece.of(fee.time_limit.counted_from) if fee.time_limit.counted_from else Piece(words("start-not-in-source"))
        facts["deadlines"].append((f"{words('fee')}: {duration_words(words, fee.time_limit)}", counted))
    return facts


def _leaflet(renderer: Renderer, guide, site_url: str, preview: dict | None) -> Page:
    language, words = renderer.language, renderer.words
    address = site_url + page_url(guide_page(guide.id), language)
    here = page_url(leaflet_page(guide.id), language)
    block = render_html("leaflet.html", w=words, language=language, direction=text_direction(language), preview=preview,
                    translated=language != SOURCE_LANGUAGE, address=address, qr=qr_svg_inline(address),
                    guide_link=posixpath.relpath(page_url(guide_page(guide.id), language), here) + "/",
                    downloads=[(words(PAPER_WORDS[size]), pdf_name(guide.id, language, size)) for size in SIZES]
                    + [(words("leaflet-qr-svg"), qr_name(guide.id, language))],
                    **_guide_facts(renderer, guide))
    markdown = "\n".join([f"# {escape(words('leaflet-page-title', title=guide.title))}", "",
                          escape(words("leaflet-intro")), "", MARKER, ""])
    return Page(markdown, bool(getattr(guide.title, "fallback", False)) or FALLBACK_MARK in block,
                html_after={MARKER: block})


def _poster_words(renderer: Renderer) -> dict:
    # From the localized content, not Words: a text that fell back to Spanish is marked so.
    return {key: Piece(renderer.words.fill(text), text.fallback)
            for key in ("poster-headline", "poster-text", "poster-scan", "poster-private", "leaflet-safety")
            for text in [renderer.content.interface[key]]}


def _poster(renderer: Renderer, site_url: str, preview: dict | None) -> Page:
    language, words = renderer.language, renderer.words
    address = site_url + page_url(QUIZ_PAGE, language)
    block = render_html("poster.html", w=words, language=language, direction=text_direction(language), address=address,
                    preview=preview,
                    qr=qr_svg_inline(address), text=_poster_words(renderer),
                    downloads=[(words("poster-pdf"), pdf_name(POSTER, language, "a4")),
                               (words("leaflet-qr-svg"), qr_name(POSTER, language))])
    markdown = "\n".join([f"# {escape(words('poster-page-title'))}", "", MARKER, ""])
    return Page(markdown, FALLBACK_MARK in block, html_after={MARKER: block})


def _multilingual_poster(renderers: dict[str, Renderer], language: str, site_url: str, names: dict[str, str],
                         preview: dict | None) -> Page:
    words = renderers[language].words
    panels = []
    for other, renderer in renderers.items():
        address = site_url + page_url(QUIZ_PAGE, other)
        panels.append({"language": other, "direction": text_direction(other), "name": names.get(other, other),
                       "address": address, "qr": qr_svg_inline(address), "text": _poster_words(renderer)})
    # One PDF for every language, printed from the Spanish page.
    pdf = SITE_ROOT + page_url(MULTILINGUAL_POSTER_PAGE, SOURCE_LANGUAGE) + pdf_name(MULTILINGUAL_POSTER, "all", "a4")
    block = render_html("poster-multilingual.html", w=words, panels=panels, downloads=[(words("poster-pdf"), pdf)],
                        preview=preview)
    markdown = "\n".join([f"# {escape(words('poster-multilingual-title'))}", "", MARKER, ""])
    return Page(markdown, False, html_after={MARKER: block})


def _preview_admonition(preview: dict | None) -> list[str]:
    if preview is None:
        return []
    title = escape(preview["title"]).replace('"', "'")
    return [f'!!! danger "{title}"', "", f"    {escape(preview['text'])} `{preview['address']}`", "",
            f"    {escape(preview['fix'])}", ""]


def _organisations(renderers: dict[str, Renderer], language: str, site_url: str, names: dict[str, str],
                   preview: dict | None) -> Page:
    renderer = renderers[language]
    w = renderer.words
    example = renderer.content.guides[0].id
    guide_address = site_url + page_url(guide_page(example), language)
    markdown = [
        f"# {escape(w('organisations-title'))}", "", *_preview_admonition(preview), escape(w("organisations-intro")), "",
        f"## {escape(w('organisations-what-heading'))} {{#que-es}}", "", escape(w("organisations-what")), "",
        f"- {escape(w('organisations-not-advice'))}",
        f"- {escape(w('organisations-no-data'))} [{escape(w('exit-safety'))}](seguridad.md)", "",
        f"## {escape(w('organisations-link-heading'))} {{#enlazar}}", "", escape(w("organisations-link-intro")), "",
        f"- {escape(w('organisations-link-guide'))} `{guide_address}`",
        f"- {escape(w('organisations-link-section'))} `{guide_address}#pasos`",
        f"- {escape(w('organisations-link-quiz'))} `{site_url + page_url(QUIZ_PAGE, language)}`",
        f"- {escape(w('organisations-link-language'))} "
        + ", ".join(f"`{code}` ({escape(names.get(code, code))})" for code in renderers if code != SOURCE_LANGUAGE), "",
        f"## {escape(w('organisations-guides-heading'))} {{#guias}}", "", escape(w("organisations-guides-intro")), "",
        TABLES_MARKER, "",
        f"## {escape(w('organisations-posters-heading'))} {{#carteles}}", "", escape(w("organisations-posters-intro")), "",
        POSTERS_MARKER, "",
    ]
    guides = []
    for guide in renderer.content.guides:
        rows = []
        for other in renderers:
            leaflet = page_url(leaflet_page(guide.id), other)
            rows.append({"language": other, "name": names.get(other, other),
                         "address": site_url + page_url(guide_page(guide.id), other),
                         "leaflet": SITE_ROOT + leaflet,
                         "pdfs": [(size.upper(), SITE_ROOT + leaflet + pdf_name(guide.id, other, size)) for size in SIZES],
                         "qr": SITE_ROOT + leaflet + qr_name(guide.id, other)})
        guides.append({"id": guide.id, "title": Piece.of(guide.title), "rows": rows})
    posters = []
    for other in renderers:
        poster = page_url(POSTER_PAGE, other)
        posters.append({"language": other, "name": names.get(other, other), "page": SITE_ROOT + poster,
                        "pdf": SITE_ROOT + poster + pdf_name(POSTER, other, "a4"), "qr": SITE_ROOT + poster + qr_name(POSTER, other)})
    multilingual = page_url(MULTILINGUAL_POSTER_PAGE, language)
    values = {"w": w, "guides": guides, "posters": posters, "multilingual_page": SITE_ROOT + multilingual,
              "multilingual_pdf": SITE_ROOT + page_url(MULTILINGUAL_POSTER_PAGE, SOURCE_LANGUAGE)
              + pdf_name(MULTILINGUAL_POSTER, "all", "a4")}
    tables = render_html("organisations-guides.html", **values)
    poster_list = render_html("organisations-posters.html", **values)
    text = "\n".join(markdown)
    return Page(text, FALLBACK_MARK in tables or any(getattr(g.title, "fallback", False) for g in renderer.content.guides),
                html_after={TABLES_MARKER: tables, POSTERS_MARKER: poster_list})


def print_pages(renderers: dict[str, Renderer], site_url: str, names: dict[str, str]) -> dict[str, dict[str, Page]]:
    """Every printable page and the organisations page: page path → language → page."""
    pages: dict[str, dict[str, Page]] = {}
    spanish = renderers[SOURCE_LANGUAGE].words if SOURCE_LANGUAGE in renderers else None
    for language, renderer in renderers.items():
        preview = preview_note(renderer.words, spanish or renderer.words, language, site_url)
        for guide in renderer.content.guides:
            pages.setdefault(leaflet_page(guide.id), {})[language] = _leaflet(renderer, guide, site_url, preview)
        pages.setdefault(POSTER_PAGE, {})[language] = _poster(renderer, site_url, preview)
        pages.setdefault(MULTILINGUAL_POSTER_PAGE, {})[language] = _multilingual_poster(renderers, language, site_url, names,
                                                                                         preview)
        pages.setdefault(ORGANISATIONS_PAGE, {})[language] = _organisations(renderers, language, site_url, names, preview)
    return pages
