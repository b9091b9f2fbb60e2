"""Whole-site audits over every built page in every language: links and anchors resolve, every
procedure names its source and date, and axe-core finds no WCAG 2.2 A/AA violation."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from browser_helpers import EVERY_LANGUAGE, built_pages

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "html":
            self.lang = attributes.get("lang", "")
        for name in ("href", "src"):
            if attributes.get(name) and not (tag == "link" and attributes.get("rel") in ("alternate", "canonical")):
                self.links.append(attributes[name])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _file_for(site_dir: Path, url_path: str) -> Path:
    target = site_dir / unquote(url_path).lstrip("/")
    return target / "index.html" if url_path.endswith("/") or target.is_dir() else target


def test_every_internal_link_and_anchor_resolves(site_dir):
    base = "http://site.test"
    parsed = {path: _parse(_file_for(site_dir, path)) for path in built_pages(site_dir)}
    broken = []
    for path, page in parsed.items():
        for link in page.links:
            url = urlsplit(urljoin(base + path, link))
            if url.scheme in ("mailto", "tel", "data") or url.netloc != "site.test":
                continue
            target = _file_for(site_dir, url.path)
            if not target.exists():
                broken.append(f"{path}: {link} (no {target.relative_to(site_dir)})")
                continue
            if url.fragment and target.suffix == ".html":
                ids = parsed[url.path].ids if url.path in parsed else _parse(target).ids
                if unquote(url.fragment) not in ids:
                    broken.append(f"{path}: {link} (no id '{url.fragment}')")
    assert not broken, "\n".join(broken)


def test_every_procedure_page_names_its_source_and_date_in_every_language(site_dir):
    sources = {s["id"]: s for s in yaml.safe_load((REPO / "procedures/sources.yml").read_text(encoding="utf-8"))["sources"]}
    guides = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((REPO / "procedures/guides").glob("*.yml"))]
    languages = [""] + [f"{d.name}/" for d in site_dir.iterdir() if (d / "guias").is_dir()]
    assert len(languages) >= 8, languages
    for guide in guides:
        source = sources[guide["source"]]
        for prefix in languages:
            html = _file_for(site_dir, f"/{prefix}guias/{guide['id']}/").read_text(encoding="utf-8")
            page = _parse(_file_for(site_dir, f"/{prefix}guias/{guide['id']}/"))
            assert "fuente" in page.ids, f"{prefix}{guide['id']}: no source section"
            assert 'class="amparo-source-line"' in html, f"{prefix}{guide['id']}: no source line under the title"
            if source["last_updated"]:
                year = source["last_updated"][:4]
                assert html.count(year) >= 2, f"{prefix}{guide['id']}: the source's date ({year}) is not shown"


@pytest.mark.parametrize("language", EVERY_LANGUAGE)
def test_no_page_in_any_language_has_an_accessibility_violation(visit_language, language):
    # axe-core at desktop size on each page once it has loaded (site_visit.py: one visit per
    # language for this audit, the policy audit and HTML_CodeSniffer's).
    findings = visit_language(language)
    assert len(findings.paths) >= 10, findings.paths
    assert not findings.axe, "\n\n".join(findings.axe)
