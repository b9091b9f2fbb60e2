"""Translations stay honest: a changed Spanish text shows in Spanish, with a notice, until it is
translated again; the status page counts it; a translation cannot break placeholders, addresses
or markup; catalogs out of date with the Spanish fail the check; hand-written pages know what
Spanish they translate."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from amparo.cli import check
from amparo.project import read_project
from amparo.i18n.handwritten_pages import page_translations
from amparo.i18n.catalogs import catalog_bytes, update_catalogs
from amparo.content.loader import load_content
from amparo.render.markdown_pages import FALLBACK_MARK, NOTICE_PLACE, escape
from amparo.publish.generated_pages import build_site

GUIDE = "procedures/guides/espana-victimas-trata.yml"
SUMMARY = "espana-victimas-trata.summary"
LANGUAGE = "fr"   # translated, and not published as complete: it may fall back to Spanish


def set_translation(project: Path, language: str, context: str, text: str) -> int:
    """Write `text` as the translation of `context`; return its line in the PO file."""
    path = project / f"procedures/locale/{language}.po"
    catalog = read_po(path.open("rb"), locale=language)
    message = next(m for m in catalog if m.context == context)
    message.string = text
    message.flags.discard("fuzzy")
    path.write_bytes(catalog_bytes(catalog))
    return next(m for m in read_po(path.open("rb"), locale=language) if m.context == context).lineno


def _translation(project: Path, language: str, context: str) -> str:
    catalog = read_po((project / f"procedures/locale/{language}.po").open("rb"), locale=language)
    return next(m.string for m in catalog if m.context == context)


def build(project: Path, complete: list[str] | None = None):
    settings = read_project(project / "mkdocs.yml").settings()
    if complete is not None:
        settings = dataclasses.replace(settings, complete_languages=complete)
    return build_site(project / "procedures", project / "procedures/sources", settings)


def change_spanish_summary(project: Path) -> str:
    guide = project / GUIDE
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("summary: Si eres", "summary: Texto nuevo para probar. Si eres", 1), encoding="utf-8")
    project_info = read_project(project / "mkdocs.yml")
    content = load_content(project_info.content_dir, project_info.sources_dir)
    update_catalogs(list(content.texts()), project_info.content_dir, project_info.translated_languages)
    return next(str(t) for t in content.texts() if t.context == SUMMARY)


def test_changed_spanish_shows_in_spanish_with_a_notice_until_translated_again(project):
    before = build(project)
    assert SUMMARY in before.status[LANGUAGE].current, "the test needs the summary translated to start with"
    # (The language may be partial: other texts of the page may be in Spanish already.)
    assert "Texto nuevo para probar" not in before.pages["guias/espana-victimas-trata.md"][LANGUAGE].markdown

    spanish = change_spanish_summary(project)
    # English is published as complete: an outdated text there stops the build, naming it.
    with pytest.raises(Exception) as stopped:
        build(project)
    assert re.search(rf"{GUIDE}:\d+: {SUMMARY} has an outdated \(fuzzy\) translation", str(stopped.value))

    site = build(project, complete=[])
    page = site.pages["guias/espana-victimas-trata.md"][LANGUAGE].markdown
    assert FALLBACK_MARK + "Texto nuevo para probar" in page
    notice = escape(site.words[LANGUAGE]("untranslated-notice"))
    assert notice in page and notice != site.words["es"]("untranslated-notice")
    # Outdated by this change: the summary, beside what an editor's branch may already leave outdated
    # in a language that is not complete (CONTRIBUTING.md, "Translating").
    waiting = list(before.status[LANGUAGE].outdated)
    assert sorted(site.status[LANGUAGE].outdated) == sorted([*waiting, SUMMARY])
    status_page = site.pages["traduccion.md"][LANGUAGE].markdown
    assert f"`{SUMMARY}`" in status_page
    row = next(line for line in status_page.splitlines() if f'lang="{LANGUAGE}"' in line)
    assert row.split("|")[3].strip() == str(len(waiting) + 1), row   # the Outdated column

    # Translated again, keeping the numbers and terms of the Spanish (the term base checks them).
    for language, new_words in ((LANGUAGE, "Nouveau texte pour tester."), ("en", "New text to test.")):
        set_translation(project, language, SUMMARY, f"{new_words} {_translation(project, language, SUMMARY)}")
    site = build(project)
    page = site.pages["guias/espana-victimas-trata.md"][LANGUAGE].markdown
    assert "Nouveau texte pour tester" in page and "Texto nuevo para probar" not in page
    assert sorted(site.status[LANGUAGE].outdated) == sorted(waiting)
    assert spanish.startswith("Texto nuevo para probar.")


def test_catalogs_out_of_date_with_the_spanish_fail_the_check(project):
    guide = project / GUIDE
    guide.write_text(guide.read_text(encoding="utf-8").replace("summary: Si eres", "summary: Cuando eres", 1), encoding="utf-8")
    problems = [str(p) for p in check(read_project(project / "mkdocs.yml"))]
    assert any(re.match(rf"procedures/locale/amparo.pot:[1-9][0-9]+: {re.escape(SUMMARY)} .*make translations", p)
               for p in problems), problems


BROKEN = {
    # what the translation does: (context, translation, words of the message)
    "drops a placeholder": ("interface.strings.step-title", "Étape {number}", "placeholders"),
    "translates a placeholder": ("interface.strings.step-title", "Étape {numero} : {actor}", "placeholders"),
    "changes a web address": ("shared.steps.solicitar-tie.details.0",
                              "Documents : https://sede.administracionespublicas.gob.es/procedimientos/", "web address"),
    "adds markup": ("espana-victimas-trata.title", "Espagne : <b>permis</b>", "contains HTML"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_translation_that_breaks_something_fails_naming_file_line_and_field(project, case):
    context, translation, words = BROKEN[case]
    line = set_translation(project, LANGUAGE, context, translation)
    problems = [str(p) for p in check(read_project(project / "mkdocs.yml"))]
    expected = f"procedures/locale/{LANGUAGE}.po:{line}: {context} "
    assert any(p.startswith(expected) and words in p for p in problems), problems


def test_handwritten_translations_know_the_spanish_they_translate(project):
    docs = project / "docs"
    settings = read_project(project / "mkdocs.yml").settings()
    states = {(t.source, t.language): t.state for t in page_translations(docs, set(), settings.languages)}
    assert states[("seguridad.md", "en")] == "current"
    spanish = docs / "seguridad.md"
    spanish.write_text(spanish.read_text(encoding="utf-8") + "\nUna frase nueva.\n", encoding="utf-8")
    states = {(t.source, t.language): t.state for t in page_translations(docs, set(), settings.languages)}
    assert states[("seguridad.md", "en")] == "outdated"
    site = build(project)
    english = site.handwritten_markdown("# Your safety\n\nText.", "seguridad.en.md", "en")
    assert escape(site.words["en"]("page-outdated-notice")) in english

    subprocess.run([sys.executable, "-m", "amparo.cli", "translations", "stamp", "docs/seguridad.en.md"], cwd=project, check=True)
    states = {(t.source, t.language): t.state for t in page_translations(docs, set(), settings.languages)}
    assert states[("seguridad.md", "en")] == "current"


def test_a_page_that_places_its_translation_notice_gets_it_there_compact(project):
    """The home page keeps its first screen for what the site is and the way to the quiz: its
    notice goes where it says, in one small block; other pages keep it under their title."""
    site = build(project)
    page = f"# Title\n\nWhat it is.\n\n[Quiz](cuestionario/index.md)\n\n{NOTICE_PLACE}\n\n## More\n"
    notice = escape(site.words["en"]("translation-notice"))
    english = site.handwritten_markdown(page, "index.en.md", "en")
    assert english.index("[Quiz]") < english.index(notice) < english.index("## More")
    assert "!!! note amparo-compact" in english and NOTICE_PLACE not in english
    assert NOTICE_PLACE not in site.handwritten_markdown(page, "index.md", "es")
    plain = site.handwritten_markdown("# Title\n\nText.", "privacidad.en.md", "en")
    assert plain.index(notice) < plain.index("Text.") and "amparo-compact" not in plain


def test_a_translated_page_without_its_record_fails_the_check(project):
    page = project / "docs/privacidad.en.md"
    page.write_text(re.sub(r"\A---\n.*?\n---\n", "", page.read_text(encoding="utf-8"), flags=re.DOTALL), encoding="utf-8")
    problems = [str(p) for p in check(read_project(project / "mkdocs.yml"))]
    assert any(p.startswith("docs/privacidad.en.md:1: translation.source is missing") for p in problems), problems


@pytest.mark.whole_site   # MkDocs over the whole site
def test_a_broken_link_in_a_translated_page_fails_the_build(project):
    page = project / "docs/seguridad.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the quiz](cuestionario/index.md#no-such-section).\n",
                    encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "out")],
                            cwd=project, capture_output=True, text=True)
    assert result.returncode != 0
    assert "seguridad.en.md" in result.stderr and "no-such-section" in result.stderr, result.stderr[-2000:]


def _catalog_problems(project: Path) -> list[str]:
    from amparo.i18n.catalogs import stale_catalogs

    info = read_project(project / "mkdocs.yml")
    content = load_content(info.content_dir, info.sources_dir)
    return [str(p) for p in stale_catalogs(list(content.texts()), info.content_dir, info.translated_languages)]


@pytest.mark.parametrize("name", ["amparo.pot", "fr.po"])
def test_a_catalog_written_by_another_babel_version_is_not_out_of_date(project, name):
    path = project / "procedures/locale" / name
    text = path.read_text(encoding="utf-8")
    rewritten = re.sub(r'"Generated-By: Babel [^"\\]*\\n"', r'"Generated-By: Babel 99.1.0\\n"', text)
    rewritten = re.sub(r'"POT-Creation-Date: [^"\\]*\\n"', r'"POT-Creation-Date: 2031-07-04 12:00+0000\\n"', rewritten)
    rewritten = rewritten.replace("# FIRST AUTHOR <EMAIL@ADDRESS>", "# Somebody else's tool wrote this line")
    assert rewritten != text and "Babel 99.1.0" in rewritten
    path.write_text(rewritten, encoding="utf-8")
    assert _catalog_problems(project) == []


def test_a_changed_message_in_the_template_fails_with_its_line(project):
    path = project / "procedures/locale/amparo.pot"
    text = path.read_text(encoding="utf-8")
    match = re.search(rf'(?m)^msgctxt "{re.escape(SUMMARY)}"\nmsgid "', text)
    msgid_line = text[: match.end()].count("\n") + 1
    path.write_text(text[: match.end()] + "Cambiado: " + text[match.end():], encoding="utf-8")
    problems = _catalog_problems(project)
    assert problems, "a changed msgid must make the template out of date"
    assert any(p.startswith(f"procedures/locale/amparo.pot:{msgid_line}: {SUMMARY} ") for p in problems), problems


def test_a_changed_reference_in_the_template_fails(project):
    path = project / "procedures/locale/amparo.pot"
    text = path.read_text(encoding="utf-8")
    changed = re.sub(rf'(?m)^#: (\S+):(\d+)\n(msgctxt "{re.escape(SUMMARY)}")', r"#: \1:9999\n\3", text)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    problems = _catalog_problems(project)
    assert any("amparo.pot" in p and SUMMARY in p and "reference" in p for p in problems), problems
