"""The whole-site visit's findings are read again from an earlier run only while nothing they were
found from has changed (audit_cache.py): a page, a file it asked for, or the audit itself; and
each page's findings are its own (site_visit.py)."""

from __future__ import annotations

import json

import pytest

from audit_cache import AuditCache
from browser_helpers import visited

pytestmark = pytest.mark.browser

SERVER = "http://127.0.0.1:8000"
PAGE = "/guias/una-guia/"
ASKED = [SERVER + PAGE, SERVER + "/assets/main.css", SERVER + "/assets/fonts/a.woff2?v=2",
         "https://elsewhere.example/tracker.js"]
PROBLEMS = {"policy": [f"{PAGE}: CSP violations ['x']"], "foreign": ["https://elsewhere.example/tracker.js"],
            "axe": "color-contrast: 2 nodes", "sniffer": ["H32.2: no submit button"]}


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.delenv("AMPARO_AUDIT_CACHE", raising=False)
    site = tmp_path / "site"
    for name, text in {"guias/una-guia/index.html": "<h1>Una guía</h1>", "assets/main.css": "h1 {}",
                       "assets/fonts/a.woff2": "font", "assets/other.css": "p {}"}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return site


def kept(site, fingerprint="audit-1") -> AuditCache:
    return AuditCache("an audit", site, SERVER, fingerprint, folder=site.parent / "cache")


def test_what_was_found_is_found_again_problems_included_while_nothing_changed(site):
    kept(site).keep(PAGE, ASKED, PROBLEMS)
    assert kept(site).found(PAGE) == PROBLEMS


@pytest.mark.parametrize("change", ["the page", "a file it asked for", "a file it asked for is gone"])
def test_a_change_to_what_the_page_was_audited_with_audits_it_again(site, change):
    kept(site).keep(PAGE, ASKED, PROBLEMS)
    if change == "the page":
        (site / "guias/una-guia/index.html").write_text("<h1>Una guía nueva</h1>", encoding="utf-8")
    elif change == "a file it asked for":
        (site / "assets/fonts/a.woff2").write_text("another font", encoding="utf-8")
    else:
        (site / "assets/main.css").unlink()
    assert kept(site).found(PAGE) is None


def test_a_file_the_page_never_asked_for_does_not_matter_and_other_hosts_are_not_files(site):
    kept(site).keep(PAGE, ASKED, {"found": []})
    (site / "assets/other.css").write_text("p { color: red }", encoding="utf-8")
    entry = next((site.parent / "cache").rglob("*.json"))
    assert sorted(json.loads(entry.read_text(encoding="utf-8"))["files"]) == [
        "/assets/fonts/a.woff2?v=2", "/assets/main.css", PAGE]
    assert kept(site).found(PAGE) == {"found": []}


def test_another_audit_finds_nothing_and_its_old_entries_are_removed(site):
    kept(site, "audit-1").keep(PAGE, ASKED, {})
    assert kept(site, "audit-2").found(PAGE) is None
    assert kept(site, "audit-1").found(PAGE) is None


def test_with_the_cache_off_nothing_is_kept_or_read(site, monkeypatch):
    kept(site).keep(PAGE, ASKED, {})
    monkeypatch.setenv("AMPARO_AUDIT_CACHE", "off")
    assert kept(site).found(PAGE) is None
    kept(site).keep("/otra/", ASKED, {})
    assert len(list((site.parent / "cache").rglob("*.json"))) == 1


def test_a_request_to_another_host_belongs_to_the_page_it_was_made_on_or_after():
    from site_visit import foreign_by_page

    foreign = ["https://a.example/on-the-first", "https://b.example/between", "https://c.example/after-the-last"]
    assert foreign_by_page({"/": 0, "/guias/": 1, "/seguridad/": 2}, foreign) == {
        "/": ["https://a.example/on-the-first"], "/guias/": ["https://b.example/between"],
        "/seguridad/": ["https://c.example/after-the-last"]}
    assert foreign_by_page({"/": 0, "/guias/": 0}, foreign) == {"/": [], "/guias/": foreign}


@pytest.mark.parametrize("language", visited(["es"]))
def test_the_visit_keeps_each_page_with_the_files_the_browser_asked_for(visit_language, browser, server, site_dir,
                                                                      language):
    # The real visit: a guide's entry names the theme's stylesheet and script, asked for by the
    # browser (from its cache, for every page after the first), and the page itself.
    import site_visit

    findings = visit_language(language)
    cache = site_visit.kept_findings(browser, server, site_dir)
    if cache.folder is None:
        pytest.skip("AMPARO_AUDIT_CACHE=off: the visit keeps nothing")
    guide = next(path for path in findings.paths if path.startswith("/guias/"))
    entry = json.loads(cache._entry(guide).read_text(encoding="utf-8"))
    asked = sorted(entry["files"])
    assert guide in asked
    assert any(path.startswith("/assets/stylesheets/main.") for path in asked), asked
    assert any(path.startswith("/assets/javascripts/bundle.") for path in asked), asked
    assert cache.found(guide) is not None
