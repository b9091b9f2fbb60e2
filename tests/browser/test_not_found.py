"""A mistyped address or an old QR code: the reader meets a page she can read, whatever her
language, with the way to each language's home and safety page and the quick exit; under a
language's folder, where the host allows (nginx as `amparo nginx` configures it), in that language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser_helpers import ALL_LANGUAGES, MOBILE, Guard
from nginx_server import NGINX, nginx

pytestmark = pytest.mark.browser

# A mistyped address → the language its page is in (the site's root one names every language).
MISTYPED = {"/no-such-page/": "es", "/guias/espana-victimas-trat/": "es", "/fr/guias/no-such-guide/": "fr",
            "/ar/seguridadd/": "ar", "/zh/imprimir/old-leaflet.pdf": "zh"}
DEFAULT = next(code for code, prefix in ALL_LANGUAGES.items() if not prefix)


@pytest.fixture(scope="module")
def served(site_dir, tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: apt-get install --no-install-recommends nginx (make test does it)")
    with nginx(site_dir, tmp_path_factory.mktemp("nginx")) as (url, _):
        yield url


def home(code: str) -> str:
    return ALL_LANGUAGES[code] + "/"


@pytest.mark.parametrize("path", MISTYPED)
def test_a_mistyped_address_leads_to_every_language_home_with_the_exit(browser, served, path):
    context = browser.new_context(base_url=served, viewport=MOBILE)
    guard = Guard(served)
    guard.attach(context)
    page = context.new_page()
    response = page.goto(path)
    assert response.status == 404
    language = MISTYPED[path]
    expect(page.locator("html")).to_have_attribute("lang", language)
    article = page.locator("article")
    for code in ALL_LANGUAGES:
        expect(article.locator(f"a[href='{home(code)}']")).to_have_count(1)
        expect(article.locator(f"a[href='{home(code)}seguridad/']")).to_have_count(1)
        if code != language or language == DEFAULT:
            # Each other language in its own words, marked as such, with the exit named in it.
            row = article.locator(f"li[lang='{code}']")
            expect(row).to_have_count(1)
            expect(row).to_have_attribute("dir", "rtl" if code == "ar" else "ltr")
            expect(row.locator("a[data-amparo-exit-also]")).to_have_count(1)
    expect(page.locator("button[data-amparo-exit]")).to_be_visible()
    # Its language menu leads to each language's home.
    menu = page.locator(".md-select__link").evaluate_all("links => links.map((a) => a.getAttribute('href'))")
    assert menu == [home(code) for code in ALL_LANGUAGES], menu
    assert not guard.csp and not guard.foreign
    context.close()


def test_the_exit_named_in_another_language_leaves_as_the_button_does(open_context):
    """The site's root page, as GitHub Pages serves it for every address: the Chinese row's exit
    blanks the page at once and leaves, replacing the history entry."""
    context, guard = open_context(viewport=MOBILE)
    page = context.new_page()
    page.goto("/")
    page.goto("/404.html")
    length = page.evaluate("history.length")
    exit_link = page.locator("li[lang='zh'] a[data-amparo-exit-also]")
    neutral = exit_link.get_attribute("href")
    assert neutral == page.locator("[data-amparo-exit-url]").get_attribute("data-amparo-exit-url")
    page.route(neutral, lambda route: route.fulfill(status=204))
    with page.expect_request(lambda request: request.url == neutral and request.is_navigation_request()):
        exit_link.click(no_wait_after=True)
    expect(page.locator("html")).to_have_class(re.compile(r"\bamparo-exiting\b"))
    assert page.evaluate("history.length") == length
    assert not guard.csp
