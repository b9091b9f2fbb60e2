"""Every language: the quiz can be completed, and Arabic reads right to left, quiz included."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from browser_helpers import ALL_LANGUAGES, MOBILE

pytestmark = pytest.mark.browser

# A victim of trafficking and of smuggling in Chile, in touch with an institution, whose case the
# prosecutor's office handles: an answer value for each question asked.
CHILE = [("pais", "chile"), ("nacionalidad", "no"), ("explotacion", "si"), ("trafico", "si"),
         ("institucion", "si"), ("fiscalia", "si")]


def words(site_dir, language: str) -> dict:
    return json.loads((site_dir / f"assets/quiz/runtime/flow.{language}.json").read_text(encoding="utf-8"))["strings"]


def complete_quiz(page, prefix: str) -> None:
    page.goto(prefix + "/cuestionario/")
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "ready", timeout=60_000)
    for question, value in CHILE:
        form = page.locator(f"#amparo-quiz form[data-question='{question}']:visible")
        form.locator(f"input[value='{value}']").check()
        form.locator("button[type=submit]").click()


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_the_quiz_can_be_completed_in_every_language(open_context, site_dir, language):
    context, guard = open_context()
    page = context.new_page()
    complete_quiz(page, ALL_LANGUAGES[language])
    said = words(site_dir, language)
    expect(page.locator(".amparo-quiz__result-title")).to_have_text(said["result-title"])
    likely = page.locator(".amparo-outcome--likely .amparo-outcome__status")
    expect(likely).to_have_count(2)
    expect(likely.first).to_have_text(said["status-likely"] + ": ")
    if language != "es":
        assert said["result-title"] != words(site_dir, "es")["result-title"], f"{language}: the quiz is in Spanish"
    assert not guard.foreign and not guard.csp


def test_arabic_reads_right_to_left_in_the_pages_and_in_the_quiz(open_context, tmp_path_factory):
    context, guard = open_context(viewport=MOBILE)
    page = context.new_page()
    shots = tmp_path_factory.mktemp("arabic")
    page.goto("/ar/guias/espana-victimas-trata/")
    expect(page.locator("body")).to_have_attribute("dir", "rtl")  # where Material sets it
    assert page.locator("article").evaluate("(el) => getComputedStyle(el).direction") == "rtl"
    # Right to left: the title starts at the right edge of the page.
    title = page.locator("h1").bounding_box()
    assert title["x"] + title["width"] > MOBILE["width"] - 40, title
    page.screenshot(path=shots / "guide.png", full_page=True)

    complete_quiz(page, "/ar")
    card = page.locator(".amparo-outcome--likely").first
    assert card.evaluate("(el) => getComputedStyle(el).direction") == "rtl"
    # The coloured bar of a result is on its right, where an Arabic reader starts.
    bar = card.evaluate("(el) => [getComputedStyle(el).borderRightWidth, getComputedStyle(el).borderLeftWidth]")
    assert bar[0] != "0px" and bar[1] == "0px", bar
    page.screenshot(path=shots / "quiz.png", full_page=True)
    assert not guard.foreign and not guard.csp
