"""What a browser audit found, kept between runs in `.cache/site-audit/` and used again only
when nothing it was found from has changed: the whole-site visit's findings on each page
(site_visit.py), axe-core's reports at phone size and on the quiz's result
(test_accessibility.py, test_quiz_result.py), the header's measures of each page at each text
size (test_header_layout.py).

What an audit finds depends on the files the browser asked the local server for meanwhile (the
page, its styles and scripts, whatever its scripts fetched: recorded from the browser's own
requests, cached ones included) and on the audit itself (its code and the code that serves the
site, the checkers' scripts, the browser, the fonts). An entry records the first as the files'
digests, under a folder named by the second: it is used only if every file it names still has
the same bytes, so a changed sentence audits again the pages that show it, a changed stylesheet
every page. Findings are kept as they were, problems included: a page that failed fails again
until it is mended. An audit that could not run to its end (a page that did not load, a checker
that broke) is not kept.

A clean clone has no cache: CI audits every page. AMPARO_AUDIT_CACHE=off does the same here.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FOLDER = REPO / ".cache" / "site-audit"
# The code that serves the pages and keeps what is found: a change to any of it is a new audit.
AUDIT_CODE = [HERE / "audit_cache.py", HERE / "browser_helpers.py", HERE / "conftest.py"]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.lru_cache(maxsize=4096)
def _file_digest(path: Path, modified: int, size: int) -> str:
    return _digest(path.read_bytes())


FONT_FOLDERS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts",
                Path.home() / ".fonts", Path("/etc/fonts")]


def _fonts() -> str:
    """The fonts the browser can use, and fontconfig's settings: a font installed or removed
    changes how pages lay out."""
    return "\n".join(f"{path} {path.stat().st_size} {path.stat().st_mtime_ns}"
                     for folder in FONT_FOLDERS if folder.is_dir()
                     for path in sorted(folder.rglob("*")) if path.is_file())


def audit_fingerprint(browser_version: str, code: list[Path], checkers: list[str]) -> str:
    """Changes with the audit: its code, the checkers' scripts, the browser, Playwright, the fonts."""
    parts = [path.read_bytes() for path in (*AUDIT_CODE, *code)]
    parts += [text.encode() for text in (*checkers, browser_version, version("playwright"), _fonts())]
    return _digest(b"\0".join(_digest(part).encode() for part in parts))


class AuditCache:
    """The entries of one audit (`name`, its `fingerprint`) of the site built in `site_dir`."""

    def __init__(self, name: str, site_dir: Path, server: str, fingerprint: str, folder: Path = FOLDER):
        self.site_dir, self.server = site_dir, server.rstrip("/")
        off = os.environ.get("AMPARO_AUDIT_CACHE", "").lower() in ("off", "0", "no")
        self.folder = None if off else folder / name / fingerprint[:32]
        if self.folder:
            for other in (folder / name).glob("*"):   # entries of this audit as it no longer is
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)

    @classmethod
    def of(cls, name: str, browser, server: str, site_dir: Path, code: list[Path],
           checkers: list[str] | tuple[str, ...] = ()) -> AuditCache:
        """The entries of the audit `name` as `code` and `checkers` make it, in this browser."""
        return cls(name, site_dir, server, audit_fingerprint(browser.version, code, list(checkers)))

    def _entry(self, key: str) -> Path:
        return self.folder / f"{_digest(key.encode())[:32]}.json"

    def _file_state(self, address: str) -> str:
        """The digest of the file the local server answers `address` with, or "missing"."""
        relative = unquote(urlsplit(address).path).lstrip("/")
        file = self.site_dir / relative
        if file.is_dir():
            file = file / "index.html"
        try:
            stat = file.stat()
        except OSError:
            return "missing"
        return _file_digest(file, stat.st_mtime_ns, stat.st_size)

    def found(self, key: str) -> dict | None:
        """What was kept under `key`, if every file it was found from is unchanged."""
        if not self.folder:
            return None
        try:
            entry = json.loads(self._entry(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if entry.get("key") != key or not entry.get("files"):
            return None
        if any(self._file_state(address) != state for address, state in entry["files"].items()):
            return None
        return entry["findings"]

    def keep(self, key: str, requested: list[str], findings: dict) -> None:
        """Keeps `findings` under `key`, with the files the browser asked for while they were found
        (its requests' addresses: those on the local server are files of the site)."""
        if not self.folder:
            return
        local = {url[len(self.server):] for url in requested if url.startswith(self.server + "/")}
        files = {address: self._file_state(address) for address in sorted(local)}
        entry = self._entry(key)
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.part")
        partial.write_text(json.dumps({"key": key, "files": files, "findings": findings}, ensure_ascii=False),
                           encoding="utf-8")
        partial.replace(entry)


def kept_or_found(cache: AuditCache, key: str, open_page, find) -> dict:
    """What `find(page)` returns on the page `open_page()` gives, kept under `key` with the files
    the page asked for meanwhile; or what it returned in an earlier run, if none of them has
    changed (then no page is opened). A `find` that raises keeps nothing."""
    kept = cache.found(key)
    if kept is not None:
        return kept
    page, requested = open_page(), []

    def record(request):
        requested.append(request.url)

    page.on("request", record)
    try:
        found = find(page)
    finally:
        page.remove_listener("request", record)
    cache.keep(key, requested, found)
    return found
