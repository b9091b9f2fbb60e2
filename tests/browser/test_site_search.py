"""Material's search works offline, from this site's own index, in each language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_helpers import DESKTOP, MOBILE, open_search

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
@pytest.mark.parametrize(("start", "word", "prefix"), [
    ("/guias/espana-victimas-trata/", "permiso", "/"),
    ("/en/guias/espana-victimas-trata/", "permit", "/en/"),
], ids=["es", "en"])
def test_search_finds_pages_in_the_reader_language(open_context, server, viewport, start, word, prefix):
    context, guard = open_context(viewport=viewport)
    page = context.new_page()
    page.goto(start)
    # Typed key by key: Material reads the query on keyboard events.
    open_search(page).press_sequentially(word, delay=20)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    # mkdocs-static-i18n builds one index for both languages, so results may mix them; the
    # reader's language must be among them.
    links = results.locator("a").evaluate_all("links => links.map((a) => new URL(a.href).pathname)")
    in_language = [link for link in links if link.startswith("/en/") == (prefix == "/en/")]
    assert in_language, links
    assert not guard.foreign and not guard.csp
