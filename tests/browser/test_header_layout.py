"""The quick exit is always wholly on screen and no page scrolls sideways, at the text sizes a
phone's "font size" setting gives (issue 19; WCAG 1.4.10 Reflow with 1.4.4 Resize Text).

The text size is the browser's own: a Chromium profile whose preferences set
`webkit.webprefs.default_font_size` (16, 24 and 32 px: 100 %, 150 % and 200 %), as a reader's
setting does, not CSS put in by the test. One browser per text size for the whole module; each
page is loaded once per size and measured at every width by resizing the window. What a page
measured at a text size is kept for the next run, and used while no file the browser asked for
has changed, nor this test (audit_cache.py): a changed sentence measures again only the pages
that show it.

The languages come from mkdocs.yml (amparo/project.py), the guides from the content, the pages
from the project's own names for them and from the built site.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from amparo.render.leaflets import ORGANISATIONS_PAGE, PRINT_FOLDER
from amparo.content.loader import load_content
from amparo.project import read_project
from amparo.render.quiz_pages import QUIZ_PAGE
from amparo.render.markdown_pages import COMPARISON_PAGE, guide_page
from audit_cache import AuditCache, kept_or_found
from browser_helpers import ALL_LANGUAGES, CHROMIUM, CHROMIUM_ARGS, REPO, SAVE_DATA, Guard, pages_of_language

pytestmark = pytest.mark.browser

FONT_SIZES = (16, 24, 32)        # the browser's default font size, in px
WIDTHS = (320, 360, 390)         # CSS px: the narrowest phones, and common ones
HEIGHT = 720
TARGET = 44                      # CSS px: the exit's touch target, both ways
CORNER = 16                      # CSS px: at most this far from the top and from its side
QUIZ_RESULT = "quiz result"

# Measured in the page as the reader's browser lays it out: every disclosure opened first, so
# what they hide is measured too. The default font size is read back from the page (a `medium`
# font), so a profile the browser ignored fails instead of passing at 16 px.
MEASURE = """() => {
  for (const details of document.querySelectorAll("details")) details.open = true;
  const probe = document.createElement("div");
  probe.style.fontSize = "medium";
  document.body.append(probe);
  const defaultFontSize = parseFloat(getComputedStyle(probe).fontSize);
  probe.remove();
  const exit = document.querySelector("[data-amparo-exit]");
  const box = exit && exit.getBoundingClientRect();
  const hit = box && document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return {
    defaultFontSize,
    rtl: getComputedStyle(document.body).direction === "rtl",
    viewport: document.documentElement.clientWidth,
    height: window.innerHeight,
    scrollWidth: document.documentElement.scrollWidth,
    exit: box && {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                  width: box.width, height: box.height},
    onTop: Boolean(hit && exit.contains(hit)),
  };
}"""


def problems_with(measured: dict, font_size: int) -> list[str]:
    """What is wrong with one page at one width and text size; empty when all is well."""
    found = []
    if measured["defaultFontSize"] != font_size:
        found.append(f"the browser's default font size is {measured['defaultFontSize']} px, not {font_size}")
    viewport = measured["viewport"]
    if measured["scrollWidth"] > viewport:
        found.append(f"the page scrolls sideways: {measured['scrollWidth']} px wide on a {viewport} px screen")
    exit_box = measured["exit"]
    if exit_box is None:
        return [*found, "no quick exit"]
    slack = 0.5  # sub-pixel positions
    if (exit_box["left"] < -slack or exit_box["right"] > viewport + slack or exit_box["top"] < -slack
            or exit_box["bottom"] > measured["height"] + slack):
        found.append(f"the quick exit is not wholly on screen: x {exit_box['left']:.0f}…{exit_box['right']:.0f}, "
                     f"y {exit_box['top']:.0f}…{exit_box['bottom']:.0f} on {viewport}×{measured['height']}")
    # In its corner: the top right, or the top left right to left (the safety page says so).
    side = exit_box["left"] if measured["rtl"] else viewport - exit_box["right"]
    if side > CORNER or exit_box["top"] > CORNER:
        found.append(f"the quick exit is not in the top {'left' if measured['rtl'] else 'right'} corner: "
                     f"{side:.0f} px from the side, {exit_box['top']:.0f} px from the top")
    if exit_box["width"] < TARGET - slack or exit_box["height"] < TARGET - slack:
        found.append(f"the quick exit is {exit_box['width']:.0f}×{exit_box['height']:.0f} px, under {TARGET}×{TARGET}")
    if not measured["onTop"]:
        found.append("something covers the quick exit")
    return found


@functools.cache
def _guides() -> tuple:
    project = read_project(REPO / "mkdocs.yml")
    return tuple(load_content(project.content_dir, project.sources_dir).guides)


def page_types(language: str) -> dict[str, str]:
    """One page of each kind, in one language: name → address."""
    guides = _guides()
    prefix = ALL_LANGUAGES[language]

    def address(source: str) -> str:
        path = source.removesuffix(".md").removesuffix("index").rstrip("/")
        return f"{prefix}/{path}/" if path else f"{prefix}/"

    # The result right after the question: the test reaches it from there, on the same page.
    pages = {"home": address("index.md"), "quiz question": address(QUIZ_PAGE), QUIZ_RESULT: address(QUIZ_PAGE)}
    for kind in sorted({guide.kind for guide in guides}):
        first = next(guide for guide in guides if guide.kind == kind)
        pages[f"guide ({kind})"] = address(guide_page(first.id))
    pages["comparison"] = address(COMPARISON_PAGE)
    pages["organisations"] = address(ORGANISATIONS_PAGE)
    pages["leaflet"] = f"{prefix}/{PRINT_FOLDER}/{guides[0].id}/"
    return pages  # and "safety": where the header's own safety link leads (read on the page)


def reach_a_result(page) -> None:
    """The live quiz, answered «No lo sé» throughout (every question has it): every permit stays
    possible, so the result is the longest there is."""
    from playwright.sync_api import expect

    result = page.locator(".amparo-quiz__result-title")
    for _ in range(40):
        if result.is_visible():
            return
        form = page.locator("#amparo-quiz form[data-question]:visible")
        form.locator("input[name=answer][value='no-se']").check()
        form.locator("button[type=submit]").click()
    expect(result).to_be_visible()


@pytest.fixture(scope="module")
def kept_measures(browser, server, site_dir):
    """What an earlier run measured on a page at a text size, used again while no file the browser
    asked for then has changed, nor this test, the browser or the fonts (audit_cache.py): a changed
    sentence measures again the pages that show it, not the whole language."""
    return AuditCache.of("header-layout", browser, server, site_dir, [Path(__file__)])


@pytest.fixture(scope="module")
def profiles(browser, server, tmp_path_factory):
    """Font size → (context, guard, page): a persistent Chromium profile with that default font
    size in its preferences, opened on first use and kept for the module; the guard's findings are
    emptied for each test."""
    opened = {}

    def open_profile(font_size: int):
        if font_size not in opened:
            folder = tmp_path_factory.mktemp(f"profile-{font_size}px")
            (folder / "Default").mkdir()
            (folder / "Default" / "Preferences").write_text(
                json.dumps({"webkit": {"webprefs": {"default_font_size": font_size}}}), encoding="utf-8")
            context = browser.browser_type.launch_persistent_context(
                folder, executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=server,
                viewport={"width": WIDTHS[0], "height": HEIGHT})
            # Requests elsewhere fail and are recorded, CSP violations collected, as everywhere
            # in the suite.
            guard = Guard(server)
            guard.attach(context)
            # The quiz's date calculator (Pyodide, seconds of CPU) is not what is measured here:
            # as a browser that asks to save data, the quiz fetches it only for a date, never
            # given here (tests/browser/test_quiz.py tests that path).
            context.add_init_script(SAVE_DATA)
            page = context.pages[0] if context.pages else context.new_page()
            opened[font_size] = (context, guard, page)
        context, guard, page = opened[font_size]
        guard.foreign.clear()
        guard.csp.clear()
        return opened[font_size]

    yield open_profile
    for context, *_ in opened.values():
        context.close()


def measured_or_kept(kept_measures, profiles, key: str, font_size: int, measure) -> dict:
    """What `measure(page)` finds in the profile of `font_size`, with the requests to other hosts
    and the CSP violations meanwhile; or what it found in an earlier run, if nothing it was found
    from has changed."""
    guard = None

    def open_page():
        nonlocal guard
        _, guard, page = profiles(font_size)
        return page

    def find(page) -> dict:
        return {**measure(page), "foreign": list(guard.foreign), "csp": list(guard.csp)}

    return kept_or_found(kept_measures, key, open_page, find)


def measure_at_every_width(page, font_size: int, name: str) -> list[str]:
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        found += [f"{name} {page.url} at {width} px, text {font_size} px: {problem}"
                  for problem in problems_with(page.evaluate(MEASURE), font_size)]
    return found


def assert_all_well(measures: dict[str, dict]) -> None:
    """No page (name → what was measured on it) has a problem, asked another host or broke the policy."""
    problems = [problem for measured in measures.values() for problem in measured["problems"]]
    assert not problems, "\n".join(problems)
    elsewhere = {page: (measured["foreign"], measured["csp"]) for page, measured in measures.items()
                 if measured["foreign"] or measured["csp"]}
    assert not elsewhere, elsewhere


@pytest.mark.parametrize("language", ALL_LANGUAGES)
@pytest.mark.parametrize("font_size", FONT_SIZES)
def test_the_quick_exit_is_whole_and_no_page_scrolls_sideways(kept_measures, profiles, font_size, language):
    pages = page_types(language)

    def measure_page(name: str, address: str):
        def measure(page) -> dict:
            page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
            page.goto(address)
            if name == QUIZ_RESULT:
                reach_a_result(page)  # the quiz's page, answered to its longest result
            # The safety page is the one the header's own safety link leads to.
            safety = page.locator(".amparo-exit__safety").evaluate("(link) => link.pathname") if name == "home" else None
            return {"problems": measure_at_every_width(page, font_size, name), "safety": safety}

        return measured_or_kept(kept_measures, profiles, f"{language} at {font_size} px: {name} {address}", font_size, measure)

    measures = {name: measure_page(name, address) for name, address in pages.items()}
    measures["safety"] = measure_page("safety", measures["home"]["safety"])
    assert_all_well(measures)


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_no_page_scrolls_sideways_at_320_px_with_text_at_200_percent(kept_measures, profiles, site_dir, language):
    """Every page of the site, at the hardest of the sizes above: 320 px, text at 200 %."""
    measured = set(page_types(language).values())  # at every width and size, above
    paths = [path for path in pages_of_language(site_dir, language) if path not in measured]

    def measure_page(path: str):
        def measure(page) -> dict:
            page.set_viewport_size({"width": min(WIDTHS), "height": HEIGHT})
            page.goto(path)
            return {"problems": [f"{path}: {problem}" for problem in problems_with(page.evaluate(MEASURE), max(FONT_SIZES))]}

        key = f"{path} at {max(FONT_SIZES)} px, {min(WIDTHS)} px wide"
        return measured_or_kept(kept_measures, profiles, key, max(FONT_SIZES), measure)

    assert_all_well({path: measure_page(path) for path in paths})


OPENED = """() => {
  const box = (selector) => { const r = document.querySelector(selector).getBoundingClientRect();
                              return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  return {drawer: box(".md-sidebar--primary"), languages: box(".md-header .md-select__inner"),
          search: box(".md-search__input"), exit: box("[data-amparo-exit]")};
}"""
OPENERS = {
    "drawer": "label.md-header__button[for='__drawer']",
    "languages": ".md-header__option .md-header__button",
    "search": "label.md-header__button[for='__search']",
}


@pytest.mark.parametrize("opened", OPENERS)
@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_quick_exit_stays_whole_and_on_top_of_the_open_menus_and_search(profiles, language, opened):
    """With text at 200 % the menu (the drawer) is as wide as the screen, the language list wider
    than its place, and the phone's search covers the header: the quick exit stays whole, on top
    and free, and the menus stop at the screen's edges."""
    context, guard, page = profiles(max(FONT_SIZES))
    guide = next(address for name, address in page_types(language).items() if name.startswith("guide"))
    found = []
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
    page.goto(guide)
    page.locator(OPENERS[opened]).click()
    page.wait_for_timeout(500)  # Material's opening transitions
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        found += [f"{opened} open at {width} px: {problem}"
                  for problem in problems_with(page.evaluate(MEASURE), max(FONT_SIZES))]
        boxes = page.evaluate(OPENED)
        if opened in ("drawer", "languages"):
            menu = boxes[opened]
            if menu["bottom"] - menu["top"] < 44:
                found.append(f"the {opened} did not open at {width} px: {menu}")
            if menu["left"] < -0.5 or menu["right"] > width + 0.5:
                found.append(f"the open {opened} runs off the {width} px screen: {menu}")
        if opened == "search" and boxes["search"]["top"] < boxes["exit"]["bottom"]:
            found.append(f"at {width} px the quick exit covers the search box: {boxes}")
    assert not found, "\n".join(found)
    assert not guard.foreign and not guard.csp


# The control: the header as it was before issue 19 (one line that does not wrap, an exit that
# keeps its width) must fail the same check, at 200 % on a 360 px screen, in both directions.
BREAK_THE_HEADER = """() => {
  document.querySelector(".md-header__inner").style.flexWrap = "nowrap";
  const exit = document.querySelector(".amparo-exit");
  exit.style.flex = "none";
  exit.style.width = "auto";
  exit.style.maxWidth = "none";
  document.querySelector("[data-amparo-exit]").style.whiteSpace = "nowrap";
}"""


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_check_fails_when_the_header_does_not_give_way(profiles, language):
    context, guard, page = profiles(max(FONT_SIZES))
    page.set_viewport_size({"width": 360, "height": HEIGHT})
    page.goto(page_types(language)["home"])
    assert problems_with(page.evaluate(MEASURE), max(FONT_SIZES)) == []
    page.evaluate(BREAK_THE_HEADER)
    found = problems_with(page.evaluate(MEASURE), max(FONT_SIZES))
    assert any("not wholly on screen" in problem for problem in found), found
