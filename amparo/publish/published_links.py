"""Published links never break.

`procedures/published-links.txt` lists every address the site has published: each page in
each language, each section anchor (the headings' `#` links) and each leaflet, poster and QR
code file. `amparo links update` adds what a build publishes and never removes a line, so an
address that disappears stays listed; `amparo links check` (and the tests, in CI) fails for it
until `procedures/redirects.yml` says where it went. A moved page leaves a static page at its
old address that sends the reader on (with the quick exit and the policy of every page); a
moved anchor is kept as an empty target right before the section it moved to.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from ..content.forbidden_characters import decode_utf8
from .csp import add_policy
from ..content.errors import ContentError, Problem
from ..render.leaflets import language_prefix, print_jobs, qr_files, text_direction, write_qr_files
from ..content.models import SOURCE_LANGUAGE

LINKS_FILE = "published-links.txt"
REDIRECTS_FILE = "redirects.yml"
REDIRECT_META = '<meta name="amparo-redirect"'
_HEADER_LINK = re.compile(r'<a class="headerlink" href="#([^"]+)"')
# A page's title is linked by the page's address, not by an anchor.
_TITLE_ID = re.compile(r'<h1 id="([^"]+)"')
_LIST_HEADER = """\
# Every address this site has published, one a line: pages, section anchors (#), files.
# Written by `amparo links update`, which only ever adds lines. Do not delete a line: when an
# address disappears, say where it went in procedures/redirects.yml (see CONTRIBUTING.md).
"""


@dataclass(frozen=True)
class Redirect:
    source: str     # an address without language: /guias/viejo/ or /guias/x/#viejo
    target: str     # where it went, in the same form
    line: int


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


def _read_text(path: Path, display: str) -> str:
    text, bad_line, why = decode_utf8(path.read_bytes())
    if text is None:
        raise ContentError([Problem(display, bad_line, "", why)])
    return text


def read_list(content_dir: Path) -> list[str]:
    path = Path(content_dir) / LINKS_FILE
    if not path.exists():
        return []
    return [line.strip() for line in _read_text(path, f"{Path(content_dir).name}/{LINKS_FILE}").splitlines()]


def update_list(content_dir: Path, current: set[str]) -> tuple[int, list[str]]:
    """Add what is published now to the list; returns how many were added and the listed
    addresses no longer published (kept: they need a redirect)."""
    listed = {line for line in read_list(content_dir) if line.startswith("/")}
    added = current - listed
    text = _LIST_HEADER + "".join(f"{line}\n" for line in sorted(listed | current))
    (Path(content_dir) / LINKS_FILE).write_text(text, encoding="utf-8")
    return len(added), sorted(listed - current)


def load_redirects(content_dir: Path) -> list[Redirect]:
    path = Path(content_dir) / REDIRECTS_FILE
    display = f"{Path(content_dir).name}/{REDIRECTS_FILE}"
    if not path.exists():
        return []
    try:
        root = yaml.compose(_read_text(path, display))
    except yaml.YAMLError as error:
        line = error.problem_mark.line + 1 if getattr(error, "problem_mark", None) else 1
        raise ContentError([Problem(display, line, "", f"is not valid YAML: {getattr(error, 'problem', error)}")]) from None
    entries = _mapping(root).get("redirects") if root is not None else None
    if entries is None or isinstance(entries, yaml.ScalarNode) and entries.value in ("", "null", "[]"):
        return []
    if not isinstance(entries, yaml.SequenceNode):
        raise ContentError([Problem(display, entries.start_mark.line + 1, "redirects", "must be a list of {from, to}")])
    redirects, problems = [], []
    for number, node in enumerate(entries.value):
        line = node.start_mark.line + 1
        fields = _mapping(node)
        values = {key: value.value for key, value in fields.items() if isinstance(value, yaml.ScalarNode)}
        if set(values) != {"from", "to"} or set(fields) != {"from", "to"}:
            problems.append(Problem(display, line, f"redirects.{number}", "needs exactly `from` and `to`, two addresses"))
            continue
        source, target = values["from"], values["to"]
        for name, value in (("from", source), ("to", target)):
            if not re.fullmatch(r"/([a-z0-9-]+/)*(#[A-Za-z0-9_-]+)?", value):
                elsewhere = " (a redirect never leads to another website)" if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//",
                                                                                       value) else ""
                problems.append(Problem(display, line, f"redirects.{number}.{name}",
                                        f"'{value}' is not an address of this site without its language, like "
                                        f"/guias/<guide id>/ or /guias/<guide id>/#<section>{elsewhere}"))
        if "#" in source and source.split("#")[0] != target.split("#")[0]:
            problems.append(Problem(display, line, f"redirects.{number}",
                                    "an anchor can move only within its page; when the page moves, redirect the page"))
        redirects.append(Redirect(source, target, line))
    if problems:
        raise ContentError(problems)
    return redirects


def page_address(page_path: str) -> str:
    """The address of a page under docs/ (guias/x.md → /guias/x/, index.md → /), without language."""
    stem = page_path[: -len(".md")] if page_path.endswith(".md") else page_path
    folder = stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    return "/" + folder


def redirect_problems(content_dir: Path, pages: set[str]) -> list[Problem]:
    """What a build can tell of redirects.yml before it writes anything: its form, a redirect that
    would replace a page of the site, and one that leads to a page the site does not have (the
    anchors of the target are checked on the built site, by `amparo links check` and the tests).
    `pages` are the site's pages under docs/ (guias/x.md…), generated and hand-written."""
    try:
        redirects = load_redirects(content_dir)
    except ContentError as error:
        return error.problems
    display = f"{Path(content_dir).name}/{REDIRECTS_FILE}"
    live = {page_address(page) for page in pages}
    problems = []
    for redirect in redirects:
        page = redirect.source.partition("#")[0]
        if "#" not in redirect.source and page in live:
            problems.append(Problem(display, redirect.line, redirect.source,
                                    "is still published: a redirect would replace a real page (readers would never "
                                    "reach it); remove the redirect, or the page"))
        if redirect.target.partition("#")[0] not in live:
            problems.append(Problem(display, redirect.line, redirect.target,
                                    f"(where {redirect.source} goes) is not a page of the site"))
    return problems


def _mapping(node) -> dict:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: value for key, value in node.value}


def _languages_of(address: str, languages: list[str]) -> tuple[str, str]:
    """('en', '/guias/x/#a') for '/en/guias/x/#a'; Spanish has no prefix."""
    for language in languages:
        prefix = "/" + language_prefix(language)
        if language != SOURCE_LANGUAGE and address.startswith(prefix):
            return language, "/" + address[len(prefix):]
    return SOURCE_LANGUAGE, address


def _covered(address: str, redirects: list[Redirect], languages: list[str]) -> bool:
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
        if not line.startswith("/") or line in current or _covered(line, redirects, languages):
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


_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parents[1] / "templates"),
                                autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def redirect_page(words, language: str, source: str, target: str, site_url: str, exit_url: str) -> str:
    """A static page at a moved address: the quick exit, the policy, and a link to the new address,
    which the browser follows at once (redirect.js carries the #section; without scripts,
    the refresh goes to the page)."""
    depth = len(source.strip("/").split("/")) if source.strip("/") else 0
    root = "../" * depth
    href = root + target.lstrip("/")
    page = _TEMPLATES.get_template("redirect.html").render(
        w=words, language=language, direction=text_direction(language), href=href, root=root,
        absolute=site_url.rstrip("/") + target, exit_url=exit_url)
    return add_policy(page)


def write_redirects(site_dir: Path, redirects: list[Redirect], site_words: dict, languages: list[str], site_url: str,
                    exit_url: str) -> None:
    site_dir = Path(site_dir)
    for redirect in redirects:
        for language in languages:
            prefix = "/" + language_prefix(language)
            source, target = prefix.rstrip("/") + redirect.source, prefix.rstrip("/") + redirect.target
            if "#" in redirect.source:
                _alias_anchor(site_dir, source, target)
                continue
            file = site_dir / source.lstrip("/") / "index.html"
            if file.exists() and REDIRECT_META not in file.read_text(encoding="utf-8"):
                continue  # still a real page: reported by the check, never overwritten
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(redirect_page(site_words[language], language, source, target, site_url, exit_url),
                            encoding="utf-8")


def _alias_anchor(site_dir: Path, source: str, target: str) -> None:
    """An old anchor kept as an empty target right before the section it moved to."""
    page, _, old = source.partition("#")
    new = target.partition("#")[2]
    file = site_dir / page.lstrip("/") / "index.html"
    if not file.exists():
        return
    text = file.read_text(encoding="utf-8")
    if f'id="{old}"' in text:
        return  # already there (the hook runs again for each language's build) or never gone
    marker = re.search(rf'<[a-z0-9]+\b[^>]*\bid="{re.escape(new)}"', text)
    if not marker:
        return
    text = text[: marker.start()] + f'<span id="{html.escape(old)}" class="amparo-moved-anchor"></span>' + text[marker.start():]
    file.write_text(text, encoding="utf-8")


def finish_print(site_dir: Path, site, languages: list[str], site_url: str, content_dir: Path, exit_url: str) -> None:
    """After the whole site is built: the QR code files and the pages at moved addresses."""
    guide_ids = [guide.id for guide in site.content.guides]
    write_qr_files(site_dir, guide_ids, languages, site_url)
    write_redirects(site_dir, load_redirects(content_dir), site.words, languages, site_url, exit_url)


def published_now(project, site_dir: Path) -> set[str]:
    from ..content.loader import load_content

    content = load_content(project.content_dir, project.sources_dir)
    return collect(site_dir, published_files([guide.id for guide in content.guides], project.languages))


def links_command(project, config_file: Path, action: str, site_dir: Path | None) -> int:
    """`amparo links update|check`: on `site_dir`, or on a site built for it (without PDFs)."""
    import os
    import subprocess
    import sys
    import tempfile

    try:
        redirects = load_redirects(project.content_dir)
        if site_dir is None:
            with tempfile.TemporaryDirectory(prefix="amparo-links-") as folder:
                result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file",
                                         str(config_file), "--site-dir", folder],
                                        env=dict(os.environ, AMPARO_PDF="off", NO_MKDOCS_2_WARNING="1"))
                if result.returncode != 0:
                    print("amparo links: the site did not build", file=sys.stderr)
                    return result.returncode
                current = published_now(project, Path(folder))
        else:
            current = published_now(project, site_dir)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    listed_file = f"{project.content_dir.name}/{LINKS_FILE}"
    if action == "update":
        added, gone = update_list(project.content_dir, current)
        print(f"Wrote {listed_file}: {added} addresses added, {len(current)} published now.")
        for address in gone:
            if not _covered(address, redirects, project.languages):
                print(f"  still listed, no longer published: {address} (add a redirect to "
                      f"{project.content_dir.name}/{REDIRECTS_FILE})", file=sys.stderr)
        return 0
    problems = check(project.content_dir, current, redirects, project.languages)
    if problems:
        print(ContentError(problems).report(), file=sys.stderr)
        return 1
    print(f"{listed_file}: every listed address is published or redirected ({len(current)} published).")
    return 0
