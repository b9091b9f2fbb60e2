"""Search works offline, from this site's own index, in each language: each language has its own
index, so results are in the reader's language and a page downloads one language, not eight."""

from __future__ import annotations

import re
import warnings

import pytest
from playwright.sync_api import expect

from browser_helpers import ALL_LANGUAGES, DESKTOP, GUIDES, MOBILE, open_search

pytestmark = pytest.mark.browser

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # jieba 0.42's regular expressions
    import jieba

LETTERS = re.compile(r"[^\W\d_]{3,}")
HAN = re.compile(r"[\u4e00-\u9fff]+")


def a_word_of(title: str, language: str) -> str:
    """The longest word of a page's title, as its reader would type it (the last, if several are
    as long: titles name the country first, and every guide names it). Chinese is written without
    spaces: its words are the ones jieba finds, as the build splits them for the index."""
    words = [word for word in jieba.cut(title) if HAN.fullmatch(word)] if language == "zh" else LETTERS.findall(title)
    assert words, f"no word in {title!r}"
    return max(reversed(words), key=len)


def results(page) -> list[str]:
    found = page.locator(".md-search-result__item")
    expect(found.first).to_be_visible()
    return found.locator("a").evaluate_all("links => links.map((a) => new URL(a.href).pathname)")


def search(page, word: str):
    """Typed key by key, as on a computer's keyboard."""
    box = open_search(page)
    box.press_sequentially(word, delay=20)
    return results(page)


def search_as_a_phone_keyboard_does(page, word: str):
    """The word arrives whole, with no key pressed: a phone keyboard's suggestion, a Chinese input
    method's candidate, handwriting or voice. Only an input event tells the page."""
    open_search(page)
    page.keyboard.insert_text(word)
    return results(page)


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_a_word_of_a_page_finds_it_in_the_reader_language_only(reading_page, language):
    """In each language, a word taken from the page itself (its title, as built), typed as a phone
    does, finds that page, and only pages of that language; the word stays out of the address."""
    page, guard = reading_page(viewport=MOBILE)
    prefix = ALL_LANGUAGES[language]
    path = f"{prefix}/guias/{GUIDES[0]}/"
    page.goto(path)
    word = a_word_of(page.locator("h1").inner_text(), language)
    links = search_as_a_phone_keyboard_does(page, word)
    assert path in links, f"{word!r} did not find {path}: {links}"
    folders = [other for code, other in ALL_LANGUAGES.items() if other and code != language]
    assert all(link.startswith(prefix + "/") for link in links), links
    assert not any(link.startswith(folder + "/") for link in links for folder in folders), links
    assert word not in page.url and "?" not in page.url
    assert not guard.foreign and not guard.csp


def test_search_on_a_phone(open_context):
    context, guard = open_context(viewport=MOBILE)
    page = context.new_page()
    page.goto("/en/guias/espana-victimas-trata/")
    links = search(page, "permit")
    assert links and all(link.startswith("/en/") for link in links), links


@pytest.mark.parametrize("how", ["search box", "phone's search button", "keyboard shortcut"])
def test_a_page_downloads_its_own_language_index_only_when_the_reader_searches(open_context, how):
    """A reader who never searches downloads no index and builds none (data and processor, on every
    page of a cheap phone: assets/search-when-asked.js); one who does gets her language's, not eight."""
    context, guard = open_context(viewport=MOBILE if how == "phone's search button" else DESKTOP)
    page = context.new_page()
    indexes = []
    page.on("request", lambda request: request.url.endswith("search_index.json") and indexes.append(request.url))
    page.goto("/fr/guias/espana-victimas-trata/")
    page.wait_for_load_state("networkidle")
    page.locator("h1").click()  # as a reader reading: nothing asked for yet
    assert indexes == [], "the index was downloaded before the reader searched"
    if how == "keyboard shortcut":
        page.keyboard.press("s")  # Material's: s, f or / put the keyboard in the search box
        expect(page.locator(".md-search__input")).to_be_focused()
        page.keyboard.type("permis", delay=20)
        found = results(page)
    else:
        found = search(page, "permis")
    assert found and all(link.startswith("/fr/") for link in found), found
    assert [url.split("/", 3)[3] for url in indexes] == ["fr/search/search_index.json"]


def open_best_result(page, how: str) -> list[str]:
    """Search, then open the best result as a reader would; the addresses the browser asked for."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/guias/comparar/")
    search(page, "permiso")
    best = page.locator(".md-search-result__list > li:first-child a[href]").first
    expected = best.evaluate("a => new URL(a.href).pathname")
    if how == "Enter":
        page.locator(".md-search__input").press("Enter")
    elif how == "click":
        best.click()
    else:
        submit = page.get_by_role("search").get_by_role("button", name="Buscar", exact=True)
        submit.focus()
        expect(submit).to_be_visible()  # out of sight until it has focus
        submit.press("Enter")
    page.wait_for_url("**" + expected)
    return requests


@pytest.mark.parametrize("how", ["Enter", "click", "submit button"])
def test_the_search_query_never_leaves_the_page(open_context, how):
    """Not in the address of the result (so not in the history), not in any request (so not in
    the host's logs): Material's search.highlight would add it as ?h=…, and a form would send it."""
    context, guard = open_context(viewport=MOBILE)
    page = context.new_page()
    requests = open_best_result(page, how)
    assert "permiso" not in page.url
    assert not [url for url in requests if "permiso" in url], "the query was sent"
    assert not guard.foreign and not guard.csp


def test_the_search_form_has_a_submit_button_with_a_name(open_context):
    """For assistive technology (HTML_CodeSniffer's H32.2): the search landmark holds a form
    with a named submit button, which opens the best result, as Enter does."""
    context, guard = open_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto("/en/")
    expect(page.get_by_role("search").get_by_role("button", name="Search", exact=True)).to_have_count(1)
    page.goto("/")
    expect(page.get_by_role("search").get_by_role("button", name="Buscar", exact=True)).to_have_count(1)
