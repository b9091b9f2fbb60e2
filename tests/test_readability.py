"""Plain language you can measure: INFLESZ (Szigriszt-Pazos) of the Spanish reader text of every
page and of the quiz, and the sentences over 25 words, official names and quotes left out."""

from __future__ import annotations

import pytest

from amparo.review import readability
from amparo.cli import main, read_project
from amparo.content.loader import load_content
from amparo.content.models import Text
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scores():
    project = read_project(REPO / "mkdocs.yml")
    return readability.report(load_content(project.content_dir, project.sources_dir), project.docs_dir)


def test_the_report_covers_every_guide_the_hand_written_pages_and_the_quiz(scores):
    pages = {page.page: page for page in scores}
    for guide in ("espana-victimas-trata", "espana-colaboracion-redes", "chile-victimas-trata", "chile-victimas-trafico"):
        assert pages[f"guias/{guide}/"].kind == "guide"
    assert {"/", "seguridad/", "privacidad/", "guias/glosario/", "cuestionario/"} <= set(pages)
    assert all(page.words > 50 and page.inflesz is not None for page in scores)


def test_every_guide_reads_at_least_bastante_facil(scores):
    low = {page.page: page.inflesz for page in scores if page.kind == "guide" and not page.meets_target}
    assert not low, f"INFLESZ below {readability.TARGET}: {low}"


def test_no_sentence_of_a_guide_or_the_quiz_is_over_25_words(scores):
    # The target for the reader's texts; hand-written pages get the warning only (amparo check).
    long = [f"{s.where()}: {s.words} words: {s.text}" for page in scores if page.kind in ("guide", "quiz")
            for s in page.long_sentences]
    assert not long, "\n".join(long)


def _text(value: str, line: int = 7) -> Text:
    text = Text(value)
    text.origin = ("procedures/guides/x.yml", line)
    return text


def test_a_long_sentence_is_reported_with_its_file_and_line():
    long = " ".join(["Palabra"] + ["palabra"] * 25) + "."
    page = readability.score("guias/x/", "guide", [_text("Una frase corta. " + long, 12)])
    assert [(s.origin, s.words) for s in page.long_sentences] == [(("procedures/guides/x.yml", 12), 26)]
    assert readability.warnings([page])[-1].startswith("Readability: procedures/guides/x.yml:12: a sentence of 26 words")


def test_quotes_addresses_and_official_names_are_not_scored():
    quoted = "La hoja dice: «" + " ".join(["palabra"] * 40) + "». Nada más."
    assert readability.score("p", "guide", [_text(quoted)]).long_sentences == []
    assert readability.reader_text("Mira https://example.org/a/b aquí.") == "Mira aquí."
    project = read_project(REPO / "mkdocs.yml")
    content = load_content(project.content_dir, project.sources_dir)
    guide = next(g for g in content.guides if g.id == "espana-victimas-trata")
    texts = [str(text) for text in readability.model_texts(guide)]
    assert str(guide.summary) in texts
    assert str(guide.official_name) not in texts
    assert not any(str(law.law) in texts for law in guide.legal_basis)


def test_the_index_rewards_short_sentences_in_common_words():
    plain = readability.inflesz("Tú decides. La policía propone el periodo si estás de acuerdo.")
    legal = readability.inflesz("La unidad policial elevará, previa conformidad de la víctima, propuesta sobre la "
                                "concesión del periodo de restablecimiento y reflexión a la Delegación correspondiente.")
    assert plain > readability.TARGET > legal


def test_check_warns_about_readability_but_does_not_fail(project, capsys):
    guide = project / "procedures/guides/chile-victimas-trafico.yml"
    text = guide.read_text(encoding="utf-8")
    old = "  - Personas extranjeras víctimas del delito de tráfico de migrantes.\n"
    assert old in text
    long = " ".join(["personas"] * 30)
    guide.write_text(text.replace(old, f"  - Personas extranjeras víctimas del delito de tráfico de migrantes, {long}.\n"),
                     encoding="utf-8")
    config = project / "mkdocs.yml"
    # English is published as complete: its missing translation of the new text would fail first.
    config.write_text(config.read_text(encoding="utf-8").replace("complete_languages: [en]", "complete_languages: []"),
                      encoding="utf-8")
    main(["--config-file", str(config), "translations", "update"])
    assert main(["--config-file", str(config), "check"]) == 0
    err = capsys.readouterr().err
    line = next(n for n, l in enumerate(guide.read_text(encoding="utf-8").splitlines(), 1) if "personas personas" in l)
    assert f"Warning: Readability: procedures/guides/chile-victimas-trafico.yml:{line}: a sentence of" in err


def _result_texts(html: str) -> list[Text]:
    """The words of a rendered result, one text per paragraph, item, heading or summary; every
    disclosure opened (print shows them all), links' words kept."""
    import re
    from html import unescape
    blocks = re.split(r"<(?:/?(?:p|li|h[1-6]|summary|ul|ol|details|section|br)\b)[^>]*>", html)
    return [Text(" ".join(unescape(re.sub(r"<[^>]+>", "", block)).split())) for block in blocks if block.strip()]


@pytest.fixture(scope="module")
def spanish_results():
    from amparo.render.quiz_pages import QuizRenderer, QuizWalk
    from amparo.publish.generated_pages import localized_flow
    flow = localized_flow(read_project(REPO / "mkdocs.yml"), "es")
    renderer = QuizRenderer(QuizWalk.of(flow), flow)
    return {key: renderer.static_result(result, "r0") for key, result in renderer.results.items() if result["done"]}


def test_the_whole_of_every_spanish_result_reads_at_least_bastante_facil(spanish_results):
    # Each distinct result the quiz can show, everything in it (its disclosures too), as a reader reads it.
    assert len(spanish_results) > 50
    low = {}
    for key, html in spanish_results.items():
        page = readability.score(key, "quiz", [text for text in _result_texts(html) if str(text)])
        assert page.words > 100, key
        if page.inflesz is None or page.inflesz < readability.TARGET:
            low[key] = page.inflesz
    assert not low, f"INFLESZ below {readability.TARGET}: {low}"


def test_the_result_scoring_reads_every_disclosure_and_can_fail():
    html = ('<section><h3>Título</h3><details><summary>Por qué</summary><ul><li>Tú decides.</li></ul></details>'
            '<p>La unidad policial elevará, previa conformidad de la víctima, propuesta sobre la concesión del periodo '
            'de restablecimiento y reflexión a la Delegación correspondiente.</p></section>')
    texts = [str(text) for text in _result_texts(html)]
    assert texts[:3] == ["Título", "Por qué", "Tú decides."]
    assert readability.score("r", "quiz", _result_texts(html)).inflesz < readability.TARGET
