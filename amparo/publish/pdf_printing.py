"""The leaflets and posters as PDF: Debian's Chromium prints the built pages' sheets, as a
reader's browser prints the page (print.css), from the built site served on a loopback port.

The sheets of one language and paper size are printed together, from one small document that
holds only those sheets, one a page, with the pages' own stylesheets: the same rules, without
the site's menus to lay out, and one print instead of eleven (each print costs about a tenth of
a second, mostly the same work). pypdf then cuts it into one PDF per sheet, where Chromium's
outline says each sheet's title (its h2) starts. Scripts are off: the printed sheet needs none. Fonts are the
system's (fonts-noto-core and fonts-noto-cjk from Debian, see the Makefile); Chromium embeds the
glyphs it uses, so a PDF shows the same letters on any printer.

The build prints in a process of its own (`python -m amparo.publish.pdf_printing`, run by
amparo/publish/pdf_build.py) while it goes on: each language's sheets as soon as that language
is built, so on a machine with two cores the PDFs cost little more than the printing of the last
language's.
"""

from __future__ import annotations

import asyncio
import functools
import io
import os
import json
import queue
import re
import shutil
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

from pypdf import PdfReader, PdfWriter

from ..content.models import SOURCE_LANGUAGE
from ..render.leaflets import MULTILINGUAL_POSTER, PrintJob

CHROMIUM = os.environ.get("AMPARO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# The same margins as print.css's @page rules, so a page printed from a browser looks the same.
MARGINS = {"a4": "12mm", "a5": "8mm"}
PARALLEL = 2
# The fonts the print stylesheet asks for (Debian's fonts-noto-core and fonts-wqy-microhei).
FONT_FILES = ("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

_SHEET = re.compile(r'<article class="amparo-print\b.*?</article>', re.DOTALL)
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
_ROOT = re.compile(r"<html\b[^>]*>")
_BODY = re.compile(r"<body\b[^>]*>")


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


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        raise PrintError(f"{CHROMIUM} not found: the leaflets are printed by Chromium. Install it "
                         "(`make chromium` as root, or apt-get install --no-install-recommends chromium "
                         "fonts-noto-core fonts-noto-cjk), or build without PDFs: AMPARO_PDF=off")


def batch_document(site_dir: Path, base: str, jobs: list[PrintJob]) -> str:
    """The printable sheets of built pages, each starting a new page, with the first page's
    stylesheets and language (the pages of one batch share both)."""
    sheets, links, root, body = [], "", "<html>", "<body>"
    for number, job in enumerate(jobs):
        page = (Path(site_dir) / job.page / "index.html").read_text(encoding="utf-8")
        found = _SHEET.findall(page)
        if len(found) != 1:
            raise PrintError(f"{job.page}: expected one printable sheet (article.amparo-print), found {len(found)}")
        sheets.append(found[0])
        if number == 0:
            links = "".join(f'<link rel="stylesheet" href="{urljoin(base + job.page, href)}">'
                            for href in _STYLESHEET.findall(page))
            # The page's own <html> and <body>: the theme's rules depend on their language and direction.
            root = (_ROOT.search(page) or re.match("", "")).group(0) or root
            body = (_BODY.search(page) or re.match("", "")).group(0) or body
    return (f'<!doctype html>{root}<head><meta charset="utf-8">{links}</head>'
            f'{body}<div class="md-typeset amparo-print-batch">{"".join(sheets)}</div></body></html>')


def batches(jobs: list[PrintJob], languages: list[str]) -> list[list[PrintJob]]:
    """Jobs grouped by language and paper size; the poster in every language alone (its
    panels have a title each)."""
    groups: dict[tuple, list[PrintJob]] = {}
    for job in jobs:
        key = (job.page,) if MULTILINGUAL_POSTER in job.page else (job_language(job, languages), job.size)
        groups.setdefault(key, []).append(job)
    return list(groups.values())


class Printer:
    """Prints batches in a thread of its own; `finish` waits for them and raises the first error.
    (The build uses `PrinterProcess`, which runs one of these in a process of its own.)"""

    def __init__(self, site_dir: Path, cache_dir: Path | None = None):
        require_chromium()
        self.site_dir = Path(site_dir)
        self.cache_dir = cache_dir
        self._keys: dict[tuple[PrintJob, ...], str] = {}
        self._batches: queue.Queue[list[PrintJob] | None] = queue.Queue()
        self._written: list[Path] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="amparo-printer", daemon=True)
        self._thread.start()

    def add(self, batches: list[list[PrintJob]], keys: list[str] | None = None) -> None:
        for number, batch in enumerate(batches):
            if keys:
                self._keys[tuple(batch)] = keys[number]
            self._batches.put(batch)

    def finish(self) -> list[Path]:
        for _ in range(PARALLEL):
            self._batches.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error if isinstance(self._error, PrintError) else PrintError(f"printing the leaflets: {self._error}")
        return self._written

    def _run(self) -> None:
        try:
            with serve(self.site_dir) as base:
                asyncio.run(self._print_all(base))
        except BaseException as error:  # reported by finish(), in the build's own thread
            self._error = error

    async def _next(self) -> list[PrintJob] | None:
        return await asyncio.get_running_loop().run_in_executor(None, self._batches.get)

    async def _print_all(self, base: str) -> None:
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = await browser.new_context(java_script_enabled=False)
                # Nothing but the site itself: a printed sheet must not need anything else either.
                await context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                                    else route.abort())
                await asyncio.gather(*(self._worker(context, base) for _ in range(PARALLEL)))
            finally:
                await browser.close()

    async def _worker(self, context, base: str) -> None:
        page = await context.new_page()
        while (jobs := await self._next()) is not None:
            if self._error is not None:
                continue  # drain the queue: finish() reports the first error
            try:
                await page.set_content(batch_document(self.site_dir, base, jobs), wait_until="load")
                margin = MARGINS[jobs[0].size]
                # The outline (which needs a tagged PDF) says where each sheet starts.
                pdf = await page.pdf(format=jobs[0].size.upper(), print_background=True, tagged=True, outline=True,
                                     margin={"top": margin, "bottom": margin, "left": margin, "right": margin})
                written = split(self.site_dir, pdf, jobs)
                self._written.extend(written)
                if self.cache_dir is not None and tuple(jobs) in self._keys:
                    store(self.cache_dir, self._keys[tuple(jobs)], written)
            except BaseException as error:
                self._error = self._error or error
        await page.close()


def sheet_titles(reader: PdfReader) -> list:
    """One top-level outline entry per sheet title (its h2; nested entries are its h3s)."""
    return [item for item in reader.outline if not isinstance(item, list)]


def split(site_dir: Path, pdf: bytes, jobs: list[PrintJob]) -> list[Path]:
    """One PDF per sheet (a sheet longer than a page keeps all its pages)."""
    reader = PdfReader(io.BytesIO(pdf))
    if len(jobs) == 1:
        target = Path(site_dir) / jobs[0].pdf
        target.write_bytes(pdf)
        return [target]
    titles = sheet_titles(reader)
    starts = [reader.get_destination_page_number(title) for title in titles]
    if len(starts) != len(jobs) or starts != sorted(starts) or starts[0] != 0:
        raise PrintError(f"printing {', '.join(job.page for job in jobs)}: the PDF has {len(starts)} sheet titles "
                         f"instead of {len(jobs)} (each sheet has one h2, its title, and no h1)")
    targets = []
    for job, title, start, end in zip(jobs, titles, starts, starts[1:] + [len(reader.pages)]):
        writer = PdfWriter()
        for number in range(start, end):
            writer.add_page(reader.pages[number])
        writer.add_metadata({"/Title": str(title.title), "/Producer": "Amparo (Chromium)"})
        target = Path(site_dir) / job.pdf
        with open(target, "wb") as out:
            writer.write(out)
        targets.append(target)
    return targets


def main(argv: list[str]) -> int:
    printer = Printer(Path(argv[0]), Path(argv[1]))
    for line in sys.stdin:
        if line.strip():
            batch = json.loads(line)
            printer.add([[PrintJob(**job) for job in batch["jobs"]]], [batch["key"]])
    try:
        printer.finish()
    except PrintError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def store(cache_dir: Path, key: str, written: list[Path]) -> None:
    folder = Path(cache_dir) / key
    partial = Path(cache_dir) / f".{key}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for number, file in enumerate(written):
        shutil.copyfile(file, partial / f"{number}.pdf")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)


def job_language(job: PrintJob, languages: list[str]) -> str:
    first = job.page.split("/", 1)[0]
    return first if first in languages and first != SOURCE_LANGUAGE else SOURCE_LANGUAGE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
