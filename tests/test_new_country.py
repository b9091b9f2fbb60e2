"""The proof that an organisation can adopt the generator: in a copy of the project, a third
country with one permit is added with content files only, as CONTRIBUTING.md's "Adding a country"
says (its official text, its entry in sources.yml, the country, a shared actor, the guide, the
quiz's rules, the menu, one translation), the check passes, the site builds, and its quiz leads a
reader there to her result. Every file written is a content file: if the country needed a change
of code, this test could not pass.

The country, Valdoria, and its "official text" are invented for this test: the text says so in its
first line, and the code XV is one ISO 3166 leaves free for private use, never a real country's.
"""

from __future__ import annotations

import hashlib
import re
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from amparo.cli import main
from amparo.i18n.catalogs import catalog_bytes, read_catalog
from amparo.render.quiz_pages import QuizRenderer
from quiz import evaluate
from tests.conftest import copy_project

# What an editor may write: content, pages and settings, never code.
CONTENT_PATHS = ("procedures/", "docs/", "mkdocs.yml")

SOURCE_FILE = "900_valdoria-fictif.txt"
SOURCE_TEXT = """\
TEXTE D'ESSAI FICTIF : CE N'EST PAS UNE NORME RÉELLE.
République de Valdoria, pays inventé pour les essais du générateur Amparo.
Office de protection de Valdoria. Fiche d'essai n° 1.

Permis de protection des victimes de la traite

Les personnes étrangères victimes de la traite des êtres humains qui se trouvent à Valdoria
peuvent obtenir un permis de protection.
La demande est déposée par la personne elle-même auprès de l'Office de protection de Valdoria.
La procédure est gratuite.
"""

SOURCE_ENTRY = f"""\
  - id: xv-hoja-prueba
    file: {SOURCE_FILE}
    title: Hoja de prueba de Valdoria (un texto ficticio para las pruebas, no una norma real)
    publisher: Oficina de Protección de Valdoria (ficticia)
    language: fr
    last_updated: 2026-01

"""

COUNTRY = """\
  - code: XV
    name: Valdoria
    in_country: en Valdoria
    quiz_answer: valdoria
    quiz_label: En Valdoria
"""

ACTOR = """\
  # --- Valdoria (a fictitious country, for the tests) ---
  - id: oficina-proteccion-valdoria
    name: La Oficina de Protección de Valdoria
    official_name: Office de protection de Valdoria

"""

GUIDE_ID = "valdoria-proteccion"
GUIDE = """\
# yaml-language-server: $schema=../schema/content.schema.json
# A FICTITIOUS country and permit, for tests/test_new_country.py only.
kind: procedure
id: valdoria-proteccion
country: XV
situations: [trata]
source: xv-hoja-prueba
title: "Valdoria (país ficticio): permiso de protección para víctimas de trata"
official_name: Permis de protection des victimes de la traite
summary: >-
  Este permiso de Valdoria es para personas extranjeras víctimas de trata. Lo pides tú, en la
  Oficina de Protección de Valdoria. Es gratuito.
who_for:
  - Personas extranjeras víctimas de trata que están en Valdoria.
who_files: Tú, en la Oficina de Protección de Valdoria.
steps:
  - id: presentar-solicitud
    actor: oficina-proteccion-valdoria
    text: La Oficina de Protección de Valdoria recibe tu solicitud. La presentas tú.
    passages:
      - quote: >-
          La demande est déposée par la personne elle-même auprès de l'Office de protection de Valdoria.
fee:
  id: gratuito
  free: true
  passages:
    - quote: La procédure est gratuite.
passages:
  - quote: >-
      Les personnes étrangères victimes de la traite des êtres humains qui se trouvent à Valdoria
      peuvent obtenir un permis de protection.
"""

CRITERION = """\
  - id: en-valdoria
    country: XV
    text_met: Estás en Valdoria.
    text_unmet: No estás en Valdoria, y este permiso es para quien está en Valdoria.
    text_unknown: Es un permiso para quien está en Valdoria.
    passages:
      - source: xv-hoja-prueba
        quote: qui se trouvent à Valdoria

"""

TRAFFICKING_PASSAGE = """\
      - source: xv-hoja-prueba
        quote: victimes de la traite des êtres humains
"""

RULES = """\

  - id: valdoria-proteccion
    criteria: [en-valdoria, victima-trata]
    first_step: Pide el permiso en la Oficina de Protección de Valdoria.
    passages:
      - source: xv-hoja-prueba
        quote: auprès de l'Office de protection de Valdoria
"""

# The one translation: English, which mkdocs.yml publishes as complete. The other languages show
# the new texts in Spanish until a translator comes (a partial language is allowed).
ENGLISH = {
    "Valdoria": "Valdoria",
    "en Valdoria": "in Valdoria",
    "En Valdoria": "In Valdoria",
    "Hoja de prueba de Valdoria (un texto ficticio para las pruebas, no una norma real)":
        "Valdoria test sheet (a fictitious text for the tests, not a real rule)",
    "Oficina de Protección de Valdoria (ficticia)": "Valdoria Protection Office (fictitious)",
    "La Oficina de Protección de Valdoria": "The Valdoria Protection Office",
    "Office de protection de Valdoria": "Office de protection de Valdoria",
    "Valdoria (país ficticio): permiso de protección para víctimas de trata":
        "Valdoria (a fictitious country): protection permit for victims of trafficking",
    "Permis de protection des victimes de la traite": "Permis de protection des victimes de la traite",
    "Este permiso de Valdoria es para personas extranjeras víctimas de trata. Lo pides tú, en la Oficina de "
    "Protección de Valdoria. Es gratuito.":
        "This Valdoria permit is for foreign victims of trafficking. You ask for it yourself, at the Valdoria "
        "Protection Office. It is free.",
    "Personas extranjeras víctimas de trata que están en Valdoria.": "Foreign victims of trafficking who are in Valdoria.",
    "Tú, en la Oficina de Protección de Valdoria.": "You, at the Valdoria Protection Office.",
    "La Oficina de Protección de Valdoria recibe tu solicitud. La presentas tú.":
        "The Valdoria Protection Office receives your application. You file it yourself.",
    "Estás en Valdoria.": "You are in Valdoria.",
    "No estás en Valdoria, y este permiso es para quien está en Valdoria.":
        "You are not in Valdoria, and this permit is for people who are in Valdoria.",
    "Es un permiso para quien está en Valdoria.": "It is a permit for people who are in Valdoria.",
    "Pide el permiso en la Oficina de Protección de Valdoria.": "Ask for the permit at the Valdoria Protection Office.",
}


class Editor:
    """Edits the project copy as an editor would, and remembers every file written."""

    def __init__(self, root: Path):
        self.root = root
        self.written: set[str] = set()

    def write(self, relative: str, text: str) -> None:
        (self.root / relative).write_text(text, encoding="utf-8")
        self.written.add(relative)

    def append_to(self, relative: str, key: str, text: str) -> None:
        """Put `text` at the end of the top-level list `key:` of a YAML file, wherever the file puts
        that list (an editor adds to the list, not after a neighbour that may move)."""
        current = (self.root / relative).read_text(encoding="utf-8")
        start = current.index(f"\n{key}:\n") + len(key) + 3
        at = next((start + match.start() for match in re.finditer(r"^[^\s#]", current[start:], flags=re.M)), len(current))
        # Before the comments that introduce the next list, which belong to it.
        while current.rfind("\n#", 0, at - 1) == current.rfind("\n", 0, at - 1) and current.rfind("\n", 0, at - 1) > start:
            at = current.rfind("\n", 0, at - 1) + 1
        self.write(relative, current[:at] + text.strip("\n") + "\n\n" + current[at:])

    def insert(self, relative: str, before: str, text: str) -> None:
        """Put `text` right before the first `before` of the file (at its end with before="")."""
        current = (self.root / relative).read_text(encoding="utf-8")
        at = current.index(before) if before else len(current)
        self.write(relative, current[:at] + text + current[at:])


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the project copy (but the build's cache) → its digest."""
    found = {}
    for path in root.rglob("*"):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not path.is_symlink() and not relative.startswith((".cache/", "node_modules/")):
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def add_valdoria(editor: Editor) -> None:
    """CONTRIBUTING.md's "Adding a country", step by step, with content files only."""
    root = editor.root
    # 1. The official text, and its entry (with its SHA-256, as `sha256sum` prints it) in sources.yml.
    editor.write(f"procedures/sources/{SOURCE_FILE}", SOURCE_TEXT)
    editor.insert("procedures/sources.yml", "\n# Each file's SHA-256", "\n" + SOURCE_ENTRY.rstrip("\n") + "\n")
    digest = hashlib.sha256((root / "procedures/sources" / SOURCE_FILE).read_bytes()).hexdigest()
    editor.insert("procedures/sources.yml", "", f"  {SOURCE_FILE}: {digest}\n")
    # 2. The country, with its words.
    editor.insert("procedures/countries.yml", "\nsituations:", COUNTRY)
    # 3. Who acts, in shared.yml; 4. the guide.
    editor.insert("procedures/shared.yml", "\nsteps:", "\n" + ACTOR.rstrip("\n") + "\n")
    editor.write(f"procedures/guides/{GUIDE_ID}.yml", GUIDE)
    # 5. The quiz: the permit's country criterion, a passage of its source for a criterion it shares,
    #    and its rules. The country question offers Valdoria by itself.
    editor.append_to("procedures/quiz.yml", "criteria", CRITERION)
    quiz = (root / "procedures/quiz.yml").read_text(encoding="utf-8")
    shared = quiz.index("    passages:\n", quiz.index("  - id: victima-trata\n")) + len("    passages:\n")
    editor.write("procedures/quiz.yml", quiz[:shared] + TRAFFICKING_PASSAGE + quiz[shared:])
    editor.append_to("procedures/quiz.yml", "procedures", RULES)
    # 6. The page in the menu.
    editor.insert("mkdocs.yml", "      - guias/comparar.md", f"      - guias/{GUIDE_ID}.md\n")


def amparo(root: Path, *args: str) -> None:
    assert main(["--config-file", str(root / "mkdocs.yml"), *args]) == 0, args


def translate_into_english(editor: Editor) -> int:
    """What a translator does in procedures/locale/en.po (with Poedit, say): each new text."""
    path = editor.root / "procedures/locale/en.po"
    catalog = read_catalog(path, "en")
    translated = 0
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            message.string = ENGLISH[message.id]
            message.flags.discard("fuzzy")
            translated += 1
    path.write_bytes(catalog_bytes(catalog))
    editor.written.add("procedures/locale/en.po")
    return translated


def walk_the_table(site: Path, language: str, answers: list[str]) -> str:
    """The screen the live quiz shows after these answers, from the built state table alone."""
    table = json.loads((site / f"assets/quiz/table.{language}.json").read_text(encoding="utf-8"))
    state = 0
    for value in answers:
        state = table["states"][state][1][value]
    return QuizRenderer.screen_html(table, table["states"][state][0])


@pytest.mark.whole_site   # it builds the whole site with MkDocs
def test_a_new_country_with_one_permit_needs_content_files_only(tmp_path, capsys):
    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project")
    before = snapshot(root)
    editor = Editor(root)

    add_valdoria(editor)
    # The commands CONTRIBUTING.md names: the catalogs, and the quiz's paths for review. They write content.
    amparo(root, "translations", "update")
    amparo(root, "quiz", "paths")
    assert translate_into_english(editor) == len(ENGLISH)
    amparo(root, "check")
    assert "Content OK" in capsys.readouterr().out

    # Only content was written: no code, template or theme file had to change.
    after = snapshot(root)
    changed = {path for path in after if before.get(path) != after[path]} | (set(before) - set(after))
    assert changed, "nothing was added"
    assert {path for path in changed if not path.startswith(CONTENT_PATHS)} == set()
    assert editor.written <= changed

    # The site builds, as CI builds it (without the leaflets' PDFs, which need Chromium).
    site = tmp_path / "site"
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=root,
                           capture_output=True, text=True, env=dict(os.environ, AMPARO_PDF="off", NO_MKDOCS_2_WARNING="1"))
    assert build.returncode == 0, build.stderr[-3000:]
    page = (site / "guias" / GUIDE_ID / "index.html").read_text(encoding="utf-8")
    assert "Valdoria (país ficticio)" in page and "Gratuito: la fuente dice que no se paga." in page
    assert 'content="Guía privada' in page and "en España, en Chile y en Valdoria" in page   # site_description
    comparison = (site / "guias/comparar/index.html").read_text(encoding="utf-8")
    assert "Valdoria" in comparison and "Gratuito: la fuente dice que no se paga." in comparison
    assert "Valdoria (a fictitious country)" in (site / "en/guias" / GUIDE_ID / "index.html").read_text(encoding="utf-8")

    # A reader in Valdoria: the engine (in CPython, on the flow the site ships) and the live quiz's
    # state table agree that the new permit may be for her, and no other.
    flow = json.loads((site / "assets/quiz/runtime/flow.es.json").read_text(encoding="utf-8"))
    country = flow["questions"][0]
    assert ("valdoria", "En Valdoria") in [(o["value"], o["label"]) for o in country["options"]]
    assert "en España, en Chile y en Valdoria" in country["help"]
    asked = evaluate(flow, {"pais": "valdoria"}, "2026-06-30")
    assert asked["next"]["id"] == "explotacion"
    result = evaluate(flow, {"pais": "valdoria", "explotacion": "si"}, "2026-06-30")
    assert result["done"]
    statuses = {outcome["procedure"]: outcome["status"] for outcome in result["outcomes"]}
    assert statuses.pop(GUIDE_ID) == "likely"
    assert set(statuses.values()) == {"not_applicable"}   # every other permit, made from the list

    screen = walk_the_table(site, "es", ["valdoria", "si"])
    assert f'amparo-outcome--likely" data-procedure="{GUIDE_ID}"' in screen
    assert "Pide el permiso en la Oficina de Protección de Valdoria." in screen
    assert screen.count("amparo-outcome--not_applicable") == len(statuses)
    english = walk_the_table(site, "en", ["valdoria", "si"])
    assert "Ask for the permit at the Valdoria Protection Office." in english
    # French was not translated: the new permit shows in Spanish, marked as Spanish.
    french = walk_the_table(site, "fr", ["valdoria", "si"])
    assert '<span lang="es" dir="ltr">Valdoria (país ficticio): permiso de protección para víctimas de trata</span>' in french
