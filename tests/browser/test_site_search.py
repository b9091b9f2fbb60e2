"""Search works offline, from this site's own index, in each language: each language has its own
index, so results are in the reader's language and a page downloads one language, not eight."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_helpers import ALL_LANGUAGES, DESKTOP, MOBILE, open_search

pytestmark = pytest.mark.browser

# A word each language's guides use ("permit", "residence"…), as a reader would type it.
WORDS = {"es": "permiso", "en": "permit", "fr": "permis", "pt": "autorização", "ar": "الإقامة", "ro": "permis",
         "zh": "居留", "ht": "pèmi"}


def search(page, word: str):
    box = open_search(page)
    box.press_sequentially(word, delay=20)
    # Material reads the query on key events; words typed as text (Arabic, Chinese) send none.
    box.press("End")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    return results.locator("a").evaluate_all("links => links.map((a) => new URL(a.href).pathname)")


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_search_finds_pages_in_the_reader_language_only(open_context, language):
    assert set(WORDS) == set(ALL_LANGUAGES), "a search word for every language"
    context, guard = open_context(viewport=DESKTOP)
    page = context.new_page()
    prefix = ALL_LANGUAGES[language]
    page.goto(prefix + "/guias/espana-victimas-trata/")
    links = search(page, WORDS[language])
    folders = [other for code, other in ALL_LANGUAGES.items() if other and code != language]
    assert all(link.startswith(prefix + "/") for link in links), links
    assert not any(link.startswith(folder + "/") for link in links for folder in folders), links
    assert not guard.foreign and not guard.csp


def test_search_on_a_phone(open_context):
    context, guard = open_context(viewport=MOBILE)
    page = context.new_page()
    page.goto("/en/guias/espana-victimas-trata/")
    links = search(page, "permit")
    assert links and all(link.startswith("/en/") for link in links), links


def test_a_page_downloads_only_its_own_language_index(open_context):
    context, guard = open_context()
    page = context.new_page()
    indexes = []
    page.on("request", lambda request: request.url.endswith("search_index.json") and indexes.append(request.url))
    page.goto("/fr/guias/espana-victimas-trata/")
    search(page, "permis")
    assert [url.split("/", 3)[3] for url in indexes] == ["fr/search/search_index.json"]
