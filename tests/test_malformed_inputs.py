"""Malformed input, as a careless or hostile editor or translator might write it, never crashes
`amparo check` or the build and is never accepted in silence: each case breaks one real file one
way, and the check must exit 1 naming that file and line (and the field, where there is one),
with no Python traceback.

The cases run the check in this process (an exception here is a traceback there): what a case did
not break (the quiz's screens, the other catalogs) is made once and found again, as in
`make serve`. A few cases run the real commands, `amparo check` and `mkdocs build`, in a subprocess.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from amparo.cli import main

REPO = Path(__file__).resolve().parents[1]
GUIDE = "procedures/guides/espana-victimas-trata.yml"
QUIZ = "procedures/quiz.yml"
SOURCES = "procedures/sources.yml"
INTERFACE = "procedures/interface.yml"
GLOSSARY = "procedures/glossary.yml"
FR = "procedures/locale/fr.po"
EN = "procedures/locale/en.po"
AR = "procedures/locale/ar.po"
PT = "procedures/locale/pt.po"
TERMS = "procedures/locale/terms.yml"
POT = "procedures/locale/amparo.pot"
SAFETY = "docs/seguridad.md"
SAFETY_FR = "docs/seguridad.fr.md"
PRIVACY_AR = "docs/privacidad.ar.md"

Edit = Callable[[bytes], tuple[bytes, int]]


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8").splitlines(keepends=True)


def replace(pattern: str, replacement: str, nth: int = 0) -> Edit:
    """Replace `pattern` in the nth line it matches; the case expects that line."""
    def edit(data: bytes) -> tuple[bytes, int]:
        lines = _lines(data)
        hits = [index for index, line in enumerate(lines) if re.search(pattern, line)]
        index = hits[nth]
        lines[index] = re.sub(pattern, lambda m: replacement.replace("\\1", m.group(1) if m.groups() else ""), lines[index], count=1)
        return "".join(lines).encode("utf-8"), index + 1
    return edit


def insert_after(pattern: str, new_lines: str) -> Edit:
    """Insert text after the first line matching `pattern`; the case expects the first new line."""
    def edit(data: bytes) -> tuple[bytes, int]:
        lines = _lines(data)
        index = next(i for i, line in enumerate(lines) if re.search(pattern, line))
        lines.insert(index + 1, new_lines)
        return "".join(lines).encode("utf-8"), index + 2
    return edit


def append(text: str) -> Edit:
    def edit(data: bytes) -> tuple[bytes, int]:
        lines = _lines(data)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        return ("".join(lines) + text).encode("utf-8"), len(lines) + 1 + len(text) - len(text.lstrip("\n"))
    return edit


def shifted(edit: Edit, by: int) -> Edit:
    """The same edit, expecting the problem `by` lines away (a missing line is told at its neighbour)."""
    def moved(data: bytes) -> tuple[bytes, int]:
        new, line = edit(data)
        return new, line + by
    return moved


def whole(new: bytes, line: int = 1) -> Edit:
    return lambda data: (new, line)


def encoded(codec: str) -> Edit:
    """The same text saved in another encoding: the first line with a non-ASCII character is wrong."""
    def edit(data: bytes) -> tuple[bytes, int]:
        text = data.decode("utf-8")
        line = next(i for i, line in enumerate(text.splitlines(), start=1) if not line.isascii())
        return text.encode(codec, errors="replace"), (1 if codec.startswith("utf-16") else line)
    return edit


def duplicate_entry(context_pattern: str) -> Edit:
    """Copy a whole PO entry (msgctxt, msgid, msgstr) to the end: the copy's first line is wrong."""
    def edit(data: bytes) -> tuple[bytes, int]:
        text = data.decode("utf-8")
        match = re.search(rf'(?m)^msgctxt "{context_pattern}"\nmsgid .*\nmsgstr .*\n', text)
        assert match, context_pattern
        body = text if text.endswith("\n") else text + "\n"
        return (body + "\n" + match.group(0)).encode("utf-8"), body.count("\n") + 2
    return edit


#: name → (file, edit, words the message must contain)
CASES: dict[str, tuple[str, Edit, str]] = {
    # Content YAML: characters
    "NUL byte in a value": (GUIDE, replace(r"^(title: .*)España", "\\1Espa\x00ña"), "U+0000"),
    "NUL byte in a comment": (GUIDE, replace(r"^# Spain", "# Sp\x00ain"), "U+0000"),
    "NUL written as an escape": (GUIDE, replace(r"^title: .*", 'title: "España\\0"'), "U+0000"),
    "bell character": (GUIDE, replace(r"^(summary: Si eres)", "\\1\x07"), "U+0007"),
    "escape character": (GUIDE, replace(r"^(summary: Si eres)", "\\1\x1b[2J"), "U+001B"),
    "delete character": (SOURCES, replace(r"^(\s+title: )", "\\1\x7f"), "U+007F"),
    "C1 next line": (GUIDE, replace(r"^(summary: Si eres)", "\\1\x85"), "U+0085"),
    "C1 control sequence introducer": (GLOSSARY, replace(r"^(\s+term: )", "\\1\x9b"), "U+009B"),
    "escape written as an escape": (GUIDE, replace(r"^title: .*", 'title: "Espa\\x1bña"'), "U+001B"),
    "right-to-left override": (GUIDE, replace(r"^(title: .*)España", "\\1\u202eEspaña"), "U+202E"),
    "left-to-right embedding": (GUIDE, replace(r"^(summary: Si eres)", "\\1\u202a"), "U+202A"),
    "right-to-left embedding": (GUIDE, replace(r"^(summary: Si eres)", "\\1\u202b"), "U+202B"),
    "pop directional formatting": (GUIDE, replace(r"^(summary: Si eres)", "\\1\u202c"), "U+202C"),
    "left-to-right override": (GUIDE, replace(r"^(summary: Si eres)", "\\1\u202d"), "U+202D"),
    "left-to-right isolate": (QUIZ, replace(r"^(\s+text: )", "\\1\u2066"), "U+2066"),
    "right-to-left isolate": (QUIZ, replace(r"^(\s+text: )", "\\1\u2067"), "U+2067"),
    "first strong isolate": (INTERFACE, replace(r"^(\s+[a-z-]+: )", "\\1\u2068"), "U+2068"),
    "pop directional isolate": (INTERFACE, replace(r"^(\s+[a-z-]+: )", "\\1\u2069"), "U+2069"),
    "left-to-right mark in Spanish": (GUIDE, replace(r"^(summary: Si eres)", "\\1\u200e"), "U+200E"),
    "right-to-left mark in Spanish": (GUIDE, replace(r"^(summary: Si eres)", "\\1\u200f"), "U+200F"),
    "Arabic letter mark in Spanish": (GUIDE, replace(r"^(summary: Si eres)", "\\1\u061c"), "U+061C"),
    "direction override in a comment": (GUIDE, replace(r"^# Spain", "# Spain \u202e"), "U+202E"),
    "direction override written as an escape": (GUIDE, replace(r"^title: .*", 'title: "Espa\\u202eña"'), "U+202E"),
    "noncharacter": (GUIDE, replace(r"^(summary: Si eres)", "\\1\ufffe"), "U+FFFE"),
    # Content YAML: encodings, emptiness, structure
    "Latin-1 content": (GUIDE, encoded("latin-1"), "not UTF-8"),
    "UTF-16 content": (GUIDE, encoded("utf-16"), "not UTF-8"),
    "one broken byte": (GUIDE, lambda data: (data.replace("España".encode(), b"Espa\xf1a", 1),
                                               _lines(data).index(next(l for l in _lines(data) if "España" in l)) + 1),
                        "not UTF-8"),
    "empty content file": (GUIDE, whole(b""), "is empty"),
    "only comments": (SOURCES, whole(b"# nothing here\n# at all\n"), "is empty"),
    "only blank lines": (GLOSSARY, whole(b"\n\n   \n"), "is empty"),
    "alias repeating a value": (GUIDE, insert_after(r"^who_files:", "official_name_copy: &n [a]\nlegal: *n\n"), "alias"),
    "value containing itself": (GUIDE, whole(b"kind: procedure\nid: &x [*x]\n", line=2), "alias"),
    "impossible date": (GUIDE, replace(r"^who_files: .*", "who_files: 2025-02-30"), "day is out of range"),
    "Python object tag": (GUIDE, replace(r"^who_files: .*", "who_files: !!python/object:os.system {}"), "YAML tag"),
    "Python name tag on a value": (GUIDE, replace(r"^who_files: .*", "who_files: !!python/name:os.system ''"), "cannot be read"),
    "bad base64": (GUIDE, replace(r"^who_files: .*", "who_files: !!binary 'not base64!'"), "cannot be read"),
    "list instead of fields": (GLOSSARY, whole(b"- kind: glossary\n- entries: []\n"), "not a list"),
    "text instead of fields": (SOURCES, whole(b"just some words\n"), "not a single value"),
    "collection with a tag": (GUIDE, replace(r"^who_for:", "who_for: !!python/tuple"), "YAML tag"),
    "tab indentation": (GUIDE, insert_after(r"^who_for:", "\t- x\n"), "not valid YAML"),
    "unclosed quote": (GUIDE, replace(r"^title: .*", 'title: "sin cerrar'), "not valid YAML"),
    "key that is a list": (GUIDE, replace(r"^who_files: .*", "? [a, b]\n: c"), "not a name"),
    "nesting a thousand deep": (GLOSSARY, whole(b"kind: glossary\nentries: " + b"[" * 1000 + b"]" * 1000 + b"\n", line=2),
                                "nest"),
    # Catalogs (PO)
    "a line that is not PO": (FR, insert_after(r'^msgstr "Le contenu', "this is not po syntax\n"), "not PO syntax"),
    "a merge conflict in a catalog": (FR, insert_after(r'^msgstr "Le contenu', "<<<<<<< HEAD\n"), "not PO syntax"),
    "msgstr without quotes": (FR, replace(r'^msgstr "Le contenu.*', "msgstr Le contenu"), "not in quotes"),
    "msgstr without its closing quote": (FR, replace(r'^(msgstr "Le contenu.*)"$', "\\1"), "closing quote"),
    "unknown escape in a translation": (FR, replace(r'^msgstr "Le contenu', 'msgstr "\\x00Le contenu'), "escape"),
    "a quote inside a string": (EN, replace(r'^msgstr "(.)', 'msgstr "\\1"x', nth=3), "quote"),
    "a string outside any entry": (FR, replace(r"^# FIRST AUTHOR.*", '"stray string"'), "belongs to no msgid"),
    "msgid without msgstr": (FR, shifted(replace(r'^msgstr "Le contenu.*', "#"), -1), "without its msgstr"),
    "msgctxt twice in an entry": (FR, insert_after(r'^msgctxt "sources.sources.es-hoja-38.disclaimer"', 'msgctxt "otra"\n'),
                      "msgctxt twice"),
    "msgstr twice": (FR, insert_after(r'^msgstr "Le contenu', 'msgstr "Encore"\n'), "msgstr twice"),
    "duplicated entry": (FR, duplicate_entry(r"sources\.sources\.es-hoja-38\.disclaimer"), "second entry"),
    "duplicated entry in the template": (POT, duplicate_entry(r"sources\.sources\.es-hoja-38\.disclaimer"), "second entry"),
    "NUL in a translation": (FR, replace(r'^msgstr "Le contenu', 'msgstr "Le\x00 contenu'), "U+0000"),
    "bell in a translation": (EN, replace(r'^msgstr "(.)', 'msgstr "\\1\x07', nth=2), "U+0007"),
    "direction override in a translation": (FR, replace(r'^msgstr "Le contenu', 'msgstr "\u202eLe contenu'), "U+202E"),
    "direction isolate in an Arabic translation": (AR, replace(r'^msgstr "(.)', 'msgstr "\\1\u2067', nth=2), "U+2067"),
    "direction mark in a French translation": (FR, replace(r'^msgstr "Le contenu', 'msgstr "Le\u200f contenu'), "U+200F"),
    "direction override in the template": (POT, replace(r'^msgid "El contenido', 'msgid "\u202dEl contenido'), "U+202D"),
    "Latin-1 catalog": (FR, encoded("latin-1"), "not UTF-8"),
    "UTF-16 catalog": (EN, encoded("utf-16"), "not UTF-8"),
    "empty catalog": (FR, whole(b""), "is empty"),
    "empty template": (POT, whole(b"\n"), "is empty"),
    # Translations that say something else than the Spanish (the term base and the number check)
    "a number changed in a translation": (FR, shifted(replace(r'^(msgstr ".*)au moins 90 jours', "\\1au moins 60 jours"), -1),
                                          "loses or changes a number of the Spanish: 90"),
    "a number written in other words": (FR, shifted(replace(r'^(msgstr ".*)au moins 90 jours', "\\1au moins soixante jours"), -1),
                                        "loses or changes a number of the Spanish: 90"),
    "a dropped você": (PT, shifted(replace(r'^(msgstr "É você quem decide\. A polícia só propõe esse período se) você concordar',
                                           "\\1 concordar"), -1), "term 'consentimiento'"),
    "a form of another variant": (PT, shifted(replace(r'^(msgstr "As suas respostas ficam neste) celular', "\\1 telemóvel"), -1),
                                  "«telemóvel», which is not português do Brasil"),
    "a forbidden rendering of a term": (PT, shifted(replace(r'^(msgstr ".*)contrabando de migrantes', "\\1tráfico de pessoas"), -1),
                                        "term 'trafico-de-migrantes'"),
    "a number changed in a translated page": (SAFETY_FR, shifted(replace(r"environ 14 Mo", "environ 12 Mo"), -1),
                                              "loses or changes a number of the Spanish: 14"),
    # The term base itself
    "term base not valid YAML": (TERMS, replace(r"^kind: terms", "kind: [terms"), "not valid YAML"),
    "unknown field in the term base": (TERMS, replace(r"^(\s+)why: >-", "\\1whyy: >-"), "is not a known field"),
    "term id with capitals": (TERMS, replace(r"^  - id: consentimiento", "  - id: Consentimiento"), "lowercase letters"),
    "term for a language the site lacks": (TERMS, replace(r"^(\s+)en: \{use: \[you agree\]\}", "\\1xx: {use: [you agree]}"),
                                           "does not translate into"),
    "term base pattern with a stray star": (TERMS, replace(r"^(\s+en: \{use: \[)you agree", '\\1"* agree"'), "not part of a word"),
    "term that can never pass": (TERMS, replace(r"^(\s+pt: \{use: \[)você concordar", "\\1se concordar"),
                                 "forbidden form «se concordar» refuses"),
    # Hand-written pages
    "script in a page": (SAFETY, append("<script>alert(1)</script>\n"), "<script>"),
    "script in a translated page": (SAFETY_FR, append("\n<script src=x></script>\n"), "<script>"),
    "style element": (SAFETY, append("<style>body{display:none}</style>\n"), "<style>"),
    "iframe": (SAFETY, append('<iframe src="https://example.org"></iframe>\n'), "<iframe>"),
    "image that loads from elsewhere": (SAFETY, append('<img src="https://example.org/x.png">\n'), "<img>"),
    "raw link": (SAFETY, append('<a href="https://example.org">x</a>\n'), "<a>"),
    "form": (SAFETY, append('<form action="https://example.org"></form>\n'), "<form>"),
    "object": (SAFETY_FR, append('<object data="x.swf"></object>\n'), "<object>"),
    "meta refresh": (SAFETY, append('<meta http-equiv="refresh" content="0;url=https://example.org">\n'), "<meta>"),
    "event handler attribute": (SAFETY, append('<span onclick="alert(1)">x</span>\n'), "onclick="),
    "style attribute": (SAFETY, append('<div style="display:none">x</div>\n'), "style="),
    "submit button": (SAFETY, append('<button type="submit">x</button>\n'), 'type="submit"'),
    "javascript link": (SAFETY, append("[Sigue](javascript:alert(1))\n"), "'javascript:'"),
    "data link": (SAFETY_FR, append("[Suivre](data:text/html,hola)\n"), "'data:'"),
    "javascript reference link": (SAFETY, append("\n[salir]: javascript:alert(1)\n"), "'javascript:'"),
    "processing instruction": (SAFETY, append("<?php echo 1; ?>\n"), "processing instruction"),
    "NUL in a page": (SAFETY, append("Una frase\x00 rota.\n"), "U+0000"),
    "direction override in a page": (SAFETY_FR, append("Une phrase \u202eretournée.\n"), "U+202E"),
    "direction isolate in an Arabic page": (PRIVACY_AR, append("\u2066x\u2069\n"), "U+2066"),
    "Latin-1 page": (SAFETY, encoded("latin-1"), "not UTF-8"),
    "empty page": (SAFETY_FR, whole(b"---\ntranslation:\n  source: abc\n---\n\n"), "is empty"),
    "front matter that is not YAML": (SAFETY_FR, replace(r"^translation:", "translation: [unclosed"), "not valid YAML"),
    "front matter never closed": (SAFETY, whole(b"---\ntitle: x\n\n# Hola\n"), "never closes"),
}


@pytest.fixture
def checkable(tmp_path, build_cache) -> Path:
    """What `amparo check` reads, copied to be broken."""
    for name in ("procedures", "docs"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("guias", "cuestionario", "__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for stub in (tmp_path / "docs").rglob("*.md"):
        if stub.read_bytes().startswith(b"<!-- amparo:generated -->"):
            stub.unlink()
    return tmp_path


def break_file(project: Path, file: str, edit: Edit) -> int:
    path = project / file
    data, line = edit(path.read_bytes())
    assert data != path.read_bytes(), "the case must change the file"
    path.write_bytes(data)
    return line


def test_there_are_at_least_fifty_distinct_cases():
    assert len(CASES) >= 50
    assert len({(file, words) for file, _, words in CASES.values()}) >= 40


@pytest.mark.parametrize("name", list(CASES))
def test_malformed_input_is_an_error_at_its_line(checkable, capsys, name):
    file, edit, words = CASES[name]
    line = break_file(checkable, file, edit)
    status = main(["--config-file", str(checkable / "mkdocs.yml"), "check"])
    out, err = capsys.readouterr()
    assert status == 1, out + err
    assert "Traceback" not in out + err
    reported = [row.strip() for row in err.splitlines() if row.strip().startswith(f"{file}:{line}:")]
    assert reported, f"nothing reported at {file}:{line}:\n{err}"
    assert any(words in row for row in reported), f"{words!r} not in {reported}"


FIELDS = {
    # A problem inside a value names its field too.
    "NUL byte in a value": "title",
    "right-to-left override": "title",
    "direction override written as an escape": "title",
    "bell character": "summary",
    "impossible date": "who_files",
    "msgstr without quotes": "sources.sources.es-hoja-38.disclaimer",
    "duplicated entry": "sources.sources.es-hoja-38.disclaimer",
}


@pytest.mark.parametrize("name", list(FIELDS))
def test_the_field_is_named(checkable, capsys, name):
    file, edit, _ = CASES[name]
    line = break_file(checkable, file, edit)
    assert main(["--config-file", str(checkable / "mkdocs.yml"), "check"]) == 1
    err = capsys.readouterr().err
    assert f"{file}:{line}: {FIELDS[name]} " in err, err


REAL_RUNS = ["NUL byte in a value", "Latin-1 catalog", "duplicated entry", "script in a translated page"]


def _run(project: Path, command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("name", REAL_RUNS)
def test_amparo_check_exits_1_without_a_traceback(checkable, name):
    file, edit, words = CASES[name]
    line = break_file(checkable, file, edit)
    result = _run(checkable, [sys.executable, "-m", "amparo.cli", "check"])
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{file}:{line}:" in result.stderr and words in result.stderr, result.stderr[-3000:]


def test_the_build_exits_1_without_a_traceback_and_publishes_nothing(checkable):
    # One case: every input check runs before MkDocs writes anything (the plugin's on_config).
    file, edit, words = CASES["NUL byte in a value"]
    line = break_file(checkable, file, edit)
    (checkable / "overrides").symlink_to(REPO / "overrides")
    (checkable / "node_modules").symlink_to(REPO / "node_modules")
    out = checkable / "out"
    result = _run(checkable, [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)])
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{file}:{line}:" in result.stderr and words in result.stderr, result.stderr[-3000:]
    assert not out.exists() or not any(out.iterdir())
