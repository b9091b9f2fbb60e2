"""Broken content must be caught with a message an editor can act on: file, line, field, what to do.

Each case breaks one real content file the way an editor might, then checks the exact line
and field reported, and that `amparo check` exits non-zero.
"""

import hashlib
import re
from pathlib import Path

import pytest

from amparo.cli import check, main
from amparo.project import read_project

GUIDE = "procedures/guides/espana-victimas-trata.yml"


def break_line(project: Path, file: str, pattern: str, replacement: str) -> int:
    """Replace the first line matching `pattern`; return its 1-based number."""
    path = project / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if re.search(pattern, line):
            lines[index] = re.sub(pattern, replacement, line, count=1)
            path.write_text("".join(lines), encoding="utf-8")
            return index + 1
    raise AssertionError(f"{file} has no line matching {pattern!r}")


def insert_after(project: Path, file: str, pattern: str, new_line: str) -> int:
    path = project / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if re.search(pattern, line):
            lines.insert(index + 1, new_line + "\n")
            path.write_text("".join(lines), encoding="utf-8")
            return index + 2
    raise AssertionError(f"{file} has no line matching {pattern!r}")


def problems_of(project: Path) -> list[str]:
    return [str(problem) for problem in check(read_project(project / "mkdocs.yml"))]


def assert_reported(project: Path, file: str, line: int, *needles: str) -> None:
    problems = problems_of(project)
    matching = [p for p in problems if p.startswith(f"{file}:{line}:")]
    assert matching, f"nothing reported at {file}:{line}; got: {problems}"
    assert any(all(needle in p for needle in needles) for p in matching), f"{needles} not in {matching}"


def test_real_content_has_no_problem(project):
    assert problems_of(project) == []


CASES = {
    # name: (file, pattern, replacement, field, words of the message)
    "unknown key, with a guess": (GUIDE, r"^summary:", "sumary:", "sumary", "did you mean 'summary'"),
    "HTML in a text": (GUIDE, r"^title: .*", 'title: "Permiso <script>alert(1)</script>"', "title", "contains HTML"),
    "entity in a text": (GUIDE, r"^title: .*", 'title: "Permiso &amp; algo"', "title", "contains HTML"),
    "number where text is expected": (GUIDE, r"^title: .*", "title: 38", "title", "must be text"),
    "empty text": (GUIDE, r"^title: .*", 'title: ""', "title", "is empty"),
    "list expected": (GUIDE, r"^situations:.*", "situations: trata", "situations", "must be a list"),
    "unknown choice": (GUIDE, r"^    mode: in_person", "    mode: by_post", "mode", "must be one of"),
    "situation that countries.yml does not list": (GUIDE, r"^situations: .*", "situations: [contrabando]",
                                                   "situations[0]", "not a situation of countries.yml"),
    "country that countries.yml does not list": (GUIDE, r"^country: .*", "country: FR", "country",
                                                 "not a country of countries.yml"),
    "id with spaces": (GUIDE, r"^id: .*", "id: Víctimas de trata", "id", "lowercase letters"),
    "dangling source": (GUIDE, r"^source: .*", "source: hoja-99", "source", "does not exist"),
    "dangling shared step": (GUIDE, r"shared: solicitar-tie", "shared: solicitar-nie", "steps[", "did you mean 'solicitar-tie'"),
    "dangling shared fee": (GUIDE, r"shared: tasa-790-052", "shared: tasa-790", "fee.shared", "does not exist"),
    "dangling shared text": (GUIDE, r"shared: quien-presenta", "shared: quien-presente", "who_files.shared",
                             "refers to shared text 'quien-presente', which does not exist (did you mean 'quien-presenta'?)"),
    "invented address": (GUIDE, r"^summary: .*", "summary: Mira https://example.org/tramite para más", "summary", "no source contains"),
    "bad date": ("procedures/sources.yml", r"last_updated: 2025-05", "last_updated: 2025-13", "last_updated", "year and month"),
    "date that is not text": ("procedures/sources.yml", r"last_updated: 2025-05", "last_updated: 2025-05-01", "last_updated", "must be text"),
    "source file that does not exist": ("procedures/sources.yml", r"file: 002_ea76eaa9a272f44a.txt", "file: 002_missing.txt", "file", "not in"),
    "sha256 that is not one": ("procedures/sources.yml", r"^  002_ea76eaa9a272f44a.txt: .*", "  002_ea76eaa9a272f44a.txt: abc", "sha256.002_ea76eaa9a272f44a.txt", "64 digits"),
    "wrong file kind": ("procedures/glossary.yml", r"^kind: .*", "kind: shared", "kind", "must be 'glossary'"),
    "unknown file kind": (GUIDE, r"^kind: .*", "kind: permiso", "kind", "must be 'procedure' or 'guidance'"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_content_error_names_file_line_and_field(project, name):
    file, pattern, replacement, field, words = CASES[name]
    line = break_line(project, file, pattern, replacement)
    assert_reported(project, file, line, field, words)
    assert main(["--config-file", str(project / "mkdocs.yml"), "check"]) == 1


SOURCES = "procedures/sources.yml"
SHEET_38 = "002_ea76eaa9a272f44a.txt"


def test_an_official_text_that_differs_from_its_recorded_sha256_is_an_error(project):
    # The check runs on every clone: the digest is in the repository, beside the text.
    text = project / "procedures/sources" / SHEET_38
    text.write_bytes(text.read_bytes().replace("cuarenta y ocho".encode(), "setenta y dos".encode(), 1))
    recorded = project / SOURCES
    line = next(number for number, row in enumerate(recorded.read_text(encoding="utf-8").splitlines(), 1)
                if row.strip().startswith(f"{SHEET_38}:"))
    assert_reported(project, SOURCES, line, f"sha256.{SHEET_38}", "does not match procedures/sources/" + SHEET_38,
                    hashlib.sha256(text.read_bytes()).hexdigest())
    assert main(["--config-file", str(project / "mkdocs.yml"), "check"]) == 1


def test_an_official_text_without_a_recorded_sha256_is_an_error(project):
    path = project / SOURCES
    path.write_text(re.sub(rf"(?m)^  {re.escape(SHEET_38)}: .*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    line = next(number for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if row.strip() == f"file: {SHEET_38}")
    assert_reported(project, SOURCES, line, f"sha256.{SHEET_38}", "is missing")


def test_a_recorded_sha256_must_name_a_source_file(project):
    line = insert_after(project, SOURCES, r"^sha256:", "  002_missing.txt: " + "f" * 64)
    assert_reported(project, SOURCES, line, "sha256.002_missing.txt", "no source uses")


def test_missing_field(project):
    path = project / GUIDE
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^summary: .*\n", "", text, count=1), encoding="utf-8")
    problems = problems_of(project)
    assert any(p.startswith(f"{GUIDE}:") and "summary is required but missing" in p for p in problems), problems


def test_invalid_yaml(project):
    line = break_line(project, GUIDE, r"^title: .*", "title: [sin cerrar")
    problems = problems_of(project)
    assert any(re.match(rf"{re.escape(GUIDE)}:({line}|{line + 1}): is not valid YAML", p) for p in problems), problems


def test_key_written_twice(project):
    line = insert_after(project, GUIDE, r"^title: ", "title: Otro título")
    assert_reported(project, GUIDE, line, "title", "written twice")


def test_duplicate_step_id(project):
    path = project / GUIDE
    text = path.read_text(encoding="utf-8")
    first = re.search(r"(?m)^  - id: (\S+)\n", text)
    assert first, "expected an inline step"
    second = re.search(r"(?m)^  - id: (\S+)\n", text[first.end():])
    start = first.end() + second.start()
    path.write_text(text[:start] + f"  - id: {first.group(1)}\n" + text[first.end() + second.end():], encoding="utf-8")
    problems = problems_of(project)
    assert any(p.startswith(f"{GUIDE}:") and f'have the id "{first.group(1)}"' in p for p in problems), problems


def test_guide_id_must_match_file_name(project):
    (project / GUIDE).rename(project / "procedures/guides/otra-guia.yml")
    problems = problems_of(project)
    assert any(p.startswith("procedures/guides/otra-guia.yml:") and "must equal the file name" in p for p in problems), problems


def test_file_that_is_not_utf8(project):
    (project / GUIDE).write_bytes("title: Espa\u00f1a\n".encode("latin-1"))
    assert any(p.startswith(f"{GUIDE}:1:") and "not UTF-8" in p for p in problems_of(project))


def test_markup_in_a_translation(project):
    po = project / "procedures/locale/en.po"
    text = po.read_text(encoding="utf-8")
    match = re.search(r'(?m)^msgstr "(.+)"$', text)
    line = text[: match.start()].count("\n") + 1
    po.write_text(text[: match.start()] + 'msgstr "<img src=x onerror=alert(1)>"' + text[match.end():], encoding="utf-8")
    problems = problems_of(project)
    assert any(p.startswith("procedures/locale/en.po:") and "contains HTML" in p for p in problems), problems
    assert any(f"en.po:{line - 1}:" in p or f"en.po:{line - 2}:" in p or f"en.po:{line}:" in p for p in problems), problems


def test_missing_translation_of_a_complete_language(project):
    po = project / "procedures/locale/en.po"
    text = po.read_text(encoding="utf-8")
    match = re.search(r'(?m)^msgctxt "([^"]+)"\nmsgid "(.+)"\nmsgstr "(.+)"$', text)
    po.write_text(text[: match.start()] + f'msgctxt "{match.group(1)}"\nmsgid "{match.group(2)}"\nmsgstr ""' + text[match.end():], encoding="utf-8")
    problems = problems_of(project)
    assert any("en.po" in p and match.group(1) in p and "has no translation" in p for p in problems), problems


def test_changed_spanish_makes_catalogs_stale(project):
    break_line(project, GUIDE, r"^summary: (.*)", r"summary: Texto nuevo. \1")
    problems = problems_of(project)
    assert any("amparo.pot" in p and "out of date" in p for p in problems), problems


# --- `make check` says everything the build says, and never with a traceback ----------------------


def check_fails_in_words(project: Path, capsys) -> str:
    """`amparo check` exits 1 with problems an editor can act on, never a traceback."""
    assert main(["--config-file", str(project / "mkdocs.yml"), "check"]) == 1
    error = capsys.readouterr().err
    assert "problem" in error and "Traceback" not in error, error
    return error


def test_a_quiz_changed_without_its_paths_fails_the_check(project, capsys):
    # procedures/quiz-paths.json is what reviewers read of a quiz change: it must say what the quiz does.
    break_line(project, "procedures/quiz.yml", r"^    unmet: \[si\]$", "    unmet: []")
    assert_reported(project, "procedures/quiz-paths.json", 1, "out of date", "amparo quiz paths")
    check_fails_in_words(project, capsys)


REDIRECTS = "procedures/redirects.yml"


def write_redirect(project: Path, source: str, target: str) -> int:
    (project / REDIRECTS).write_text(f"redirects:\n  - {{from: {source}, to: {target}}}\n", encoding="utf-8")
    return 2


def test_a_redirect_to_another_website_fails_the_check(project, capsys):
    line = write_redirect(project, "/guias/vieja/", "https://tracker.example/")
    assert_reported(project, REDIRECTS, line, "redirects.0.to", "never leads to another website")
    check_fails_in_words(project, capsys)


def test_a_redirect_that_would_hide_a_live_page_fails_the_check(project, capsys):
    guide = Path(GUIDE).stem
    line = write_redirect(project, f"/guias/{guide}/", "/seguridad/")
    assert_reported(project, REDIRECTS, line, f"/guias/{guide}/", "still published")
    check_fails_in_words(project, capsys)


def test_a_redirect_to_a_page_the_site_does_not_have_fails_the_check(project):
    line = write_redirect(project, "/guias/vieja/", "/guias/no-existe/")
    assert_reported(project, REDIRECTS, line, "/guias/no-existe/", "not a page of the site")


def append(project: Path, file: str, text: str) -> int:
    """Add `text` at the end of a file; the line it starts on."""
    path = project / file
    current = path.read_text(encoding="utf-8")
    current = current if current.endswith("\n") else current + "\n"
    path.write_text(current + text, encoding="utf-8")
    return current.count("\n") + 1


# A hand-written page and a translation of it: both are published.
PAGES = ["docs/seguridad.md", "docs/seguridad.fr.md"]


@pytest.mark.parametrize("page", PAGES)
def test_an_image_from_another_host_fails_the_check(project, capsys, page):
    # A tracker's pixel: the page's policy would block it, but it must not ship at all.
    line = append(project, page, "\n![](https://tracker.example/pixel.gif)\n") + 1
    assert_reported(project, page, line, "image from another address", "https://tracker.example/pixel.gif")
    check_fails_in_words(project, capsys)


@pytest.mark.parametrize("markdown, offset, found", [
    ("![logo][l]\n\n[l]: //cdn.example/logo.png\n", 0, "image from another address (//cdn.example/logo.png)"),
    ("Texto.\n{: style=\"background: url(https://tracker.example/p.gif)\" }\n", 1, "attribute style="),
    ("![mapa](data:image/svg+xml;base64,PHN2Zz4=)\n", 0, "image from another address (data:"),
])
def test_other_ways_to_load_from_elsewhere_fail_the_check(project, markdown, offset, found):
    line = append(project, PAGES[0], "\n" + markdown) + 1 + offset
    assert_reported(project, PAGES[0], line, found)


def test_a_local_image_is_fine(project):
    append(project, PAGES[0], "\n![](imagenes/mapa.png)\n")
    assert not [p for p in problems_of(project) if p.startswith(PAGES[0])]


@pytest.mark.parametrize("setting, value", [("extra_javascript", "https://cdn.example/analytics.js"),
                                            ("extra_css", "//fonts.example/font.css")])
def test_a_script_or_stylesheet_from_another_host_in_the_settings_fails_the_check(project, capsys, setting, value):
    line = insert_after(project, "mkdocs.yml", rf"^{setting}:", f"  - {value}")
    assert_reported(project, "mkdocs.yml", line, setting, f"loads {value} from another host")
    check_fails_in_words(project, capsys)


@pytest.mark.parametrize("data, why", [
    ("Hoja informativa 38. Autorización de residencia\n".encode("latin-1"), "not UTF-8"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "not UTF-8"),
    ("Hoja\ninformativa\x00 38\n".encode("utf-8"), "NUL"),
])
def test_a_source_that_is_not_utf8_text_fails_the_check(project, capsys, data, why):
    (project / "procedures/sources" / SHEET_38).write_bytes(data)
    problems = problems_of(project)
    assert any(p.startswith(f"procedures/sources/{SHEET_38}:") and why in p for p in problems), problems
    check_fails_in_words(project, capsys)


def test_a_guide_in_a_country_the_list_does_not_have_fails_in_words(project, capsys):
    # It used to stop the build with a KeyError in the comparison page's country words.
    line = break_line(project, GUIDE, r"^country: .*", "country: XV")
    assert_reported(project, GUIDE, line, "country", "is 'XV', which is not a country of countries.yml")
    check_fails_in_words(project, capsys)
