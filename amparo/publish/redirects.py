"""Moved addresses: `procedures/redirects.yml`, read and checked, and the pages it leaves behind.

A moved page leaves a static page at its old address that sends the reader on (with the quick
exit and the policy of every page); a moved anchor is kept as an empty target right before the
section it moved to.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..content.errors import ContentError, Problem
from ..content.forbidden_characters import decode_utf8
from ..content.loader import on_another_host
from ..render.html_templates import html_template
from ..render.leaflets import language_prefix, text_direction, write_qr_files
from .csp import add_policy

REDIRECTS_FILE = "redirects.yml"


REDIRECT_META = '<meta name="amparo-redirect"'


@dataclass(frozen=True)
class Redirect:
    source: str     # an address without language: /guias/viejo/ or /guias/x/#viejo
    target: str     # where it went, in the same form
    line: int


def read_text_file(path: Path, display: str) -> str:
    text, bad_line, why = decode_utf8(path.read_bytes())
    if text is None:
        raise ContentError([Problem(display, bad_line, "", why)])
    return text


def load_redirects(content_dir: Path) -> list[Redirect]:
    path = Path(content_dir) / REDIRECTS_FILE
    display = f"{Path(content_dir).name}/{REDIRECTS_FILE}"
    if not path.exists():
        return []
    try:
        root = yaml.compose(read_text_file(path, display))
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
                elsewhere = " (a redirect never leads to another website)" if on_another_host(value) else ""
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


def redirect_page(words, language: str, source: str, target: str, site_url: str, exit_url: str) -> str:
    """A static page at a moved address: the quick exit, the policy, and a link to the new address,
    which the browser follows at once (redirect.js carries the #section; without scripts,
    the refresh goes to the page)."""
    depth = len(source.strip("/").split("/")) if source.strip("/") else 0
    root = "../" * depth
    href = root + target.lstrip("/")
    page = html_template("redirect.html").render(
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
