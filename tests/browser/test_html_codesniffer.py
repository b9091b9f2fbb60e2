"""A second accessibility checker, HTML_CodeSniffer (npm `html_codesniffer`, package-lock.json),
finds no WCAG 2 AA error on any page in any language. It asks for what axe-core does not: a
submit button in every form (the search form's), and a name for every form control, hidden or
not (the table-of-contents toggle on pages without a table of contents)."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_helpers import ALL_LANGUAGES, MOBILE, pages_of_language

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
HTMLCS = REPO / "node_modules/html_codesniffer/build/HTMLCS.js"
# Errors only (type 1): warnings and notices are things for a person to look at, not failures.
RUN = """() => new Promise((resolve) => HTMLCS.process("WCAG2AA", document, () => resolve(
  HTMLCS.getMessages().filter((m) => m.type === 1).map((m) => `${m.code}: ${m.msg} ${m.element.outerHTML.slice(0, 120)}`))))"""
KNOWN_INVALID = '<form><input type="checkbox" id="x"></form>'


@pytest.fixture(scope="module")
def sniffer_page(browser, server):
    if not HTMLCS.exists():
        pytest.fail(f"{HTMLCS.relative_to(REPO)} is missing: run `npm ci --ignore-scripts` (make test does)")
    # The checker is injected as an inline script, which the pages' policy rightly refuses.
    context = browser.new_context(base_url=server, viewport=MOBILE, bypass_csp=True)
    yield context.new_page()
    context.close()


def sniff(page, path: str | None = None, html: str | None = None) -> list[str]:
    if path is not None:
        page.goto(path)
    else:
        page.set_content(html)
    page.add_script_tag(content=HTMLCS.read_text(encoding="utf-8"))
    return page.evaluate(RUN)


def test_the_checker_reports_a_form_without_a_button_and_a_control_without_a_name(sniffer_page):
    codes = {message.split(":")[0] for message in sniff(sniffer_page, html=KNOWN_INVALID)}
    assert any("H32.2" in code for code in codes) and any("H91.InputCheckbox.Name" in code for code in codes), codes


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_no_page_has_an_html_codesniffer_error(sniffer_page, site_dir, language):
    paths = pages_of_language(site_dir, language)
    assert len(paths) >= 10, paths
    problems = {path: errors for path in paths if (errors := sniff(sniffer_page, path))}
    assert not problems, problems
