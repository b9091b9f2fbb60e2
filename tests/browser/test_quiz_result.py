"""A result a frightened reader can act on, on a cheap phone's screen (390x844): the permits that
may fit, each with its status, why, who files, the next step where she is and what she decides,
on one screen; everything else in disclosures she opens by keyboard, and all of it on paper."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from audit_cache import kept_or_found
from browser_helpers import ALL_LANGUAGES, SAVE_DATA
from site_visit import axe_report, kept_axe_reports

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Sheet 38's reader: in Spain, foreign, exploited, identified by the police, who does not know
# whether she will collaborate (answer values, the same in every language).
SHEET_38 = [("pais", "espana"), ("nacionalidad", "no"), ("explotacion", "si"), ("red", "no-se"),
            ("identificacion", "si"), ("colaboracion", "no-se"), ("tramite", "no-se")]
MAX_WORDS = 300
# Looked at by whoever changes the result (not compared: a screenshot is for eyes).
SCREENSHOT = Path(tempfile.gettempdir()) / "amparo-quiz-result-390x844.png"

# The words of the result a reader sees before opening anything: closed disclosures show only
# their summary (innerText leaves the rest out, as the screen does).
VISIBLE_WORDS = "() => document.querySelector('#amparo-quiz .amparo-quiz__stage').innerText.split(/\\s+/).filter(Boolean).length"


def answer_all(page, answers=SHEET_38, from_top=False) -> None:
    for question, value in answers:
        form = page.locator(f"#amparo-quiz form[data-question='{question}']:visible")
        form.locator(f"input[name=answer][value='{value}']").check()
        if from_top:
            # As a reader who scrolled back up to the question: the tap scrolls only to the button.
            page.evaluate("() => window.scrollTo(0, 0)")
        form.locator("button[type=submit]").click()
    expect(page.locator(".amparo-quiz__result-title")).to_be_focused()


@pytest.fixture
def phone(browser, server):
    """A phone that saves data: no path here has a date, so the quiz never downloads its engine."""
    context = browser.new_context(base_url=server, viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    context.add_init_script(SAVE_DATA)
    page = context.new_page()
    yield page
    context.close()


def test_sheet_38_result_is_short_and_its_first_permit_fits_one_screen(phone):
    phone.goto("/cuestionario/")
    answer_all(phone, from_top=True)
    words = phone.evaluate(VISIBLE_WORDS)
    assert words <= MAX_WORDS, f"{words} words before any detail is opened"

    first = phone.locator(".amparo-outcome--likely").first
    expect(first).to_contain_text("España: permiso para víctimas de trata")
    # Who files, the next step where she is, and that she decides: before any disclosure.
    expect(first.locator("> p").filter(has_text="Quién presenta la solicitud")).to_be_visible()
    expect(first.locator("> p").filter(has_text="El siguiente paso")).to_be_visible()
    decide = first.locator(".amparo-outcome__decide")
    expect(decide).to_contain_text("Tú decides")
    expect(decide).to_contain_text("situación personal")
    # The summary from the permit's heading to what she decides, on the screen she lands on (no
    # scrolling): below the header, above the bottom of the phone's screen.
    header = phone.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")
    # She lands on the result's heading, not on the quiz's introduction above it.
    title = phone.locator(".amparo-quiz__result-title").bounding_box()["y"]
    assert header <= title <= header + 40, f"the result's heading is at {title:.0f}px (header ends at {header:.0f}px)"
    top = first.locator("h3").bounding_box()["y"]
    bottom = decide.bounding_box()
    assert top >= header, f"the first permit's heading is under the header ({top:.0f}px < {header:.0f}px)"
    assert bottom["y"] + bottom["height"] <= PHONE["height"], (
        f"what she decides ends at {bottom['y'] + bottom['height']:.0f}px, below the screen ({PHONE['height']}px)")

    first.locator("h3").evaluate("(heading) => window.scrollTo(0, heading.getBoundingClientRect().top + window.scrollY - 60)")
    phone.screenshot(path=str(SCREENSHOT))


def test_every_section_opens_by_keyboard(phone):
    phone.goto("/cuestionario/")
    answer_all(phone)
    summaries = phone.locator(".amparo-quiz__stage details > summary")
    count = summaries.count()
    assert count >= 8
    for index in range(count):
        summary = summaries.nth(index)
        # Tab to it, as a keyboard reader does, and open it with Enter.
        for _ in range(60):
            if summary.evaluate("(element) => element === document.activeElement"):
                break
            phone.keyboard.press("Tab")
        expect(summary).to_be_focused()
        phone.keyboard.press("Enter")
        details = summary.locator("xpath=..")
        expect(details).to_have_attribute("open", "")
        expect(details.locator("> :not(summary)").first).to_be_visible()


@pytest.mark.parametrize("path", ["/cuestionario/", "/cuestionario/sencillo/"])
def test_print_shows_every_section(browser, server, path):
    context = browser.new_context(base_url=server, viewport=PHONE, java_script_enabled=path == "/cuestionario/")
    page = context.new_page()
    page.goto(path)
    if path == "/cuestionario/":
        answer_all(page)
        result = page.locator(".amparo-quiz__stage")
    else:
        for _, value in SHEET_38:
            labels = {"espana": "En España", "no": "No, soy de otro país", "si": "Sí", "no-se": None}
            link = page.locator(".amparo-static__state:visible .amparo-static__answers a")
            link = link.filter(has_text=labels[value]) if labels[value] else link.last
            link.first.click()
        result = page.locator(".amparo-static__result:visible")
    expect(result.locator(".amparo-outcome--likely")).to_have_count(1)
    # The result's disclosures; the reader's answers print only if she asks (checked below).
    closed = result.locator("details:not(.amparo-quiz__summary):not([open]) > :not(summary)")
    # The static version links to the guide for the parts the live one writes out (steps, documents…).
    assert closed.count() >= (8 if path == "/cuestionario/" else 4)
    expect(closed.first).to_be_hidden()
    # Print media alone, no beforeprint event: the style sheet opens every disclosure.
    page.emulate_media(media="print")
    for index in range(closed.count()):
        expect(closed.nth(index)).to_be_visible()
    if path == "/cuestionario/":
        answers = page.locator(".amparo-quiz__summary dl")
        expect(answers).to_be_hidden()
        page.emulate_media(media="screen")
        page.get_by_label("Imprimir también mis respuestas").check()
        page.emulate_media(media="print")
        expect(answers).to_be_visible()
    context.close()


# What a finger can tap in the quiz (WCAG 2.5.5's 44 CSS px, which the issue asks for).
CONTROLS = "button:visible, a:visible, summary:visible, label:visible, .amparo-quiz__option:visible"


def short_controls(page) -> list[str]:
    found = []
    for control in page.locator("#amparo-quiz").locator(CONTROLS).all():
        box = control.bounding_box()
        if box and round(box["height"]) < 44:   # (sub-pixel layout: 43.99…)
            found.append(f"{control.inner_text()[:40]!r}: {box['height']:.0f}px")
    return found


def test_every_control_of_the_quiz_is_a_finger_high(phone):
    """A question's answer rows and buttons, and a result's «Cambiar», «Leer la guía completa»,
    disclosures, print choice and buttons: at least 44px high."""
    phone.goto("/cuestionario/")
    expect(phone.locator("#amparo-quiz .amparo-quiz__option:visible").first).to_be_visible()
    assert short_controls(phone) == []
    answer_all(phone)
    phone.locator(".amparo-quiz__summary > summary").click()
    expect(phone.locator(".amparo-quiz__change:visible").first).to_be_visible()
    phone.locator(".amparo-quiz__stage details").evaluate_all("(all) => all.forEach((details) => { details.open = true; })")
    assert short_controls(phone) == []


def test_printing_the_result_with_the_answers_prints_no_controls(phone):
    phone.goto("/cuestionario/")
    answer_all(phone)
    phone.locator(".amparo-quiz__summary > summary").click()
    phone.get_by_label("Imprimir también mis respuestas").check()
    controls = phone.locator("#amparo-quiz").locator("button:visible, input:visible, select:visible")
    assert controls.count() > 5, "the result has its controls on screen"
    phone.emulate_media(media="print")
    expect(phone.locator(".amparo-quiz__summary dl")).to_be_visible()
    expect(phone.locator(".amparo-quiz__summary dd").first).to_be_visible()
    expect(controls).to_have_count(0)
    expect(phone.locator("#amparo-quiz label:visible").filter(has=phone.locator("input"))).to_have_count(0)


@pytest.fixture(scope="module")
def kept_reports(browser, server, site_dir):
    return kept_axe_reports("quiz-result-axe", browser, server, site_dir, __file__)


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_the_result_passes_axe_in_every_language(phone, kept_reports, language):
    def audit(page) -> dict:
        page.goto(f"{ALL_LANGUAGES[language]}/cuestionario/")
        answer_all(page)
        for summary in page.locator(".amparo-quiz__stage details > summary").all():
            summary.click()
        return {"report": axe_report(page)}

    # Made again when a file the result was made from changes, or this test, axe-core or Chromium.
    report = kept_or_found(kept_reports, f"{language}: the result, every part open", lambda: phone, audit)["report"]
    assert report is None, report
