"""axe-core finds no WCAG 2.2 AA violation on any kind of page, in either language or size."""

from __future__ import annotations

import pytest

from browser_helpers import DESKTOP, LANGUAGES, MOBILE
from site_visit import axe_report

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "guide": "/guias/espana-victimas-trata/",
    "comparison": "/guias/comparar/",
    "glossary": "/guias/glosario/",
    "safety": "/seguridad/",
    "privacy": "/privacidad/",
    "quiz": "/cuestionario/",
    "static quiz": "/cuestionario/sencillo/",
}


@pytest.fixture(scope="module", params=[DESKTOP, MOBILE], ids=["desktop", "mobile"])
def axe_page(request, browser, server):
    context = browser.new_context(base_url=server, viewport=request.param)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES)
def test_no_wcag_violations(axe_page, language, kind):
    axe_page.goto(LANGUAGES[language] + PAGES[kind])
    report = axe_report(axe_page)  # WCAG 2.2 A and AA, as the whole-site audit runs it
    assert report is None, report
