"""Every built page, in both languages: served, under one strict CSP, and self-contained."""

from __future__ import annotations

import pytest

from browser_helpers import ALL_LANGUAGES, EVERY_LANGUAGE, built_pages, open_search, pages_of_language

pytestmark = pytest.mark.browser

def test_site_has_both_languages(site_dir):
    pages = built_pages(site_dir)
    assert "/" in pages and "/en/" in pages
    assert any(p.startswith("/en/guias/") for p in pages), pages


def test_the_languages_together_are_the_whole_site(site_dir):
    split = [path for language in ALL_LANGUAGES for path in pages_of_language(site_dir, language)]
    assert sorted(split) == sorted(built_pages(site_dir))


@pytest.mark.parametrize("language", EVERY_LANGUAGE)
def test_every_page_loads_under_its_policy_with_nothing_from_elsewhere(visit_language, language):
    # Each page loaded with its policy enforced until the network is quiet: status 200, one CSP
    # meta tag first after the charset, no eval() or inline code allowed, no CSP violation, and
    # no request to another host (site_visit.py: one visit per language for this audit, axe-core's
    # and HTML_CodeSniffer's).
    findings = visit_language(language)
    assert len(findings.paths) >= 10, findings.paths
    assert not findings.policy, "\n".join(findings.policy)
    assert not findings.foreign, f"requests to other hosts: {findings.foreign}"


def test_nothing_is_stored_in_the_browser(open_context):
    # The privacy page promises no cookies and no storage: browse, search, switch language.
    context, guard = open_context()
    page = context.new_page()
    page.goto("/guias/espana-victimas-trata/")
    page.goto("/")
    open_search(page).press_sequentially("permiso", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    page.goto("/en/seguridad/")
    stored = page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]")
    assert stored == [0, 0, ""]
    assert context.cookies() == []
    assert not guard.foreign and not guard.csp


def test_a_request_to_another_host_is_recorded_and_never_leaves_the_machine(open_context):
    # The control for every "nothing from elsewhere" above: the guard sees such a request, and the
    # browser's proxy (browser_helpers.CHROMIUM_ARGS) makes it fail, page and script alike.
    from playwright.sync_api import Error

    context, guard = open_context()
    failed = []
    context.on("requestfailed", lambda request: failed.append(request.url))
    with pytest.raises(Error, match="ERR_PROXY_CONNECTION_FAILED"):
        context.new_page().goto("https://example.org/a-page")
    # A blank page has no policy to stop its script (the site's pages do: their CSP).
    page = context.new_page()
    assert page.evaluate("fetch('https://example.org/from-a-script').then(() => 'loaded', () => 'failed')") == "failed"
    assert guard.foreign == ["https://example.org/a-page", "https://example.org/from-a-script"]
    assert failed == guard.foreign
