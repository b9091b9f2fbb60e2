"""Offline use is off until the reader turns it on; then the guide and the quiz work without a
connection; "remove all traces" leaves nothing of this site in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser_helpers import answer_first_question_with_the_engine

pytestmark = pytest.mark.browser

SAFETY = "/seguridad/"
TRACES = """async () => [
  (await navigator.serviceWorker.getRegistrations()).length,
  (await caches.keys()).length,
  localStorage.length + sessionStorage.length,
  (await indexedDB.databases()).length,
  document.cookie,
]"""
NOTHING = [0, 0, 0, 0, ""]


def test_nothing_is_saved_unless_the_reader_asks(open_context):
    context, guard = open_context()
    page = context.new_page()
    for path in ("/", "/guias/espana-victimas-trata/", "/cuestionario/", SAFETY):
        page.goto(path)
        assert page.evaluate(TRACES) == NOTHING, path
    expect(page.locator(".amparo-offline__state")).to_have_text("La guía no está guardada en este navegador.")


def test_saved_guide_works_offline_and_remove_all_traces_clears_it(open_context):
    context, guard = open_context()
    page = context.new_page()
    page.goto(SAFETY)
    save = page.locator("[data-amparo-offline-save]")
    save_words, saved_words = save.inner_text(), save.get_attribute("data-amparo-saved")
    assert saved_words and saved_words != save_words
    page.get_by_role("button", name="Guardar la guía para usarla sin conexión").click()
    state = page.locator(".amparo-offline__state")
    expect(state).to_have_text("La guía está guardada en este navegador para usarla sin conexión.", timeout=60_000)
    # The button says it is saved, in the page's words, and waits.
    expect(save).to_have_text(saved_words)
    expect(save).to_be_disabled()

    context.set_offline(True)
    try:
        page.goto("/guias/chile-victimas-trata/")
        expect(page.locator("h1")).to_contain_text("Chile")
        answer_first_question_with_the_engine(page)
    finally:
        context.set_offline(False)

    page.goto(SAFETY)
    expect(state).to_have_text("La guía está guardada en este navegador para usarla sin conexión.")
    expect(save).to_have_text(saved_words)
    page.get_by_role("button", name="Borrar todo rastro").click()
    expect(state).to_have_text("Listo: esta guía ya no guarda nada en este navegador.")
    expect(save).to_have_text(save_words)
    expect(save).to_be_enabled()
    assert page.evaluate(TRACES) == NOTHING
    page.reload()
    expect(state).to_have_text("La guía no está guardada en este navegador.")
    assert not guard.foreign and not guard.csp


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_opposite_buttons_are_apart(open_context, prefix):
    """On a phone, "save the guide" and "remove all traces" are one under the other with a wide
    gap (not side by side, touching), each a finger high."""
    context, guard = open_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(prefix + SAFETY)
    save = page.locator("[data-amparo-offline-save]").bounding_box()
    remove = page.locator("[data-amparo-offline-remove]").bounding_box()
    assert save and remove, "the buttons are shown (with script)"
    assert remove["y"] - (save["y"] + save["height"]) >= 24, (save, remove)
    assert min(save["height"], remove["height"]) >= 44, (save, remove)
