"""Quick exit: blank at once, leave by replacing the history entry, never come back."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from browser_helpers import ALL_LANGUAGES, DESKTOP, MOBILE

pytestmark = pytest.mark.browser

GUIDE = "/guias/espana-victimas-trata/"
BUTTON = "button[data-amparo-exit]"
STATE = """({
  exiting: document.documentElement.classList.contains("amparo-exiting"),
  main: document.querySelector("main") !== null,
  text: document.body.innerText.trim(),
})"""
# Runs after the page's own click/keydown handlers, in the same event dispatch: it sees the
# page as each key or click left it.
STATE_SPY = """
for (const type of ["click", "keydown"]) {
  window.addEventListener(type, () => console.log("amparo-state " + JSON.stringify(%s)));
}
""" % STATE
BLANK = {"exiting": True, "main": False, "text": ""}


@pytest.fixture(scope="module")
def exit_labels() -> dict[str, str]:
    """The quick exit's words in each language, as the catalogs give them."""
    from amparo.project import read_project
    from amparo.site import build_site

    project = read_project(Path(__file__).resolve().parents[2] / "mkdocs.yml")
    site = build_site(project.content_dir, project.sources_dir, project.settings())
    return {language: words("exit") for language, words in site.words.items()}


def neutral_url(page) -> str:
    url = page.locator("[data-amparo-exit-url]").get_attribute("data-amparo-exit-url")
    assert urlsplit(url).scheme == "https" and urlsplit(url).hostname != "127.0.0.1"
    return url


def click(page, selector: str) -> None:
    # The mouse itself: Locator.click() would wait for the navigation it starts to finish.
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def spy(context) -> list[dict]:
    states = []
    context.add_init_script(STATE_SPY)
    context.on("console", lambda m: m.text.startswith("amparo-state ") and states.append(json.loads(m.text[13:])))
    return states


def wait_until_left(page, base: str) -> None:
    # The aborted neutral page commits as an error page; page.wait_for_url raises on it.
    for _ in range(50):
        if not page.url.startswith(base):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"still on {page.url}")


def settle(page, condition) -> None:
    for _ in range(50):
        if condition():
            return
        page.wait_for_timeout(100)
    pytest.fail("condition not met within 5 s")


def press_shift_three_times_until_it_leaves(page, neutral: str, tries: int = 3) -> None:
    """Three presses count within one second. On a busy machine (the suite runs on two
    processes) three key presses sent to the browser can take longer than that: press three
    more, a few times; a page whose keyboard does not leave fails every time."""
    for attempt in range(tries):
        try:
            with page.expect_request(lambda request: request.url == neutral and request.is_navigation_request(),
                                     timeout=10_000):
                for _ in range(3):
                    page.keyboard.press("Shift")
            return
        except PlaywrightTimeoutError:
            if attempt == tries - 1:
                raise


@pytest.mark.parametrize("how", ["click", "shift"])
@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_quick_exit_blanks_at_once_and_replaces_the_page(open_context, server, language, how):
    context, guard = open_context()
    states = spy(context)
    page = context.new_page()
    prefix = ALL_LANGUAGES[language]
    page.goto(prefix + "/")
    page.goto(prefix + GUIDE)
    heading = page.locator("h1").first.inner_text()
    neutral = neutral_url(page)
    length = page.evaluate("history.length")
    # First the neutral page answers "No Content": the browser stays, and what the exit left of
    # this page can be read (a page that is still leaving cannot be asked anything).
    page.route(neutral, lambda route: route.fulfill(status=204))
    if how == "click":
        with page.expect_request(lambda request: request.url == neutral and request.is_navigation_request()):
            click(page, BUTTON)
    else:
        press_shift_three_times_until_it_leaves(page, neutral)
    assert page.evaluate(STATE) == BLANK
    before_exit = 2 if how == "shift" else 0   # the first two presses must not blank anything
    settle(page, lambda: len(states) >= before_exit)
    assert BLANK not in states[:before_exit], "blanked before the exit was asked for"

    # Then it leaves for real (the keyboard still works on the blank page); the guard aborts it.
    page.unroute(neutral)
    press_shift_three_times_until_it_leaves(page, neutral)
    wait_until_left(page, server)
    assert page.evaluate("history.length") == length, "the exit added a history entry instead of replacing one"
    assert guard.foreign == [neutral]  # expected, and aborted by the guard

    # Back goes to the page before, not to the page that was left.
    page.go_back()
    assert urlsplit(page.url).path == prefix + "/"
    expect(page.get_by_role("heading", name=heading, exact=True)).to_have_count(0)
    assert guard.foreign == [neutral] and not guard.csp


def test_shift_while_typing_does_not_exit(open_context):
    context, guard = open_context()
    page = context.new_page()
    page.goto(GUIDE)
    page.keyboard.press("Shift+A")
    page.keyboard.press("Shift+B")
    page.keyboard.press("Shift+C")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(200)
    assert not guard.foreign
    expect(page.locator("main")).to_be_visible()


def test_restored_from_back_forward_cache_it_leaves_again(open_context):
    context, guard = open_context()
    page = context.new_page()
    page.goto(GUIDE)
    neutral = neutral_url(page)
    requests = []
    # 204: the browser stays on the (blanked) page, as if the neutral page had not loaded yet.
    page.route(neutral, lambda route: (requests.append(route.request.url), route.fulfill(status=204)))
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    page.wait_for_timeout(200)
    assert requests == [], "a page that was never left must not leave on pageshow"

    click(page, BUTTON)
    expect(page.locator("html")).to_have_class(re.compile(r"\bamparo-exiting\b"))
    settle(page, lambda: len(requests) == 1)
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    settle(page, lambda: len(requests) == 2)
    assert not guard.foreign


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_quick_exit_is_reached_first_and_works_from_the_keyboard(open_context, exit_labels, language):
    context, guard = open_context()
    page = context.new_page()
    page.goto(ALL_LANGUAGES[language] + GUIDE)
    neutral = neutral_url(page)
    for _ in range(2):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('button[data-amparo-exit]')"):
            break
    else:
        pytest.fail("the quick exit is not among the first two Tab stops")
    label = page.locator(BUTTON).inner_text().strip()
    assert label == exit_labels[language]
    with page.expect_request(neutral):
        page.keyboard.press("Enter")
    settle(page, lambda: guard.foreign == [neutral])  # the route handler runs a moment later


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE, {"width": 320, "height": 568}], ids=["desktop", "mobile", "320px"])
@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_quick_exit_is_large_visible_and_overlaps_nothing(open_context, language, viewport):
    context, guard = open_context(viewport=viewport)
    page = context.new_page()
    page.goto(ALL_LANGUAGES[language] + GUIDE)
    boxes = page.evaluate("""() => {
      const box = (el) => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
      const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
      const controls = [...document.querySelectorAll(".md-header a, .md-header button, .md-header label, .md-header input")]
        .filter(shown).filter((el) => !el.closest(".amparo-exit"));
      return {
        exit: box(document.querySelector("button[data-amparo-exit]")),
        safety: box(document.querySelector(".amparo-exit__safety")),
        others: controls.map(box),
      };
    }""")
    exit_box, safety = boxes["exit"], boxes["safety"]
    assert exit_box["w"] >= 44 and exit_box["h"] >= 44, exit_box
    assert safety["w"] >= 24 and safety["h"] >= 24, safety
    for box in (exit_box, safety):
        assert box["x"] >= 0 and box["x"] + box["w"] <= viewport["width"], box
        for other in boxes["others"]:
            overlap = (box["x"] < other["x"] + other["w"] and other["x"] < box["x"] + box["w"]
                       and box["y"] < other["y"] + other["h"] and other["y"] < box["y"] + box["h"])
            assert not overlap, (box, other)
    # It stays on screen while reading.
    page.mouse.wheel(0, 3000)
    expect(page.locator(BUTTON)).to_be_in_viewport()
    expect(page.locator(".amparo-exit__safety")).to_be_in_viewport()


@pytest.mark.parametrize("opened", ["drawer", "search"])
def test_quick_exit_stays_on_top_of_the_phone_menu_and_search(open_context, opened):
    context, guard = open_context(viewport=MOBILE)
    page = context.new_page()
    page.goto(GUIDE)
    page.locator(f"label.md-header__button[for='__{opened}']").click()
    expect(page.locator(f"#__{opened}")).to_be_checked()
    page.wait_for_timeout(400)  # Material's opening transitions
    on_top = page.locator(BUTTON).evaluate("""(button) => {
      const r = button.getBoundingClientRect();
      return button.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
    }""")
    assert on_top, f"something covers the quick exit when the {opened} is open"


def test_without_javascript_it_is_a_plain_link(open_context):
    context, guard = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(GUIDE)
    link = page.locator("a[data-amparo-exit]")
    expect(link).to_be_visible()
    assert link.get_attribute("href") == page.locator("[data-amparo-exit-url]").get_attribute("data-amparo-exit-url")
    assert "noreferrer" in link.get_attribute("rel").split()
    box = link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
