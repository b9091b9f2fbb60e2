"""Every built page, in both languages: served, under one strict CSP, and self-contained."""

from __future__ import annotations

import re

import pytest

from browser_helpers import ALL_LANGUAGES, built_pages, open_search, pages_of_language

pytestmark = pytest.mark.browser

_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_CSP = re.compile(r'http-equiv="Content-Security-Policy"\s+content="([^"]*)"', re.IGNORECASE)


def script_src(policy: str) -> list[str]:
    for directive in policy.split(";"):
        name, *values = directive.split()
        if name == "script-src":
            return values
    return []


def test_site_has_both_languages(site_dir):
    pages = built_pages(site_dir)
    assert "/" in pages and "/en/" in pages
    assert any(p.startswith("/en/guias/") for p in pages), pages


def test_the_languages_together_are_the_whole_site(site_dir):
    split = [path for language in ALL_LANGUAGES for path in pages_of_language(site_dir, language)]
    assert sorted(split) == sorted(built_pages(site_dir))


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_every_page_loads_under_its_policy_with_nothing_from_elsewhere(site_dir, open_context, language):
    context, guard = open_context()
    page = context.new_page()
    problems = []
    paths = pages_of_language(site_dir, language)
    assert len(paths) >= 10, paths
    for path in paths:
        guard.csp.clear()
        response = page.goto(path, wait_until="networkidle")
        if response is None or response.status != 200:
            problems.append(f"{path}: status {response and response.status}")
            continue
        html = response.text()
        metas = _META.findall(html)
        policies = _CSP.findall(html)
        if len(policies) != 1:
            problems.append(f"{path}: {len(policies)} CSP meta tags")
        elif len(metas) < 2 or "charset" not in metas[0].lower() or "Content-Security-Policy" not in metas[1]:
            problems.append(f"{path}: the CSP is not the first meta after the charset: {metas[:2]}")
        else:
            sources = script_src(policies[0])
            # 'wasm-unsafe-eval' is allowed (WebAssembly only); eval() and inline code are not.
            for forbidden in ("'unsafe-eval'", "'unsafe-inline'"):
                if forbidden in sources:
                    problems.append(f"{path}: script-src allows {forbidden}")
        if guard.csp:
            problems.append(f"{path}: CSP violations {guard.csp}")
    assert not problems, "\n".join(problems)
    assert not guard.foreign, f"requests to other hosts: {guard.foreign}"


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
