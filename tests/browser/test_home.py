"""The home page's first screen, in every language, on the phones the site is for: what the site
is, the way to the quiz and the quick exit, with nothing to scroll; the translation notice right
after, compact; the Shift×3 shortcut told only where there is a keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_helpers import ALL_LANGUAGES, DESKTOP

pytestmark = pytest.mark.browser

PHONES = {"390x844": {"width": 390, "height": 844}, "360x740": {"width": 360, "height": 740}}


def touch_phone(reading_page, viewport):
    """A phone as Chromium emulates one: a finger (coarse pointer, no hover), no keyboard."""
    return reading_page(viewport=viewport, is_mobile=True, has_touch=True)


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found, f"{locator} is not laid out"
    return found


def within(found: dict, viewport: dict) -> bool:
    return (found["y"] >= 0 and found["y"] + found["height"] <= viewport["height"]
            and found["x"] >= 0 and found["x"] + found["width"] <= viewport["width"])


@pytest.mark.parametrize("phone", PHONES)
@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_the_first_screen_says_what_the_site_is_and_holds_the_quiz_and_the_exit(reading_page, language, phone):
    viewport = PHONES[phone]
    page, guard = touch_phone(reading_page, viewport)
    page.goto(ALL_LANGUAGES[language] + "/")
    content = page.locator("article.md-content__inner")
    title, intro = content.locator("h1"), content.locator("h1 ~ p").first
    quiz = content.locator("a.md-button--primary[href*='cuestionario']")
    expect(quiz).to_have_count(1)
    exit_button = page.locator("[data-amparo-exit]")
    for name, part in (("title", title), ("what the site is", intro), ("way to the quiz", quiz),
                       ("quick exit", exit_button)):
        assert within(box(part), viewport), f"{language} at {phone}: the {name} is not on the first screen: {box(part)}"
    # The notice follows the way to the quiz, compact: at most a few lines.
    notice = content.locator(".admonition.amparo-compact")
    if language == "es":
        expect(notice).to_have_count(0)
    else:
        expect(notice).to_have_count(1)
        assert box(notice)["y"] >= box(quiz)["y"] + box(quiz)["height"], "the translation notice comes first"
        assert box(notice)["height"] <= 160, box(notice)
    # A phone has no Shift key to press three times: the hint is not shown, nor read out.
    hint = content.locator(".amparo-keyboard-only")
    expect(hint).to_have_count(1)
    expect(hint).to_be_hidden()
    assert not guard.foreign and not guard.csp


@pytest.mark.parametrize("language", ["es", "ar", "zh"])
def test_a_computer_with_a_mouse_is_told_the_shift_shortcut(reading_page, language):
    page, guard = reading_page(viewport=DESKTOP)
    page.goto(ALL_LANGUAGES[language] + "/")
    hint = page.locator("article .amparo-keyboard-only")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("⇧")
