"""The leaflets and posters as PDF: Debian's Chromium prints the built pages, as a reader's
browser would print them (print.css), served from the built site on a loopback port.

Scripts are off while printing: the printed page needs none, and it is quicker. Fonts are the
system's (fonts-noto-core and fonts-noto-cjk from Debian, see the Makefile): Chromium embeds the
glyphs it uses, so the PDF shows the same letters on any printer.
"""

from __future__ import annotations

import asyncio
import functools
import io
import os
import re
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

from pypdf import PdfReader, PdfWriter

from .leaflets import PrintJob

CHROMIUM = os.environ.get("AMPARO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# The same margins as print.css's @page rules, so a page printed from a browser looks the same.
MARGINS = {"a4": "12mm", "a5": "8mm"}
# Two pages print at a time: a build machine has two cores.
PARALLEL = 2


class PrintError(Exception):
    pass


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


@contextmanager
def serve(site_dir: Path):
    httpd = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site_dir)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def print_pdfs(site_dir: Path, jobs: list[PrintJob]) -> list[Path]:
    """Print every job's page into its PDF under `site_dir`. Raises PrintError when Chromium is
    missing or a page cannot be printed."""
    if not Path(CHROMIUM).exists():
        raise PrintError(f"{CHROMIUM} not found: the leaflets are printed by Chromium. Install it "
                         "(`make chromium` as root, or apt-get install --no-install-recommends chromium "
                         "fonts-noto-core fonts-noto-cjk), or build without PDFs: AMPARO_PDF=off")
    site_dir = Path(site_dir)
    batches: dict[tuple[str, str], list[PrintJob]] = {}
    for job in jobs:
        # The poster in every language is a batch of its own: it has a title per language.
        key = job.page if "cartel-idiomas" in job.page else (_language_root(job.page), job.size)
        batches.setdefault(key, []).append(job)
    with serve(site_dir) as base:
        return asyncio.run(_print_all(site_dir, base, list(batches.values())))


def _language_root(page: str) -> str:
    first = page.split("/", 1)[0]
    return first if first != "imprimir" else ""


_SHEET = re.compile(r'<article class="amparo-print\b.*?</article>', re.DOTALL)
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
_ROOT = re.compile(r'<html\b[^>]*>')


def batch_document(site_dir: Path, base: str, jobs: list[PrintJob]) -> str:
    """The sheets of several built pages in one document, one after another, each starting a new
    page, with the stylesheets of the first page: one print instead of one per sheet (a print
    costs a tenth of a second or more, mostly the same work each time)."""
    sheets, stylesheets, root = [], None, "<html>"
    for job in jobs:
        page = (Path(site_dir) / job.page / "index.html").read_text(encoding="utf-8")
        found = _SHEET.findall(page)
        if len(found) != 1:
            raise PrintError(f"{job.page}: expected one printable sheet (article.amparo-print), found {len(found)}")
        sheets.append(found[0])
        if stylesheets is None:
            stylesheets = [urljoin(base + job.page, href) for href in _STYLESHEET.findall(page)]
            root = _ROOT.search(page).group(0)
    links = "".join(f'<link rel="stylesheet" href="{href}">' for href in stylesheets or [])
    return (f'<!doctype html>{root}<head><meta charset="utf-8">{links}</head>'
            f'<body><div class="md-typeset amparo-print-batch">{"".join(sheets)}</div></body></html>')


def sheet_starts(pdf: bytes) -> list[int]:
    """The page where each sheet starts: Chromium's outline has one top-level entry per sheet
    title (h2; the batch has no h1)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)]


async def _print_all(site_dir: Path, base: str, batches: list[list[PrintJob]]) -> list[Path]:
    from playwright.async_api import async_playwright

    queue: asyncio.Queue[list[PrintJob]] = asyncio.Queue()
    for batch in batches:
        queue.put_nowait(batch)
    written: list[Path] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(java_script_enabled=False)
            # Nothing but the site itself: a printed page must not need anything else either.
            await context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                                else route.abort())

            async def worker():
                page = await context.new_page()
                while not queue.empty():
                    jobs = queue.get_nowait()
                    size = jobs[0].size
                    await page.set_content(batch_document(site_dir, base, jobs), wait_until="load")
                    margin = MARGINS[size]
                    pdf = await page.pdf(format=size.upper(), print_background=True, outline=True, tagged=True,
                                         margin={"top": margin, "bottom": margin, "left": margin, "right": margin})
                    written.extend(_split(site_dir, pdf, jobs))
                await page.close()

            await asyncio.gather(*(worker() for _ in range(PARALLEL)))
        finally:
            await browser.close()
    return written


def _split(site_dir: Path, pdf: bytes, jobs: list[PrintJob]) -> list[Path]:
    reader = PdfReader(io.BytesIO(pdf))
    starts = sheet_starts(pdf) if len(jobs) > 1 else [0]
    if len(starts) != len(jobs) or starts != sorted(starts):
        raise PrintError(f"printing {', '.join(job.page for job in jobs)}: found {len(starts)} sheets in the PDF "
                         f"instead of {len(jobs)} (each sheet needs its title as its one h2)")
    ends = starts[1:] + [len(reader.pages)]
    targets = []
    for job, start, end in zip(jobs, starts, ends):
        writer = PdfWriter()
        for number in range(start, end):
            writer.add_page(reader.pages[number])
        writer.add_metadata({"/Title": _title(reader, start), "/Producer": "Amparo (Chromium, pypdf)"})
        target = site_dir / job.pdf
        with open(target, "wb") as out:
            writer.write(out)
        targets.append(target)
    return targets


def _title(reader: PdfReader, page: int) -> str:
    for item in reader.outline:
        if not isinstance(item, list) and reader.get_destination_page_number(item) == page:
            return str(item.title)
    return "Amparo"
