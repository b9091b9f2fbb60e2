"""A second accessibility checker, HTML_CodeSniffer (npm `html_codesniffer`, package-lock.json),
finds no WCAG 2 AA error on any page in any language. It asks for what axe-core does not: a
submit button in every form (the search form's), and a name for every form control, hidden or
not (the table-of-contents toggle on pages without a table of contents)."""

from __future__ import annotations

import pytest

from browser_helpers import EVERY_LANGUAGE, MOBILE
from site_visit import HTMLCS, REPO, sniff

pytestmark = pytest.mark.browser

KNOWN_INVALID = '<form><input type="checkbox" id="x"></form>'


@pytest.fixture(scope="module")
def sniffer_page(browser, server):
    if not HTMLCS.exists():
        pytest.fail(f"{HTMLCS.relative_to(REPO)} is missing: run `npm ci --ignore-scripts` (make test does)")
    context = browser.new_context(base_url=server, viewport=MOBILE)
    yield context.new_page()
    context.close()


def test_the_checker_reports_a_form_without_a_button_and_a_control_without_a_name(sniffer_page):
    # Injected as the site audit injects it (site_visit.sniff), so this proves that way finds errors.
    sniffer_page.set_content(KNOWN_INVALID)
    codes = {message.split(":")[0] for message in sniff(sniffer_page, HTMLCS.read_text(encoding="utf-8"))}
    assert any("H32.2" in code for code in codes) and any("H91.InputCheckbox.Name" in code for code in codes), codes


@pytest.mark.parametrize("language", EVERY_LANGUAGE)
def test_no_page_has_an_html_codesniffer_error(visit_language, language):
    # HTML_CodeSniffer at phone size on each page, under the page's own policy (site_visit.py: one
    # visit per language for this audit, axe-core's and the policy audit's).
    findings = visit_language(language)
    assert len(findings.paths) >= 10, findings.paths
    assert not findings.sniffer, findings.sniffer
