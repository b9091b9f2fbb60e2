"""Every promise of the threat model names a test, and every test it names exists.

A promise is a list item that starts with ✔, on the site's page (docs/promesas.md and its
translations) and in the technical version (THREAT_MODEL.md). A test is named as
`tests/path/file.py::test_name`; it exists when that file defines a function of that name
(collected from the file's syntax tree, so nothing is imported or run).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from amparo.project import read_project

REPO = Path(__file__).resolve().parents[1]
PAGE = "promesas"
LANGUAGES = read_project(REPO / "mkdocs.yml").translated_languages
# A language may be partial: without its translation of a page, its readers get the Spanish page.
TRANSLATED = [language for language in LANGUAGES if (REPO / f"docs/{PAGE}.{language}.md").exists()]
DOCUMENTS = [f"docs/{PAGE}.md", *(f"docs/{PAGE}.{language}.md" for language in TRANSLATED), "THREAT_MODEL.md"]
TEST_NAME = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
_ITEM = re.compile(r"^[-*] ")


def promises(text: str) -> list[str]:
    """The ✔ list items of a Markdown text, each with its continuation lines."""
    items, current = [], None
    for line in text.splitlines():
        if _ITEM.match(line) or not line.strip() or line.startswith("#"):
            if current is not None:
                items.append(current)
            current = line[2:] if _ITEM.match(line) and line[2:].lstrip().startswith("✔") else None
        elif current is not None:
            current += " " + line.strip()
    if current is not None:
        items.append(current)
    return items


def names(text: str) -> list[tuple[str, str]]:
    return TEST_NAME.findall(text)


def defined_tests(file: Path) -> set[str]:
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    return {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name.startswith("test_")}


def read(document: str) -> str:
    return (REPO / document).read_text(encoding="utf-8")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_promise_names_at_least_one_test(document):
    found = promises(read(document))
    assert len(found) >= 20, f"{document}: {len(found)} promises (✔ items) found"
    untested = [promise[:80] for promise in found if not names(promise)]
    assert not untested, f"{document}: promises without a test: {untested}"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_test_named_exists(document):
    named = names(read(document))
    assert named, document
    missing = []
    for file, test in named:
        path = REPO / file
        if not path.is_file() or test not in defined_tests(path):
            missing.append(f"{file}::{test}")
    assert not missing, f"{document} names tests that do not exist: {missing}"


def test_the_parser_finds_promises_and_their_tests():
    text = ("# T\n\n- ✔ Kept. Test: `tests/test_a.py::test_b`\n- a limit, `tests/test_c.py::test_d`\n"
            "- ✔ Kept over\n  two lines. `tests/test_e.py::test_f`\n- ✔ Untested.\n\n## U\n")
    assert [names(p) for p in promises(text)] == [[("tests/test_a.py", "test_b")], [("tests/test_e.py", "test_f")], []]


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_translation_makes_the_promises_of_the_spanish_page(language):
    spanish = [names(promise) for promise in promises(read(f"docs/{PAGE}.md"))]
    translated = [names(promise) for promise in promises(read(f"docs/{PAGE}.{language}.md"))]
    assert translated == spanish, f"docs/{PAGE}.{language}.md: other promises or tests than docs/{PAGE}.md"


def test_the_technical_version_checks_every_promise_of_the_page():
    page = {name for promise in promises(read(f"docs/{PAGE}.md")) for name in names(promise)}
    technical = {name for promise in promises(read("THREAT_MODEL.md")) for name in names(promise)}
    assert page <= technical, sorted(page - technical)


@pytest.mark.parametrize("language", ["es", *LANGUAGES])
def test_the_safety_page_links_to_the_promises(language):
    translated = f"docs/seguridad.{language}.md"
    safety = read(translated if language != "es" and (REPO / translated).exists() else "docs/seguridad.md")
    assert f"]({PAGE}.md)" in safety, f"the {language} safety page does not link to {PAGE}.md"


def test_the_page_is_in_the_menu():
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load(read("mkdocs.yml"), Loader=Loader)
    pages = [page for section in config["nav"] if isinstance(section, dict) for pages in section.values()
             for page in pages]
    assert f"{PAGE}.md" in pages


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_threat_has_its_section_with_what_cannot_be_done(document):
    """The four threats of issue 14, each with its promises and its limits, in every version."""
    text = read(document)
    sections = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    anchors = {match.group(1): section for section in sections
               if (match := re.search(r"\{#([\w-]+)\}", section.splitlines()[0]))}
    assert list(anchors) == ["telefono", "red", "contenido", "dependencias"], document
    for anchor, section in anchors.items():
        assert promises(section), f"{document}#{anchor}: no promise"
        # The limits come after the promises: some text after the last ✔ item.
        lines = section.splitlines()
        last_promise = max(i for i, line in enumerate(lines) if line.startswith("- ✔"))
        assert any(line.strip() for line in lines[last_promise + 1:]), f"{document}#{anchor}: says nothing of what it cannot do"


_DO_NOT_TRANSLATE = re.compile(r"""translate\s*=\s*["']?no\b|notranslate|\.translate\s*=\s*false""")


def test_the_quiz_is_not_marked_do_not_translate_as_the_pages_say():
    """The safety and promises pages say the browser's own translation may send the quiz's
    result, and that the guide does not mark it «do not translate»: a reader whose language is
    not among the eight would lose the one way to read her result. Marking anything so makes
    those pages wrong: this fails first, so they are changed with the code."""
    marked = [str(file.relative_to(REPO)) for folder in ("amparo/templates", "overrides")
              for file in sorted((REPO / folder).rglob("*"))
              if file.suffix in {".html", ".js", ".md"} and _DO_NOT_TRANSLATE.search(file.read_text(encoding="utf-8"))]
    assert not marked, f"marked «do not translate» (see docs/promesas.md#telefono): {marked}"
    assert _DO_NOT_TRANSLATE.search('<div class="amparo-quiz" translate="no">')
