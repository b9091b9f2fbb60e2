"""`amparo changes BASE` says, in words, exactly what a change does for readers.

Each test commits a copy of the project to a fresh git repository, changes one thing in the
working tree the way an editor would, and reads the report a reviewer would read.
"""

import dataclasses
import hashlib
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from amparo.review.changes import read_version, report
from amparo.cli import main
from amparo.project import read_project
from amparo.render.quiz_flow import build_flow
from amparo.content.loader import load_content, load_quiz
from amparo.render.markdown_pages import month_year
from quiz.enumerate import enumerate_paths

GUIDE = "procedures/guides/espana-victimas-trata.yml"
QUIZ = "procedures/quiz.yml"
SHEET_38 = "procedures/sources/002_ea76eaa9a272f44a.txt"
TRATA = "España: permiso para víctimas de trata de seres humanos (`espana-victimas-trata`)"


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                            cwd=root, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def repo(project):
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "mkdocs.yml", "procedures", "docs")
    git(project, "commit", "-q", "-m", "content as it was")
    return project


def project_at(repo: Path):
    # A fixed day, so that which sources are past their age limit does not depend on the calendar.
    return dataclasses.replace(read_project(repo / "mkdocs.yml"), today=date(2026, 12, 1))


def changes(repo: Path, base: str = "main") -> str:
    return report(project_at(repo), base)


def edit(repo: Path, file: str, old: str, new: str) -> None:
    path = repo / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_source(repo: Path, file: str, old: str, new: str) -> None:
    """Change an official text the way an editor does: the text, and its SHA-256 in sources.yml."""
    edit(repo, file, old, new)
    name = Path(file).name
    recorded = repo / "procedures/sources.yml"
    lines = recorded.read_text(encoding="utf-8").splitlines(keepends=True)
    digest = hashlib.sha256((repo / file).read_bytes()).hexdigest()
    lines = [f"  {name}: {digest}\n" if line.strip().startswith(f"{name}:") else line for line in lines]
    recorded.write_text("".join(lines), encoding="utf-8")


def waiting_translations(repo: Path) -> dict[str, tuple[int, int]]:
    """Each language's outdated and missing texts before the test's change: an editor's branch may
    leave some in a language that is not complete (CONTRIBUTING.md, "Translating"), and the
    report's "now" columns count them too."""
    project = project_at(repo)
    version = read_version("main", project.content_dir, project.sources_dir, project.translated_languages, earlier=False)
    return {language: (len(status.outdated), len(status.missing)) for language, status in version.translations.items()}


def headings(text: str, level: str = "## ") -> list[str]:
    return [line[len(level):] for line in text.splitlines() if line.startswith(level)]


def test_no_change_is_one_line(repo):
    assert changes(repo) == "Ningún cambio para los lectores respecto a `main` / No change for readers compared with `main`.\n"


def test_a_changed_text_is_shown_old_and_new_with_its_source(repo):
    waiting = waiting_translations(repo)
    edit(repo, GUIDE, "      menos 90 días.\n", "      menos 90 días naturales.\n")
    text = changes(repo)
    assert headings(text) == ["Guías / Guides", "Traducciones / Translations", "Fuentes / Sources"]
    assert headings(text, "### ") == [TRATA]
    line = next(n for n, l in enumerate((repo / GUIDE).read_text(encoding="utf-8").splitlines(), 1)
                if l.strip().startswith("- id: concesion-periodo-reflexion")) + 2
    assert (f"- **Cambiado / Changed** — **Pasos** · `steps.concesion-periodo-reflexion.text` ({GUIDE}:{line})\n"
            "  - Antes / Before: «Si te dan el periodo de restablecimiento y reflexión, la resolución dice "
            "cuánto dura. Dura al menos 90 días.»\n"
            "  - Ahora / Now: «Si te dan el periodo de restablecimiento y reflexión, la resolución dice "
            "cuánto dura. Dura al menos 90 días naturales.»\n"
            "  - Fuente / Source: Hoja informativa 38. Autorización de residencia temporal y trabajo por circunstancias "
            "excepcionales de personas extranjeras víctimas de trata de seres humanos: «En el supuesto de concesión del "
            "periodo de restablecimiento y reflexión, en la resolución se incluirá la duración del periodo, que será de "
            "al menos noventa días,") in text
    assert text.count("**Cambiado / Changed**") == 1 and "**Añadido" not in text and "**Quitado" not in text
    # The catalogs were not updated: the new Spanish has no translation in any language yet.
    project = project_at(repo)
    for language in project.translated_languages:
        outdated, missing = waiting[language]
        assert re.search(rf"\| [^|]+ \(`{language}`\) \| 0 \| 1 \| 0 \| {outdated} \| {missing + 1} \|", text), language
    assert ", ".join(f"`{language}`" for language in project.translated_languages) + " — faltan / became missing: " \
           "`espana-victimas-trata.steps.concesion-periodo-reflexion.text`\n" in text
    # The sources did not change; those past their age limit are listed, which a reviewer should know.
    content = load_content(project.content_dir, project.sources_dir)
    stale = project.settings().stale_sources(content)
    assert stale, "the test needs a source past its age limit on the fixed day"
    sources = text.split("## Fuentes / Sources\n")[1].strip().splitlines()
    assert [line.split(" (")[0] for line in sources] == [f"- `{source}`" for source in stale]
    first, age = next(iter(stale.items()))
    assert sources[0].endswith(f"pasa del límite de {project.max_source_age_months} meses / is past its "
                               f"{project.max_source_age_months}-month age limit: última actualización / last updated "
                               f"{month_year(content.sources[first].last_updated, 'es')}, hace {age} meses / {age} months ago")
    # Nothing else changed: the quiz, deadlines and passages are not mentioned.
    assert "Cuestionario" not in text and "Plazos" not in text and "Textos cuyo pasaje" not in text


def test_added_and_removed_texts(repo):
    edit(repo, GUIDE, "      - La resolución suspende el procedimiento sancionador.\n", "")
    edit(repo, GUIDE, "    who:\n      - >-\n        Tus hijos e hijas menores de edad «tutelados»",
         "    who:\n      - Un texto nuevo.\n      - >-\n        Tus hijos e hijas menores de edad «tutelados»")
    text = changes(repo)
    assert "- **Quitado / Removed** — **Pasos** · `steps.concesion-periodo-reflexion.details.0`: " \
           "«La resolución suspende el procedimiento sancionador.»" in text
    assert re.search(r"- \*\*Añadido / Added\*\* — \*\*Tu familia\*\* · `family\.in_country\.who\.\d` "
                     rf"\({re.escape(GUIDE)}:\d+\): «Un texto nuevo\.»", text), text


def quiz_situations(repo: Path, countries: tuple[str, ...]) -> int:
    flow = build_flow(load_quiz(repo / QUIZ))
    return sum(1 for path in enumerate_paths(flow)
               if path["answers"].get("nacionalidad") == "si" and path["answers"]["pais"] in countries)


def test_a_quiz_rule_that_changes_results_reads_as_the_readers_answers(repo):
    # Nationals of the country were ruled out; now the criterion only stays open for them.
    edit(repo, QUIZ, '    unmet: [si]\n    text_met: Eres una persona extranjera en el país.\n'
                     '    text_unmet: Tienes la nacionalidad del país, y este permiso es para personas extranjeras.\n',
         '    text_met: Eres una persona extranjera en el país.\n')
    text = changes(repo)
    assert headings(text) == ["Cuestionario: resultados / Quiz results", "Cuestionario: textos / Quiz texts",
                              "Fuentes / Sources"]
    assert headings(text, "### ")[:4] == [
        f"{TRATA}: **No parece para ti** → **Posible, si…**",
        "España: permiso por colaborar con las autoridades contra redes organizadas (`espana-colaboracion-redes`): "
        "**No parece para ti** → **Posible, si…**",
        "Chile: permiso para víctimas de trata de personas (`chile-victimas-trata`): **No parece para ti** → **Posible, si…**",
        "Chile: permiso para víctimas de tráfico de migrantes (`chile-victimas-trafico`): **No parece para ti** → **Posible, si…**",
    ]
    # Their results now also say what the sources do not say (a note of every result where a permit may apply).
    assert set(headings(text, "### ")[4:]) == {"Resultado / Result: Notas del resultado / Result notes"}
    assert "Ahora / Now: «Las fuentes no dicen nada especial para las víctimas menores de edad.»" in text
    spain = text.split(f"### {TRATA}")[1].split("###")[0]
    count = quiz_situations(repo, ("espana",))
    assert count > 20
    # Many situations, one rule: in Spain; a national of it; anything else. (With the country
    # unknown, the nationality is not asked: it never ruled anything out there.)
    assert f"{count} situaciones / situations, en 1 regla(s) / in 1 rule(s)" in spain
    nationality = "«¿Tienes la nacionalidad del país donde estás?» Sí"
    rules = [line for line in spain.splitlines() if line.startswith("- ")]
    assert rules == [f"- En España · {nationality}"]
    assert "Lo que falta, ahora / now: «Es un permiso para personas extranjeras, sin la nacionalidad del país.»" in spain
    chile = text.split("(`chile-victimas-trata`)")[1].split("###")[0]
    assert f"{quiz_situations(repo, ('chile',))} situaciones" in chile
    assert f"- En Chile · {nationality}" in chile
    assert "- **Quitado / Removed** — `criteria.extranjera.text_unmet`: «Tienes la nacionalidad del país, y este " \
           "permiso es para personas extranjeras.»" in text


def test_a_deadline_whose_length_changed(repo):
    # The length is written once, in shared.yml: the quiz's deadline counts that fact.
    edit(repo, "procedures/shared.yml", "      amount: 10\n", "      amount: 15\n")
    text = changes(repo)
    assert "Cuestionario / Quiz `tasa`" not in text
    assert "- `espana-victimas-trata` · `fee.tasa-790-052`: «como máximo 10 días hábiles» → «como máximo 15 días hábiles»" in text
    assert "- `espana-colaboracion-redes` · `fee.tasa-790-052`" in text


def test_a_translation_made_fuzzy(repo):
    outdated, missing = waiting_translations(repo)["fr"]
    edit(repo, "procedures/locale/fr.po", 'msgctxt "espana-victimas-trata.title"',
         '#, fuzzy\nmsgctxt "espana-victimas-trata.title"')
    text = changes(repo)
    assert headings(text) == ["Traducciones / Translations", "Fuentes / Sources"]
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == 1 and re.match(rf"\| Français \(`fr`\) \| 1 \| 0 \| 0 \| {outdated + 1} \| {missing} \| \d+/\d+ \|$",
                                       rows[0]), rows
    assert "- `fr` — desactualizadas / became outdated: `espana-victimas-trata.title`" in text


def test_a_source_change_that_removes_a_quoted_passage(repo):
    edit_source(repo, SHEET_38, "en el plazo máximo de cuarenta y ocho\n    horas", "en el plazo máximo de setenta y dos\n    horas")
    text = changes(repo)
    assert headings(text) == ["Fuentes / Sources", "Textos cuyo pasaje ya no está en su fuente / Texts whose passage is no "
                              "longer in its source"]
    assert "- `es-hoja-38` (Hoja informativa 38." in text and "el texto cambió / the text changed (2 líneas / lines)" in text
    assert "  -    Delegado o Subdelegado del Gobierno), en el plazo máximo de cuarenta y ocho\n" \
           "  +    Delegado o Subdelegado del Gobierno), en el plazo máximo de setenta y dos\n" in text
    lost = text.split("Texts whose passage is no longer in its source")[1]
    items = [line for line in lost.splitlines() if line.startswith("- ")]
    assert len(items) == 4, items
    assert "`espana-victimas-trata.steps.propuesta-periodo-reflexion`: «La unidad policial" in items[0]
    assert any("`quiz.deadlines.propuesta-policia`" in item for item in items), items
    # The identified reader's next step quotes the same words of the sheet.
    assert any("`quiz.first_steps.pedir-propuesta`" in item for item in items), items
    items = [item for item in items if "quiz." not in item]
    assert re.fullmatch(rf"- {re.escape(GUIDE)}:\d+ `espana-victimas-trata\.steps\.propuesta-periodo-reflexion\.time_limit`: "
                        "«en el plazo máximo de cuarenta y ocho horas» ya no está en `es-hoja-38` / is no longer in it", items[1])
    assert "  - Texto / Text: «La policía que te identificó como víctima de trata propone" in lost


def test_command_writes_the_report_and_refuses_an_unknown_revision(repo, capsys):
    output = repo / "report.md"
    assert main(["--config-file", str(repo / "mkdocs.yml"), "changes", "main", "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8").startswith("Ningún cambio")
    assert main(["--config-file", str(repo / "mkdocs.yml"), "changes", "no-such-branch"]) == 1
    assert "'no-such-branch' is not a commit" in capsys.readouterr().err


def test_comparing_two_revisions(repo):
    edit(repo, GUIDE, "      menos 90 días.\n", "      menos 90 días naturales.\n")
    git(repo, "commit", "-q", "-am", "a text changed")
    edit(repo, GUIDE, "      menos 90 días naturales.\n", "      Otro texto.\n")   # not committed
    text = report(project_at(repo), "main~1", "main")
    assert "Ahora / Now: «Si te dan el periodo de restablecimiento y reflexión, la resolución dice cuánto dura. " \
           "Dura al menos 90 días naturales.»" in text
    assert "Otro texto" not in text


def test_content_that_cannot_be_read_stops_the_report_with_file_and_line(repo, capsys):
    edit(repo, GUIDE, "\nsummary:", "\nsumary:")
    assert main(["--config-file", str(repo / "mkdocs.yml"), "changes", "main"]) == 1
    error = capsys.readouterr().err
    assert "the content of the working tree cannot be read" in error
    assert re.search(rf"{re.escape(GUIDE)}:\d+: sumary is not a known field", error), error


def test_a_hand_written_page_changed_and_its_translations_outdated(repo):
    edit(repo, "docs/seguridad.md", "\n\n", "\n\nUna frase nueva.\n\n")
    text = changes(repo)
    assert headings(text) == ["Páginas escritas a mano / Hand-written pages", "Traducciones / Translations",
                              "Fuentes / Sources"]
    assert "- **Cambiada / Changed** `docs/seguridad.md` (2 líneas / lines)" in text
    assert "  +Una frase nueva." in text
    for language in ("en", "fr", "pt", "ar", "ro", "zh", "ht"):
        assert f"- `{language}` · `docs/seguridad.md`: traducida / translated → desactualizada / outdated" in text


def test_a_passage_given_as_lines_shows_what_its_lines_now_say(project):
    edit(project, QUIZ, "      - source: cl-sermig\n        quote: >-\n          Residence for victims of smuggling or human trafficking\n",
         '      - source: cl-sermig\n        lines: "1"\n')
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "mkdocs.yml", "procedures")
    git(project, "commit", "-q", "-m", "a passage by lines")
    edit_source(project, "procedures/sources/000_4da54826252876d4.txt", "Residence for victims of smuggling or human trafficking\n",
         "Residence permits for victims\n")
    text = changes(project)
    lost = text.split("Texts whose passage is no longer in its source")[1]
    assert re.search(r"- procedures/quiz\.yml:\d+ `quiz\.criteria\.residencia-en-chile`: las líneas / lines 1 de `cl-sermig` "
                     r"cambiaron / changed: «Residence for victims of smuggling or human trafficking» → "
                     r"«Residence permits for victims»", lost), lost


def test_a_changed_next_step_reads_as_the_readers_answers_before_and_now(repo):
    # The next step of a stage changes: the report says in which situations, and what they read.
    edit(repo, QUIZ, "      Paga la tasa (modelo 790, código 052) en el plazo de {duration} desde que admitieron a\n"
                     "      trámite tu solicitud.\n",
         "      Paga la tasa (modelo 790, código 052).\n")
    text = changes(repo)
    assert headings(text)[0] == "Cuestionario: resultados / Quiz results"
    assert headings(text, "### ") == [f"{TRATA}: El siguiente paso / Next step",
                                      "España: permiso por colaborar con las autoridades contra redes organizadas "
                                      "(`espana-colaboracion-redes`): El siguiente paso / Next step"]
    spain = text.split(f"### {TRATA}")[1].split("###")[0]
    rules = [line for line in spain.splitlines() if line.startswith("- ")]
    assert len(rules) == 1 and "Presenté la solicitud y me la admitieron a trámite" in rules[0], rules
    assert "Antes / Before: «Paga la tasa (modelo 790, código 052) en el plazo de {duration} desde que admitieron a " \
           "trámite tu solicitud.»" in spain
    assert "Ahora / Now: «Paga la tasa (modelo 790, código 052).»" in spain


# --- translations whose numbers or terms change: a reviewer reads them first -------------------------

READ_FIRST = "Traducciones: números y términos, para leer primero / Translations: numbers and terms, to read first"


def section(text: str, title: str) -> str:
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_a_changed_number_in_a_translation_is_listed_first_with_its_line(repo):
    edit(repo, "procedures/locale/fr.po",
         "Si on vous accorde le délai de rétablissement et de réflexion, la décision dit combien de temps il dure. "
         "Il dure au moins 90 jours.",
         "Si on vous accorde le délai de rétablissement et de réflexion, la décision dit combien de temps il dure. "
         "Il dure au moins 60 jours.")
    text = changes(repo)
    assert headings(text)[0] == READ_FIRST
    listed = section(text, READ_FIRST)
    assert headings(listed, "### ") == ["Français (`fr`)"]
    assert re.search(r"^- `espana-victimas-trata\.steps\.concesion-periodo-reflexion\.text` \(procedures/locale/fr\.po:\d+\): "
                     r"números / numbers 90 → 60$", listed, re.M), listed
    assert "  - Antes / Before: «Si on vous accorde" in listed and "au moins 60 jours.»" in listed


def test_a_term_rendered_with_a_forbidden_form_is_listed(repo):
    edit(repo, "procedures/locale/pt.po", "A polícia só propõe esse período se você concordar.",
         "A polícia só propõe esse período se concordar.")
    listed = section(changes(repo), READ_FIRST)
    assert re.search(r"^- `quiz\.decisions\.conformidad\.text` \(procedures/locale/pt\.po:\d+\): "
                     r"términos / terms \+`consentimiento \(forbidden form\)` −`consentimiento`$", listed, re.M), listed


def test_a_translation_changed_in_wording_only_is_counted_not_listed(repo):
    edit(repo, "procedures/locale/fr.po", "Ce n’est pas vous qui déposez la demande.", "Vous ne déposez pas la demande.")
    edit(repo, "procedures/locale/fr.po", "Il dure au moins 90 jours.", "Il dure au moins 60 jours.")
    listed = section(changes(repo), READ_FIRST)
    assert "1 con números o términos que cambian / with numbers or terms that change. 1 traducción(es) más cambiaron " \
           "solo de palabras / more changed in wording only." in listed
    assert "Vous ne déposez pas" not in listed


def test_a_changed_number_in_a_translated_page_is_listed(repo):
    edit(repo, "docs/seguridad.ro.md", "aproximativ 14 MB", "aproximativ 12 MB")
    listed = section(changes(repo), READ_FIRST)
    assert re.search(r"^- `docs/seguridad\.ro\.md`: números / numbers [\d, ]*14 → [\d, ]*12$", listed, re.M), listed


def test_a_changed_term_base_is_shown_to_the_reviewer(repo):
    edit(repo, "procedures/locale/terms.yml", "ht: {use: [kontrebann migran], avoid: [trafik migran]}",
         "ht: {use: [kontrebann migran], avoid: [trafik migran, trafik imigran]}")
    listed = section(changes(repo), READ_FIRST)
    assert "- **Base de términos / Term base** (`terms.yml`): ~`trafico-de-migrantes`" in listed
    assert "+      ht: {use: [kontrebann migran], avoid: [trafik migran, trafik imigran]}" in listed


def test_a_text_moved_out_of_shared_yml_is_no_change_for_readers(repo):
    # The same words in the same place of the guide, translated the same: only where it is written moved.
    edit(repo, GUIDE, "  includes: {shared: retorno-asistido-comprende}\n",
         "  includes: >-\n    Antes del viaje, ven los riesgos y tu seguridad. Incluye el transporte. Y te ayudan al salir,\n"
         "    en el camino y al llegar.\n")
    for po in (repo / "procedures/locale").glob("*.po"):
        text = po.read_text(encoding="utf-8")
        entry = re.search(r'(?m)^msgctxt "shared\.texts\.retorno-asistido-comprende\.text"\n((?:msgid|msgstr|").*\n)+', text)
        assert entry, po
        moved = entry.group(0).replace("shared.texts.retorno-asistido-comprende.text",
                                       "espana-victimas-trata.assisted_return.includes")
        po.write_text(text + "\n" + moved, encoding="utf-8")
    assert changes(repo) == "Ningún cambio para los lectores respecto a `main` / No change for readers compared with `main`.\n"
