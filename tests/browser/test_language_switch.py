"""The language switcher and the hreflang links lead to this same page in the other language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_helpers import ALL_LANGUAGES, GUIDES

pytestmark = pytest.mark.browser

OTHER = {"es": "en", "en": "es"}
PATHS = {
    "home": {"es": "/", "en": "/en/"},
    "safety": {"es": "/seguridad/", "en": "/en/seguridad/"},
    **{guide: {"es": f"/guias/{guide}/", "en": f"/en/guias/{guide}/"} for guide in GUIDES},
}


def switch(page, language: str) -> None:
    page.locator(".md-select > button").click()  # opens the menu (it also opens on hover or focus)
    page.locator(f"a.md-select__link[hreflang='{language}']").click()


@pytest.mark.parametrize("name", [name for name in PATHS if name not in ("home", "safety")])
def test_switcher_lands_on_the_same_guide_and_back(reading_page, name):
    page, guard = reading_page()
    paths = PATHS[name]
    page.goto(paths["es"])
    title_es = page.locator("h1").first.inner_text()
    switch(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith(paths["en"]), page.url
    # English is a complete language: the page must really be in English, not Spanish in lang="en".
    assert page.locator("h1").first.inner_text() != title_es
    switch(page, "es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url.endswith(paths["es"]), page.url
    assert not guard.foreign and not guard.csp


@pytest.mark.parametrize("language", [code for code in ALL_LANGUAGES if code != "es"])
def test_switcher_keeps_the_section(reading_page, language):
    page, guard = reading_page()
    page.goto("/guias/espana-victimas-trata/#tasa")
    switch(page, language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert page.url.endswith(f"/{language}/guias/espana-victimas-trata/#tasa"), page.url
    expect(page.locator("#tasa")).to_be_visible()
    assert not guard.foreign and not guard.csp


@pytest.mark.parametrize("name", list(PATHS))
@pytest.mark.parametrize("language", ["es", "en"])
def test_hreflang_links_name_this_page_in_each_language(reading_page, server, name, language):
    page, guard = reading_page()
    page.goto(PATHS[name][language])
    alternates = page.locator("head link[rel='alternate'][hreflang]").evaluate_all(
        "links => links.map((l) => [l.hreflang, new URL(l.href).pathname])")
    spanish = PATHS[name]["es"]
    expected = [[code, prefix + spanish] for code, prefix in ALL_LANGUAGES.items()] + [["x-default", spanish]]
    assert sorted(alternates) == sorted(expected)


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_the_menu_shows_every_language_at_once_on_a_phone(reading_page, language):
    """At 390×844, by touch: all the languages without scrolling the menu, each within the screen
    and a finger's height."""
    viewport = {"width": 390, "height": 844}
    page, guard = reading_page(viewport=viewport, is_mobile=True, has_touch=True)
    page.goto(ALL_LANGUAGES[language] + f"/guias/{GUIDES[0]}/")
    page.locator(".md-select > button").tap()
    links = page.locator(".md-select__link")
    expect(links).to_have_count(len(ALL_LANGUAGES))
    expect(links.last).to_be_visible()
    scroll, height = page.locator(".md-select__list").evaluate("(list) => [list.scrollHeight, list.clientHeight]")
    assert scroll <= height, f"the menu scrolls: {scroll} px in {height} px"
    for link in links.all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
        assert round(box["height"]) >= 44, box  # (sub-pixel layout: 43.99…)
    assert not guard.foreign and not guard.csp
