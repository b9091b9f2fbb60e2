"""Quick exit: blank at once, leave by replacing the history entry, never come back."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from browser_helpers import ALL_LANGUAGES, DESKTOP, MOBILE, go_back, open_search, settle

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
    from amparo.publish.generated_pages import build_site

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
    # The failed neutral page commits as an error page; page.wait_for_url raises on it.
    settle(page, lambda: not page.url.startswith(base), f"leaving {base}")


def press_shift_three_times_until_it_leaves(page, neutral: str) -> None:
    """Three presses count within five seconds of the first: time enough for the driver on a
    busy machine."""
    with page.expect_request(lambda request: request.url == neutral and request.is_navigation_request(),
                             timeout=10_000):
        for _ in range(3):
            page.keyboard.press("Shift")


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

    # Then it leaves for real (the keyboard still works on the blank page); it fails (browser_helpers.CHROMIUM_ARGS).
    page.unroute(neutral)
    press_shift_three_times_until_it_leaves(page, neutral)
    wait_until_left(page, server)
    assert page.evaluate("history.length") == length, "the exit added a history entry instead of replacing one"
    # The exit asked for the neutral page twice: answered by the test's route, then for real (failed).
    assert guard.foreign == [neutral, neutral]

    # Back goes to the page before, not to the page that was left.
    go_back(page)
    assert urlsplit(page.url).path == prefix + "/"
    expect(page.get_by_role("heading", name=heading, exact=True)).to_have_count(0)
    assert guard.foreign == [neutral, neutral] and not guard.csp


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
    assert guard.foreign == requests  # nothing went elsewhere but the exit, answered by the route


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
def test_quick_exit_is_large_visible_and_overlaps_nothing(reading_page, language, viewport):
    page, guard = reading_page(viewport=viewport)
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


# --- Shift pressed three times -------------------------------------------------------------

WINDOW_MS = 5000  # quick-exit.js: three presses, the last within five seconds of the first
SHIFT_STATE = """() => ({
  said: document.querySelector(".amparo-exit__status")?.textContent ?? null,
  lit: document.querySelectorAll(".amparo-exit__presses:not([hidden]) > .amparo-exit__press--on").length,
  exiting: document.documentElement.classList.contains("amparo-exiting"),
})"""


@pytest.fixture(scope="module")
def exit_words() -> dict[str, dict[str, str]]:
    """What the live region says after one and two presses, in each language (the catalogs)."""
    from amparo.project import read_project
    from amparo.publish.generated_pages import build_site

    project = read_project(Path(__file__).resolve().parents[2] / "mkdocs.yml")
    site = build_site(project.content_dir, project.sources_dir, project.settings())
    return {language: {1: words("exit-two-more"), 2: words("exit-one-more")} for language, words in site.words.items()}


@pytest.fixture
def clocked(open_context):
    """A guide page whose clock the test moves (no real waiting), with a neutral page that
    answers 204: a page that left stays, blank, to be looked at."""
    def open_page(language="es", **options):
        context, guard = open_context(**options)
        page = context.new_page()
        page.clock.install(time=0)
        page.goto(ALL_LANGUAGES[language] + GUIDE)
        page.clock.pause_at(60_000)
        page.route(neutral_url(page), lambda route: route.fulfill(status=204))
        page.locator("h1").click()  # the keyboard goes to the page
        return page
    return open_page


def shift_state(page) -> dict:
    return page.evaluate(SHIFT_STATE)


def has_left(page) -> bool:
    return shift_state(page)["exiting"]


def test_three_presses_within_five_seconds_leave(clocked):
    page = clocked()
    page.keyboard.press("Shift")
    page.clock.run_for(WINDOW_MS // 2 - 100)
    page.keyboard.press("ShiftRight")  # either Shift key
    page.clock.run_for(WINDOW_MS // 2 - 100)
    assert not has_left(page)
    page.keyboard.press("Shift")
    assert has_left(page)


def test_two_presses_do_not_leave_and_the_count_ends_after_five_seconds(clocked, exit_words):
    page = clocked()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert shift_state(page) == {"said": exit_words["es"][2], "lit": 2, "exiting": False}
    page.clock.run_for(WINDOW_MS + 100)
    assert shift_state(page) == {"said": "", "lit": 0, "exiting": False}, "the count did not end"


def test_presses_spread_over_more_than_five_seconds_do_not_leave(clocked, exit_words):
    page = clocked()
    for _ in range(3):
        page.keyboard.press("Shift")
        page.clock.run_for(WINDOW_MS // 2 + 100)
    # The count ended five seconds after the first press: the third began a new one.
    assert shift_state(page) == {"said": exit_words["es"][1], "lit": 1, "exiting": False}


@pytest.mark.parametrize("keys", [
    ["Shift", "Shift", "Shift+A"],                    # a capital letter after two presses
    ["Shift+H", "Shift+O", "Shift+L"],                # capitals while typing
    ["Shift", "Shift", "a", "Shift"],                 # any other key starts the count again
    ["Shift", "Shift", "Control", "Shift"],
], ids=["capital-after-two", "capitals", "letter-between", "control-between"])
def test_shift_with_another_key_does_not_leave(clocked, keys):
    page = clocked()
    for key in keys:
        page.keyboard.press(key)
    assert not has_left(page)


def test_shift_held_while_typing_does_not_count(clocked):
    page = clocked()
    for _ in range(3):
        page.keyboard.down("Shift")
        page.keyboard.press("KeyA")
        page.keyboard.up("Shift")
    assert shift_state(page) == {"said": "", "lit": 0, "exiting": False}


def test_left_and_right_shift_mixed_or_together_count(clocked):
    """GOV.UK Frontend issue #5393: one Shift still held made the other look like a combination."""
    page = clocked()
    page.keyboard.down("ShiftLeft")
    page.keyboard.down("ShiftRight")
    page.keyboard.up("ShiftLeft")
    page.keyboard.up("ShiftRight")
    assert shift_state(page)["lit"] == 2
    page.keyboard.press("ShiftLeft")
    assert has_left(page)


def test_shift_in_the_search_box_never_counts(clocked):
    """An on-screen keyboard is open only while a text field has focus, and its Shift key may send
    Shift key events (iOS does: GOV.UK Frontend issue #4095). Chromium cannot show one, but its
    events are these: Shift pressed, alone, while the search box has focus."""
    page = clocked(viewport=MOBILE, has_touch=True, is_mobile=True)
    search = open_search(page)
    for _ in range(3):
        page.keyboard.press("Shift")
    page.keyboard.type("Hola")
    assert not has_left(page)
    assert shift_state(page)["lit"] == 0
    expect(search).to_have_value("Hola")
    # Out of the box, the same three presses leave.
    page.keyboard.press("Escape")
    page.locator("h1").click()
    for _ in range(3):
        page.keyboard.press("Shift")
    assert has_left(page)


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_each_press_shows_on_the_button_and_the_live_region_says_how_many_remain(clocked, exit_words, language):
    page = clocked(language)
    status = page.locator(".amparo-exit__status")
    assert status.get_attribute("role") == "status"  # polite: said when the reader pauses
    assert shift_state(page) == {"said": "", "lit": 0, "exiting": False}
    for presses in (1, 2):
        page.keyboard.press("Shift")
        assert shift_state(page) == {"said": exit_words[language][presses], "lit": presses, "exiting": False}
    # The dots are on the button, inside it, and out of the way of its words.
    dots = page.locator(".amparo-exit__presses").bounding_box()
    button = page.locator(BUTTON).bounding_box()
    label = page.locator(f"{BUTTON} > span:not([class])").bounding_box()
    assert button["x"] <= dots["x"] and dots["x"] + dots["width"] <= button["x"] + button["width"]
    assert label["y"] + label["height"] <= dots["y"] + 1 and dots["y"] + dots["height"] <= button["y"] + button["height"]
