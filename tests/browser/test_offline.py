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
    page.get_by_role("button", name="Guardar la guía para usarla sin conexión").click()
    state = page.locator(".amparo-offline__state")
    expect(state).to_have_text("La guía está guardada en este navegador para usarla sin conexión.", timeout=60_000)

    context.set_offline(True)
    try:
        page.goto("/guias/chile-victimas-trata/")
        expect(page.locator("h1")).to_contain_text("Chile")
        answer_first_question_with_the_engine(page)
    finally:
        context.set_offline(False)

    page.goto(SAFETY)
    expect(state).to_have_text("La guía está guardada en este navegador para usarla sin conexión.")
    page.get_by_role("button", name="Borrar todo rastro").click()
    expect(state).to_have_text("Listo: esta guía ya no guarda nada en este navegador.")
    assert page.evaluate(TRACES) == NOTHING
    page.reload()
    expect(state).to_have_text("La guía no está guardada en este navegador.")
    assert not guard.foreign and not guard.csp
