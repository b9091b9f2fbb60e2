"""Leaflets and posters: every guide in every language has its leaflet page and PDFs (A4, A5),
whose text has the guide's title and its source's date; no PDF shows a missing-glyph box; every
QR code, printed or published as SVG, decodes to exactly the address of its page; a page at a
moved address takes the reader on, with the quick exit and the policy."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ByteStringObject, ContentStream, TextStringObject

from amparo.cli import read_project
from amparo.render.leaflets import (MULTILINGUAL_POSTER_PAGE, MULTILINGUAL_POSTER, POSTER, POSTER_PAGE, leaflet_page, local_preview,
                             page_url, pdf_name, qr_files)
from amparo.publish.redirects import Redirect, write_redirects
from amparo.publish.pdf_printing import serve
from amparo.render.quiz_pages import QUIZ_PAGE
from amparo.render.markdown_pages import guide_page, month_year
from browser_helpers import ALL_LANGUAGES, CHROMIUM, CHROMIUM_ARGS, GUIDES, Guard

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
PROJECT = read_project(REPO / "mkdocs.yml")
# The addresses the QR codes carry: the site_url the build used (the tests build with the default).
SITE_URL = "http://127.0.0.1:8000/"
SOURCES = {s["id"]: s for s in yaml.safe_load((REPO / "procedures/sources.yml").read_text(encoding="utf-8"))["sources"]}
GUIDE_SOURCES = {g["id"]: g["source"] for g in (yaml.safe_load(p.read_text(encoding="utf-8"))
                                                  for p in (REPO / "procedures/guides").glob("*.yml"))}
FONT_FOR = {"ar": "Arabic", "zh": "WenQuanYi"}


def _plain(text: str) -> str:
    # Chromium writes Arabic as its presentation forms; NFKC gives the letters back. Lines wrap anywhere.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _title(site_dir: Path, language: str, guide: str) -> str:
    page = (site_dir / page_url(guide_page(guide), language) / "index.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL).group(1)
    heading = re.sub(r'<a class="headerlink".*?</a>', "", heading)
    return html.unescape(re.sub(r"<[^>]+>", "", heading))


def _raw(string) -> bytes:
    data = string.get_original_bytes() if isinstance(string, TextStringObject) else bytes(string)
    if isinstance(string, TextStringObject) and getattr(string, "autodetect_utf16", False) and data[:2] == b"\xfe\xff":
        data = data[2:]   # pypdf's own mark, not glyphs
    return data


def glyph_problems(pdf: bytes) -> list[str]:
    """What would print as a box or as shapes instead of letters: a glyph 0 (.notdef) shown with a
    font, or a Type 3 font (glyphs drawn as paths: no text to copy, search or read aloud)."""
    reader = PdfReader(io.BytesIO(pdf))
    problems = []
    for number, page in enumerate(reader.pages, 1):
        resources = page["/Resources"].get_object()
        fonts = {name: ref.get_object() for name, ref in resources.get("/Font", {}).get_object().items()}
        problems += [f"page {number}: font {name} is Type 3" for name, font in fonts.items() if font["/Subtype"] == "/Type3"]
        font = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = fonts[operands[0]]
            elif operator in (b"Tj", b"TJ") and font is not None and font["/Subtype"] == "/Type0":
                for item in operands[0] if operator == b"TJ" else [operands[0]]:
                    if isinstance(item, (TextStringObject, ByteStringObject)):
                        data = _raw(item)
                        if 0 in (int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)):
                            problems.append(f"page {number}: a missing glyph in font {font.get('/BaseFont')}")
    return problems


def font_names(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return {str(font.get_object().get("/BaseFont", "")) for page in reader.pages
            for font in page["/Resources"].get_object().get("/Font", {}).get_object().values()}


def _decode(image: Image.Image) -> list[str]:
    return sorted(code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))


def _pdf_codes(path: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / path.stem
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(path), str(out)], check=True)
    image = next(tmp_path.glob(f"{path.stem}*.png"))
    return _decode(Image.open(image))


def _leaflets():
    return [(language, guide) for language in ALL_LANGUAGES for guide in GUIDES]


@pytest.fixture(scope="module")
def built():
    from amparo.publish.generated_pages import build_site

    return build_site(PROJECT.content_dir, PROJECT.sources_dir, PROJECT.settings())


def _source_date(built, language: str, guide: str) -> str:
    updated = SOURCES[GUIDE_SOURCES[guide]]["last_updated"]
    return month_year(updated, language) if updated else built.words[language]("no-date")


@pytest.mark.parametrize("language, guide", _leaflets())
def test_every_guide_has_a_leaflet_in_every_language_with_its_title_and_source_date(site_dir, built, language, guide):
    folder = site_dir / page_url(leaflet_page(guide), language)
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert 'class="amparo-print amparo-leaflet"' in page and "Content-Security-Policy" in page
    raw_title = _title(site_dir, language, guide)
    title = _plain(raw_title)
    # Each word of the date: a right-to-left line puts "2025" before "مايو" in the PDF's text.
    date = [_plain(word) for word in _source_date(built, language, guide).split()]
    for size in ("a4", "a5"):
        pdf = (folder / pdf_name(guide, language, size)).read_bytes()
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 1, f"{language} {guide} {size}: {len(reader.pages)} pages"
        text = _plain(reader.pages[0].extract_text())
        # A right-to-left line with Latin words in it comes out of the PDF in runs: word by word there.
        found = all(_plain(word) in text for word in raw_title.split()) if language == "ar" else title in text
        assert found, f"{language} {guide} {size}: title {title!r} not in the PDF's text"
        assert all(word in text for word in date), f"{language} {guide} {size}: source date {date!r} not in the PDF's text"
        assert not glyph_problems(pdf), (language, guide, size, glyph_problems(pdf))
        if language in FONT_FOR:
            assert any(FONT_FOR[language] in name for name in font_names(pdf)), font_names(pdf)


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_the_sheets_of_a_default_address_build_say_they_are_a_local_preview(site_dir, built, language):
    """The tests build as an NGO's `make build` does without AMPARO_SITE_URL: every printed sheet
    says across it, in its language, that it is a local preview not to print (and in Spanish, the
    builder's likely language), and still fits one page. (A public build's carry no such words:
    tests/test_leaflets.py.)"""
    assert local_preview(SITE_URL), "the test build is expected to use the local default address"
    marks = [built.words[language]("preview-title")] + ([built.words["es"]("preview-title")] if language != "es" else [])
    sheets = [site_dir / page_url(leaflet_page(guide), language) / pdf_name(guide, language, size)
              for guide in GUIDES for size in ("a4", "a5")]
    sheets.append(site_dir / page_url(POSTER_PAGE, language) / pdf_name(POSTER, language, "a4"))
    if language == "es":
        sheets.append(site_dir / page_url(MULTILINGUAL_POSTER_PAGE, "es") / pdf_name(MULTILINGUAL_POSTER, "all", "a4"))
    for sheet in sheets:
        reader = PdfReader(sheet)
        assert len(reader.pages) == 1, sheet
        text = _plain(reader.pages[0].extract_text())
        for mark in marks:
            assert all(_plain(word) in text for word in mark.split()), f"{sheet.name}: {mark!r} is not on the sheet"


def test_the_glyph_check_finds_a_missing_glyph(browser):
    # A code point no font has: the check must see the box Chromium prints for it.
    page = browser.new_page()
    try:
        page.set_content('<p lang="zh">中文 \u0378</p>')
        assert glyph_problems(page.pdf())
        # A bold the font does not have: Chromium draws it as shapes (Type 3), which the check refuses.
        page.set_content('<p lang="zh" style="font-family: \'WenQuanYi Micro Hei\'; font-weight: bold">中文</p>')
        assert any("Type 3" in problem for problem in glyph_problems(page.pdf()))
    finally:
        page.close()


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_every_printed_qr_code_decodes_to_its_page(site_dir, tmp_path, language):
    for guide in GUIDES:
        folder = site_dir / page_url(leaflet_page(guide), language)
        for size in ("a4", "a5"):
            codes = _pdf_codes(folder / pdf_name(guide, language, size), tmp_path)
            assert codes == [SITE_URL + page_url(guide_page(guide), language)], (guide, size, codes)
    poster = site_dir / page_url(POSTER_PAGE, language) / pdf_name("cartel", language, "a4")
    assert _pdf_codes(poster, tmp_path) == [SITE_URL + page_url(QUIZ_PAGE, language)]


def test_the_poster_in_every_language_has_every_language_and_its_code(site_dir, tmp_path):
    pdf = site_dir / page_url(MULTILINGUAL_POSTER_PAGE, "es") / pdf_name("cartel-idiomas", "all", "a4")
    assert _pdf_codes(pdf, tmp_path) == sorted(SITE_URL + page_url(QUIZ_PAGE, language) for language in ALL_LANGUAGES)
    data = pdf.read_bytes()
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert not glyph_problems(data)
    names = font_names(data)
    assert any("Arabic" in name for name in names) and any("WenQuanYi" in name for name in names), names


def test_every_published_qr_svg_decodes_to_its_page(browser, site_dir):
    page = browser.new_page(viewport={"width": 500, "height": 500})
    try:
        files = qr_files(GUIDES, list(ALL_LANGUAGES), SITE_URL)
        assert len(files) == len(GUIDES) * len(ALL_LANGUAGES) + len(ALL_LANGUAGES)
        for relative in files:
            svg = (site_dir / relative).read_text(encoding="utf-8")
            address = re.search(r"<title>(.*?)</title>", svg).group(1)
            page.set_content(f'<body style="margin:0;background:#fff">{svg.split("?>", 1)[1]}</body>')
            codes = _decode(Image.open(io.BytesIO(page.screenshot())))
            assert codes == [address], (relative, codes)
            language = relative.split("/")[0] if relative.split("/")[0] in ALL_LANGUAGES else "es"
            target = QUIZ_PAGE if "/cartel/" in f"/{relative}" else guide_page(relative.split("/")[-2])
            assert address == SITE_URL + page_url(target, language), relative
    finally:
        page.close()


def test_printing_a_leaflet_page_from_the_browser_prints_the_published_pdf(browser, server, site_dir):
    # The page as a reader prints it (print.css) against the published PDF: the same words, on one page.
    for language in ("es", "ar", "zh"):
        page = browser.new_page()
        try:
            page.goto(server + "/" + page_url(leaflet_page(GUIDES[0]), language))
            printed = PdfReader(io.BytesIO(page.pdf(format="A4", margin={side: "12mm" for side in
                                                                         ("top", "bottom", "left", "right")})))
        finally:
            page.close()
        published = PdfReader(site_dir / page_url(leaflet_page(GUIDES[0]), language) / pdf_name(GUIDES[0], language, "a4"))
        assert len(printed.pages) == 1
        assert _plain(printed.pages[0].extract_text()) == _plain(published.pages[0].extract_text()), language


@pytest.fixture
def moved_site(site_dir, built, tmp_path):
    """A copy of the built site where a guide had another address, and a section another anchor."""
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy, ignore=shutil.ignore_patterns("*.pdf", "runtime"))
    site = built
    redirects = [Redirect("/guias/nombre-antiguo/", "/guias/espana-victimas-trata/", 1),
                 Redirect("/guias/espana-victimas-trata/#ancla-antigua", "/guias/espana-victimas-trata/#pasos", 2)]
    write_redirects(copy, redirects, site.words, list(ALL_LANGUAGES), SITE_URL, "https://www.google.com/")
    return copy


def test_a_moved_address_takes_the_reader_on_with_the_quick_exit_and_the_policy(browser, moved_site):
    with serve(moved_site) as root:
        base = root.rstrip("/")
        for prefix in ("", "/ar"):
            text = (moved_site / f"{prefix.lstrip('/')}/guias/nombre-antiguo/index.html".lstrip("/")).read_text(encoding="utf-8")
            assert '<meta http-equiv="Content-Security-Policy"' in text and "data-amparo-exit" in text
            assert "assets/quick-exit.js" in text
            for scripts in (True, False):
                guard = Guard(base)
                context = browser.new_context(java_script_enabled=scripts)
                guard.attach(context)
                page = context.new_page()
                try:
                    page.goto(f"{base}{prefix}/guias/nombre-antiguo/#fuente")
                    page.wait_for_url(re.compile(re.escape(f"{prefix}/guias/espana-victimas-trata/") + "(#.*)?$"), timeout=10_000)
                    # With scripts the #section comes along; without, the refresh goes to the page.
                    assert page.url.endswith("/guias/espana-victimas-trata/#fuente" if scripts else "/guias/espana-victimas-trata/")
                    assert page.locator("h1").count() == 1
                    assert not guard.csp and not guard.foreign, (guard.csp, guard.foreign)
                finally:
                    context.close()
        # A moved anchor lands on the section it moved to: it is kept right before it.
        page = browser.new_page()
        try:
            page.goto(f"{base}/guias/espana-victimas-trata/#ancla-antigua")
            assert page.locator("#ancla-antigua + #pasos").count() == 1
        finally:
            page.close()
