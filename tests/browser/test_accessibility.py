"""axe-core finds no WCAG 2.2 AA violation on any kind of page, in either language or size."""

from __future__ import annotations

import pytest

from audit_cache import kept_or_found
from browser_helpers import LANGUAGES, MOBILE, visited
from site_visit import axe_report, kept_axe_reports

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


@pytest.fixture(scope="module")
def kept_reports(browser, server, site_dir):
    return kept_axe_reports("phone-axe", browser, server, site_dir, __file__)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES)
def test_no_wcag_violations_on_a_phone(reading_page, kept_reports, language, kind):
    path = LANGUAGES[language] + PAGES[kind]

    def audit(page) -> dict:
        page.goto(path)
        return {"report": axe_report(page)}  # WCAG 2.2 A and AA, as the whole-site audit runs it

    def phone():  # opened only when the page is audited again
        return reading_page(viewport=MOBILE)[0]

    # Made again when a file the page was made from changes, or this test, axe-core or Chromium.
    report = kept_or_found(kept_reports, f"{path} at {MOBILE}", phone, audit)["report"]
    assert report is None, report


@pytest.mark.parametrize("language", visited(LANGUAGES))
@pytest.mark.parametrize("kind", PAGES)
def test_no_wcag_violations_at_desktop_size(visit_language, language, kind):
    # The whole-site visit ran axe-core on this page at desktop size, as loading it again here
    # would (site_visit.py): its findings are read, not made twice.
    path = LANGUAGES[language] + PAGES[kind]
    findings = visit_language(language)
    assert path in findings.paths, f"the whole-site visit did not load {path}"
    found = [finding for finding in findings.axe if finding.startswith(f"{path}:")]
    assert not found, "\n\n".join(found)
