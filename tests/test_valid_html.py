"""Every built page is valid HTML for the Nu HTML Checker, its headings are in order, and every
form control has a name: what screen readers and other assistive technology rely on.

The Nu HTML Checker is npm's `vnu-jar` (package-lock.json), run by Java from Debian
(`default-jre-headless`, installed by `make test` as root). One Java process checks every page:
starting the JVM is most of its time.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"

pytestmark = pytest.mark.validator

# A page the checker must fault, checked in the same run: proof that it ran and reports errors.
KNOWN_INVALID = """<!doctype html><html lang="es"><head><meta charset="utf-8"><title>x</title></head>
<body><label for="x" tabindex="">x</label><input id="x" type="checkbox" autocomplete="off"></body></html>"""


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def run_nu_checker(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is needed for the Nu HTML Checker: apt-get install --no-install-recommends default-jre-headless")
    if not VNU.exists():
        pytest.fail(f"{VNU.relative_to(REPO)} is missing: run `npm ci --ignore-scripts` (make test does)")
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )
    try:
        return json.loads(result.stderr or result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"the Nu HTML Checker did not answer in JSON (exit {result.returncode}):\n{result.stderr[-3000:]}")


def test_the_nu_html_checker_finds_no_error_on_any_page(site_dir, tmp_path):
    built = pages(site_dir)
    assert len(built) > 100, "every page of every language is checked"
    known_invalid = tmp_path / "known-invalid.html"
    known_invalid.write_text(KNOWN_INVALID, encoding="utf-8")
    messages = run_nu_checker([*built, known_invalid])
    faulted = [m for m in messages if m.get("url", "").endswith("known-invalid.html")]
    assert len(faulted) == 2, f"the checker must fault the known-invalid page twice: {faulted}"
    errors = [m for m in messages if m not in faulted]
    report = "\n".join(f"{m.get('url', '?').removeprefix('file:').removeprefix(str(site_dir) + '/')}:"
                       f"{m.get('lastLine', '?')}: {m['message']}" for m in errors[:40])
    assert len(errors) == 0, f"{len(errors)} errors from the Nu HTML Checker:\n{report}"


class _Outline(HTMLParser):
    """Heading levels, form controls and their labels, forms and their buttons, of one page."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.labels_for: set[str] = set()
        self.controls: list[dict] = []
        self.forms: list[dict] = []
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.labels_for.add(attributes["for"])
        elif tag == "form":
            self.forms.append({**attributes, "buttons": []})
        elif tag == "button" and self.forms:
            self.forms[-1]["buttons"].append(attributes.get("type", "submit"))
        if tag in ("input", "select", "textarea") and attributes.get("type") != "hidden":
            self.controls.append({**attributes, "tag": tag, "inside_label": self._label_depth > 0})

    def handle_endtag(self, tag):
        if tag == "label" and self._label_depth:
            self._label_depth -= 1


def outline(page: Path) -> _Outline:
    parser = _Outline()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_headings_never_skip_a_level(site_dir):
    skipped = {}
    for page in pages(site_dir):
        levels = outline(page).headings
        if levels and levels[0] != 1:
            skipped[page.relative_to(site_dir).as_posix()] = f"starts at h{levels[0]}"
        jumps = [f"h{a} to h{b}" for a, b in zip(levels, levels[1:]) if b > a + 1]
        if jumps:
            skipped[page.relative_to(site_dir).as_posix()] = ", ".join(sorted(set(jumps)))
    assert not skipped, skipped


def test_every_form_control_has_a_name(site_dir):
    """The table-of-contents toggle, the menu and search toggles, the search box, the quiz's fields."""
    unnamed = {}
    for page in pages(site_dir):
        parsed = outline(page)
        for control in parsed.controls:
            named = (control.get("id") in parsed.labels_for or control["inside_label"]
                     or control.get("aria-label", "").strip() or control.get("aria-labelledby") or control.get("title"))
            if not named:
                unnamed.setdefault(page.relative_to(site_dir).as_posix(), []).append(control.get("id") or control)
    assert not unnamed, unnamed


def test_the_search_form_has_a_submit_button_and_never_submits_anywhere(site_dir):
    for page in pages(site_dir):
        search = [form for form in outline(page).forms if form.get("name") == "search"]
        assert len(search) == 1, page
        # method="dialog" outside a dialog: submitting does nothing, so the query never lands in an address.
        assert search[0].get("method") == "dialog", page
        assert "submit" in search[0]["buttons"], page
