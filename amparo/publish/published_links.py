"""Published links never break.

`procedures/published-links.txt` lists every address the site has published: each page in
each language, each section anchor (the headings' `#` links) and each leaflet, poster and QR
code file. `amparo links update` adds what a build publishes and never removes a line, so an
address that disappears stays listed; `amparo links check` (and the tests, in CI) fails for it
until `procedures/redirects.yml` says where it went (amparo/publish/redirects.py writes the
pages at moved addresses).
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from ..content.errors import Problem
from ..content.models import SOURCE_LANGUAGE
from ..render.leaflets import language_prefix, print_jobs, qr_files
from .redirects import REDIRECT_META, REDIRECTS_FILE, Redirect, load_redirects, read_text_file  # noqa: F401 (load_redirects: for the tests and the command)

LINKS_FILE = "published-links.txt"
_HEADER_LINK = re.compile(r'<a class="headerlink" href="#([^"]+)"')
# A page's title is linked by the page's address, not by an anchor.
_TITLE_ID = re.compile(r'<h1 id="([^"]+)"')
_LIST_HEADER = """\
# Every address this site has published, one a line: pages, section anchors (#), files.
# Written by `amparo links update`, which only ever adds lines. Do not delete a line: when an
# address disappears, say where it went in procedures/redirects.yml (see CONTRIBUTING.md).
"""


def published_files(guide_ids: list[str], languages: list[str]) -> set[str]:
    """The leaflet, poster and QR files a full build publishes."""
    files = {"/" + job.pdf for job in print_jobs(guide_ids, languages)}
    return files | {"/" + path for path in qr_files(guide_ids, languages, "")}


def collect(site_dir: Path, files: set[str]) -> set[str]:
    """Every page and section anchor of a built site, and `files`."""
    site_dir = Path(site_dir)
    found = set(files)
    for page in site_dir.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        if REDIRECT_META in text:
            continue
        folder = page.parent.relative_to(site_dir).as_posix()
        address = "/" if folder == "." else f"/{folder}/"
        found.add(address)
        titles = set(_TITLE_ID.findall(text))
        found.update(f"{address}#{html.unescape(anchor)}" for anchor in _HEADER_LINK.findall(text) if anchor not in titles)
    return found


def read_list(content_dir: Path) -> list[str]:
    path = Path(content_dir) / LINKS_FILE
    if not path.exists():
        return []
    return [line.strip() for line in read_text_file(path, f"{Path(content_dir).name}/{LINKS_FILE}").splitlines()]


def update_list(content_dir: Path, current: set[str]) -> tuple[int, list[str]]:
    """Add what is published now to the list; returns how many were added and the listed
    addresses no longer published (kept: they need a redirect)."""
    listed = {line for line in read_list(content_dir) if line.startswith("/")}
    added = current - listed
    text = _LIST_HEADER + "".join(f"{line}\n" for line in sorted(listed | current))
    (Path(content_dir) / LINKS_FILE).write_text(text, encoding="utf-8")
    return len(added), sorted(listed - current)


def _languages_of(address: str, languages: list[str]) -> tuple[str, str]:
    """('en', '/guias/x/#a') for '/en/guias/x/#a'; Spanish has no prefix."""
    for language in languages:
        prefix = "/" + language_prefix(language)
        if language != SOURCE_LANGUAGE and address.startswith(prefix):
            return language, "/" + address[len(prefix):]
    return SOURCE_LANGUAGE, address


def covered_by_redirect(address: str, redirects: list[Redirect], languages: list[str]) -> bool:
    _, plain = _languages_of(address, languages)
    for redirect in redirects:
        if "#" in redirect.source:
            if plain == redirect.source:
                return True
        elif plain == redirect.source or (plain.startswith(redirect.source) and redirect.source.endswith("/")):
            return True
    return False


def check(content_dir: Path, current: set[str], redirects: list[Redirect], languages: list[str]) -> list[Problem]:
    """The published addresses that disappeared without a redirect, the redirects that lead
    nowhere, and what is published but not yet listed."""
    display = f"{Path(content_dir).name}/{LINKS_FILE}"
    listed = read_list(content_dir)
    problems = []
    for number, line in enumerate(listed, 1):
        if not line.startswith("/") or line in current or covered_by_redirect(line, redirects, languages):
            continue
        page, _, anchor = line.partition("#")
        file = (page.lstrip("/") + "index.html") if page.endswith("/") else page.lstrip("/")
        if anchor and page in current:
            message = (f"the anchor '#{anchor}' is no longer in {file}: keep its heading's id, or add a redirect "
                       f"for it to {Path(content_dir).name}/{REDIRECTS_FILE}")
        else:
            message = (f"is no longer published ({file} is gone): add a redirect for it to "
                       f"{Path(content_dir).name}/{REDIRECTS_FILE}")
        problems.append(Problem(display, number, line, message))
    redirects_display = f"{Path(content_dir).name}/{REDIRECTS_FILE}"
    for redirect in redirects:
        if redirect.target not in current:
            problems.append(Problem(redirects_display, redirect.line, redirect.target,
                                    f"(where {redirect.source} goes) is not published"))
        if "#" not in redirect.source and redirect.source in current:
            problems.append(Problem(redirects_display, redirect.line, redirect.source,
                                    "is still published: a redirect would replace a real page"))
    missing = sorted(current - set(listed))
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        problems.append(Problem(display, len(listed) or 1, "",
                                f"does not list {len(missing)} published addresses ({shown}): run `amparo links update` "
                                "and commit the list"))
    return problems


def published_now(project, site_dir: Path) -> set[str]:
    from ..content.loader import load_content

    content = load_content(project.content_dir, project.sources_dir)
    return collect(site_dir, published_files([guide.id for guide in content.guides], project.languages))
