"""offline.json: what the service worker saves when a reader turns offline use on (sw.js).

One list per language: that language's pages and everything they load (styles, scripts, the
search index, the quiz runtime and that language's quiz flow and state table), so a reader saves what they read,
not eight languages.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..render.not_found_pages import NOT_FOUND

MANIFEST = "offline.json"
# "Remove all traces" loads this address last: where the host sends the headers file's headers,
# its answer (Clear-Site-Data) makes the browser empty this site's HTTP cache, cookies and storage.
CLEAR_SITE_DATA = "clear-site-data.txt"
CLEAR_SITE_DATA_TEXT = "This address asks the browser to remove what it keeps of this site.\n"
# Files for servers and crawlers, and the service worker's own files.
_NOT_SAVED = {"_headers", "sitemap.xml", "sitemap.xml.gz", MANIFEST, "sw.js", CLEAR_SITE_DATA}
# The pages a server sends for an address that does not exist (the root's and each language's).
_NOT_SAVED_NAMES = {NOT_FOUND}


def _url(relative: str) -> str:
    """The address a reader's browser asks for: a folder for pages, since links end in '/'."""
    if relative == "index.html":
        return "./"
    return relative[: -len("index.html")] if relative.endswith("/index.html") else relative


def _belongs_to(relative: str, languages: list[str], default: str) -> str | None:
    """The language a file is for, or None when every language uses it."""
    parts = relative.split("/")
    if parts[0] in languages and parts[0] != default:
        return parts[0]
    name = parts[-1]
    if parts[0] == "assets":
        if name.startswith(("flow.", "table.")) and name.endswith(".json"):
            return name.split(".")[1]
        if "/lunr/" in relative and name.startswith("lunr.") and name.count(".") == 3 and not name.startswith(("lunr.multi", "lunr.stemmer")):
            return name.split(".")[1]
        return None
    return default


def offline_manifest(site_dir: Path, languages: list[str], default: str) -> dict:
    site_dir = Path(site_dir)
    files: dict[str, list[str]] = {language: [] for language in languages}
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if not path.is_file() or relative in _NOT_SAVED or path.name in _NOT_SAVED_NAMES or relative.endswith(".map"):
            continue
        owner = _belongs_to(relative, languages, default)
        for language in languages:
            if owner is None or owner == language:
                files[language].append(_url(relative))
    return {"default": default, "files": files}


def write_manifest(site_dir: Path, languages: list[str], default: str) -> Path:
    path = Path(site_dir) / MANIFEST
    path.write_text(json.dumps(offline_manifest(site_dir, languages, default), separators=(",", ":")), encoding="utf-8")
    return path
