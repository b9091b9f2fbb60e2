"""The build's side of printing: each language's sheets queued as soon as it is built, a batch
printed before taken from the build's cache, the others sent to the printing process
(amparo/publish/pdf_printing.py) that prints while the build goes on."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from ..render.leaflets import MULTILINGUAL_POSTER, PrintJob
from .pdf_printing import (_STYLESHEET, CHROMIUM, FONT_FILES, MARGINS, PrintError, batch_document, batches, job_language,
                           require_chromium)


class PrinterProcess:
    """A `Printer` in another process (`python -m amparo.publish.pdf_printing SITE_DIR`), fed batches as JSON
    lines: its Python work (the browser's messages, cutting the PDFs) then never waits for the
    build's, nor the build for it."""

    def __init__(self, site_dir: Path, cache_dir: Path):
        require_chromium()
        self._process = subprocess.Popen([sys.executable, "-m", "amparo.publish.pdf_printing", str(site_dir), str(cache_dir)],
                                         stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")

    def add(self, batch: list[PrintJob], key: str) -> None:
        self._process.stdin.write(json.dumps({"key": key, "jobs": [dataclasses.asdict(job) for job in batch]}) + "\n")
        self._process.stdin.flush()

    def finish(self) -> None:
        _, errors = self._process.communicate()
        if self._process.returncode != 0:
            raise PrintError(errors.strip() or f"printing the leaflets failed (exit {self._process.returncode})")


class BuildPrinter:
    """For the MkDocs build: each language's sheets are queued as soon as that language is
    built. A batch printed before from the same sheets, stylesheets, Chromium and fonts is
    taken from the build's cache (`cache_dir`, as the quiz's runtime is): PDFs are printed again
    only when what they show changed."""

    def __init__(self):
        self._printer: PrinterProcess | None = None
        self._queued: set[str] = set()

    def language_built(self, site_dir: Path, cache_dir: Path, jobs: list[PrintJob], languages: list[str],
                       language: str) -> None:
        # The poster in every language waits for the last language.
        self._queue(site_dir, cache_dir, [job for job in jobs if job_language(job, languages) == language
                                          and MULTILINGUAL_POSTER not in job.page], languages)

    def finish(self, site_dir: Path, cache_dir: Path, jobs: list[PrintJob], languages: list[str]) -> None:
        self._queue(site_dir, cache_dir, jobs, languages)
        printer, self._printer, self._queued = self._printer, None, set()
        if printer is not None:
            printer.finish()

    def _queue(self, site_dir: Path, cache_dir: Path, jobs: list[PrintJob], languages: list[str]) -> None:
        mine = [job for job in jobs if job.pdf not in self._queued]
        self._queued.update(job.pdf for job in mine)
        for batch in batches(mine, languages):
            key = batch_key(site_dir, batch)
            if restore(cache_dir, key, site_dir, batch):
                continue
            if self._printer is None:
                self._printer = PrinterProcess(site_dir, cache_dir)
            self._printer.add(batch, key)


def batch_key(site_dir: Path, jobs: list[PrintJob]) -> str:
    """What a batch's PDFs depend on: its document, the stylesheets it links, the paper, the
    Chromium and the fonts that print it."""
    digest = hashlib.sha256(f"{jobs[0].size}\0{MARGINS[jobs[0].size]}\0".encode())
    document = batch_document(site_dir, "", jobs)
    digest.update(document.encode("utf-8"))
    for href in _STYLESHEET.findall(document):
        digest.update((Path(site_dir) / href.split("?")[0]).read_bytes())
    for tool in (CHROMIUM, *FONT_FILES):
        path = Path(tool)
        stat = path.stat() if path.exists() else None
        digest.update(f"{tool}\0{stat.st_size if stat else 0}\0{stat.st_mtime_ns if stat else 0}\0".encode())
    return digest.hexdigest()


def restore(cache_dir: Path, key: str, site_dir: Path, jobs: list[PrintJob]) -> bool:
    folder = Path(cache_dir) / key
    files = [folder / f"{number}.pdf" for number in range(len(jobs))]
    if not all(file.exists() for file in files):
        return False
    for job, file in zip(jobs, files):
        shutil.copyfile(file, Path(site_dir) / job.pdf)
    return True
