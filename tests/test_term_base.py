"""The term base (procedures/locale/terms.yml) and the number check hold every translation to its
Spanish: the real catalogs and pages pass; every entry of the term base can fail on real text; the
errors found by a bilingual review (issue 20) fail again if they come back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from amparo.cli import main
from amparo.i18n.handwritten_pages import page_fidelity_problems, page_translations
from amparo.i18n.catalogs import Translations, unfaithful
from amparo.content.loader import load_content
from amparo.content.models import SOURCE_LANGUAGE
from amparo.project import read_project
from amparo.i18n.term_base import TermBase, compile_pattern, _applies
from amparo.content.forbidden_characters import fold

REPO = Path(__file__).resolve().parents[1]
PROJECT = read_project(REPO / "mkdocs.yml")
LANGUAGES = PROJECT.translated_languages
TERMS = TermBase.load(PROJECT.content_dir, PROJECT.languages)
CONTENT = load_content(PROJECT.content_dir, PROJECT.sources_dir)
SPANISH = {text.context: str(text) for text in CONTENT.texts()}
CATALOGS = {language: Translations.load(PROJECT.content_dir, language) for language in LANGUAGES}


def translations(language: str) -> dict[str, str]:
    """context → the current translation, for the texts the content has."""
    return {context: text for (context, spanish), text in CATALOGS[language].messages.items()
            if SPANISH.get(context) == spanish}


# --- the real translations -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_entry_keeps_the_numbers_and_terms_of_its_spanish(language):
    found = {context: unfaithful(SPANISH[context], text, language, TERMS, context)
             for context, text in translations(language).items()}
    assert {context: problems for context, problems in found.items() if problems} == {}


def test_every_translated_page_keeps_the_numbers_and_terms_of_its_spanish_page():
    pages = page_translations(PROJECT.docs_dir, set(), PROJECT.languages)
    assert [str(problem) for problem in page_fidelity_problems(PROJECT.docs_dir, pages, TERMS)] == []


def test_every_term_is_in_some_spanish_text():
    assert TERMS.unused(list(SPANISH.values())) == []


def test_every_language_has_its_variant_named():
    assert set(TERMS.file.variants) == set(LANGUAGES)


# --- every entry can fail on real text ------------------------------------------------------------


def _sample(pattern: str) -> str:
    """A word the pattern finds: its * filled in."""
    return pattern.replace("*", "xa")


def _rendered(term, language):
    """Real entries whose Spanish has the term and whose translation has one of its renderings."""
    rendering = term.translations[language]
    for context, text in translations(language).items():
        if not _applies(term, context):
            continue
        if any(compile_pattern(pattern, "es").search(fold(SPANISH[context], "es")) for pattern in term.es) and \
                any(compile_pattern(pattern, language).search(fold(text, language)) for pattern in rendering.use):
            yield context, text


REQUIRED = [(term.id, language) for term in TERMS.terms for language, rendering in term.translations.items()
            if rendering.use]


@pytest.mark.parametrize("term_id, language", REQUIRED)
def test_a_translation_without_the_rendering_fails(term_id, language):
    term = next(term for term in TERMS.terms if term.id == term_id)
    rendering = term.translations[language]
    tried = 0
    for context, text in _rendered(term, language):
        tried += 1
        stripped = fold(text, language)
        for pattern in rendering.use:
            stripped = compile_pattern(pattern, language).sub("…", stripped)
        problems = TERMS.term_problems(SPANISH[context], stripped, language, context)
        if any(f"term '{term_id}'" in problem and "lacks the rendering" in problem for problem in problems):
            return
    pytest.fail(f"no real {language} text of term '{term_id}' fails without its rendering ({tried} tried): "
                "the entry cannot fail, correct it")


FORBIDDEN = [(term.id, language, pattern) for term in TERMS.terms for language, rendering in term.translations.items()
             for pattern in rendering.avoid]


@pytest.mark.parametrize("term_id, language, pattern", FORBIDDEN)
def test_a_forbidden_rendering_fails(term_id, language, pattern):
    term = next(term for term in TERMS.terms if term.id == term_id)
    context = next(context for context in translations(language)
                   if _applies(term, context) and any(compile_pattern(p, "es").search(fold(SPANISH[context], "es"))
                                                      for p in term.es))
    problems = TERMS.term_problems(SPANISH[context], f"{translations(language)[context]} {_sample(pattern)}", language,
                                   context)
    assert any(f"term '{term_id}'" in problem and "forbids" in problem for problem in problems), problems


VARIANT_FORMS = [(language, form) for language, variant in TERMS.file.variants.items() for form in variant.avoid]


@pytest.mark.parametrize("language, form", VARIANT_FORMS)
def test_a_form_of_another_variant_fails(language, form):
    context, text = next(iter(translations(language).items()))
    problems = TERMS.variant_problems(f"{text} {_sample(form)}", language)
    assert any(f"which is not {TERMS.file.variants[language].name}" in problem for problem in problems), problems


# --- the errors of issue 20 (and of the review after issues 18, 21, 23), as they were: they must not come back ---

FOUND = [
    # (language, context, the translation as it was, words the check must say)
    ("pt", "quiz.decisions.conformidad.text",
     "É você quem decide. A polícia só propõe esse período se concordar. A autorização pode ser pedida pela sua "
     "colaboração com a investigação ou pela sua situação pessoal.", "term 'consentimiento'"),
    ("pt", "quiz.questions.identificacion.help",
     "É o primeiro passo da autorização para vítimas de tráfico de pessoas (trata) na Espanha. Depois, a polícia "
     "propõe um período de recuperação e reflexão, só se concordar.", "term 'consentimiento'"),
    ("pt", "quiz.first_steps.sin-identificacion.text",
     "Segundo a ficha oficial, a polícia que identificou a vítima de tráfico de pessoas propõe o período de "
     "recuperação e reflexão. Só o propõe se ela concordar. A ficha não diz como se chega a essa identificação.",
     "term 'consentimiento-victima'"),
    ("ar", "quiz.decisions.conformidad.text",
     "القرار لك. الشرطة لا تقترح هذه الفترة إلا إذا وافقت. يمكن طلب التصريح بسبب تعاونك مع التحقيق أو بسبب وضعك الشخصي.",
     "term 'consentimiento'"),
    ("ar", "quiz.questions.identificacion.help",
     "هذه هي الخطوة الأولى في تصريح ضحايا الاتجار بالبشر في إسبانيا. بعد ذلك تقترح الشرطة فترة التعافي والتفكير، فقط إذا وافقت.",
     "term 'consentimiento'"),
    ("ht", "espana-victimas-trata.steps.exencion-responsabilidad.text",
     "Delegado o Subdelegado del Gobierno ka deside ou pa responsab paske ou an Espay san papye. Sa rele egzanpsyon "
     "responsablite (exención de responsabilidad).", "term 'responsable-de-estar'"),
    ("ro", "espana-victimas-trata.steps.exencion-responsabilidad.text",
     "Delegado o Subdelegado del Gobierno poate decide că nu ești răspunzător pentru că ești în Spania fără acte. "
     "Aceasta se numește exonerare de răspundere (exención de responsabilidad).", "term 'responsable-de-estar'"),
    ("fr", "espana-victimas-trata.steps.concesion-periodo-reflexion.text",
     "Si on vous accorde le délai de rétablissement et de réflexion, la décision dit combien de temps il dure. Il dure "
     "au moins 60 jours.", "loses or changes a number of the Spanish: 90"),
    ("pt", "interface.quiz.privacy",
     "As suas respostas ficam neste telemóvel ou computador. Não são enviadas para lugar nenhum e não são guardadas. "
     "São apagadas quando você fecha a página ou aperta «Sair rápido».", "«telemóvel», which is not português do Brasil"),
    ("pt", "quiz.criteria.victima-trafico.text_unknown",
     "Esta permissão é para vítimas do crime de contrabando de migrantes.", "«permissão», which is not português do Brasil"),
    ("ro", "quiz.decisions.conformidad.text",
     "Dumneavoastră decideți. Poliția propune această perioadă doar dacă sunteți de acord. Permisul poate fi cerut "
     "pentru colaborarea dumneavoastră la anchetă sau pentru situația dumneavoastră personală.", "not româna, cu «tu»"),
    ("ht", "chile-victimas-trafico.summary",
     "Pèmi Chili sa a se pou moun etranje ki viktim krim trafik migran. Se pa ou ki depoze demann lan. Se pakè a "
     "(«Ministerio Público») ki depoze l. Li fè l sou entènèt, nan pòtay SERMIG la.", "term 'trafico-de-migrantes'"),
    ("ht", "quiz.questions.fiscalia.text", "Èske Ministerio Público (biwo pwokirè a) ap okipe ka ou a?", "term 'fiscalia'"),
    ("ht", "quiz.deadlines.tarjeta.label", "Dènye jou pou mande tarjeta de identidad de extranjero (TIE) ou a",
     "term 'tarjeta-identidad-extranjero'"),
    ("fr", "glossary.entries.mesa-intersectorial.term", "Mesa Intersectorial sobre Trata de Personas",
     "term 'mesa-intersectorial'"),
    ("en", "chile-victimas-trata.steps.ingreso-portal.details.0",
     "In addition, the technical secretary of the Mesa Intersectorial sobre Trata de Personas must be informed as soon "
     "as possible. The SERMIG page does not say who does this.", "term 'secretaria-tecnica'"),
    # The deadline's rule no longer says «te identificó» (issue 18): the same words, in the text that does.
    ("zh", "quiz.first_steps.pedir-propuesta.text", "你可以请认定你身份的警方为你提议恢复与反思期。警方也可以主动提议。",
     "term 'policia-que-te-identifico'"),
]


@pytest.mark.parametrize("language, context, translated, words", FOUND, ids=[f"{l}-{c}" for l, c, _, _ in FOUND])
def test_an_error_found_in_review_fails_again(language, context, translated, words):
    problems = unfaithful(SPANISH[context], translated, language, TERMS, context)
    assert any(words in problem for problem in problems), problems


def test_the_safety_page_with_12_mb_fails_again(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("seguridad.md", "seguridad.fr.md"):
        (docs / name).write_text((PROJECT.docs_dir / name).read_text(encoding="utf-8"), encoding="utf-8")
    page = docs / "seguridad.fr.md"
    text = page.read_text(encoding="utf-8")
    line = next(number for number, row in enumerate(text.splitlines(), start=1) if "environ 14 Mo" in row)
    page.write_text(text.replace("environ 14 Mo", "environ 12 Mo"), encoding="utf-8")
    pages = [t for t in page_translations(docs, set(), PROJECT.languages) if t.language == "fr"]
    problems = [str(problem) for problem in page_fidelity_problems(docs, pages, TERMS)]
    # Reported at the first line of the paragraph (a list item that starts a line or two above).
    assert len(problems) == 1 and re.match(r"docs/seguridad\.fr\.md:(\d+): loses or changes a number of the Spanish: 14 "
                                           r"\(the translation has: 12\)", problems[0]), problems
    assert line - 2 <= int(problems[0].split(":")[1]) <= line


# --- stamping a page ---------------------------------------------------------------------------------


def test_a_page_is_stamped_current_only_if_its_numbers_agree(project, capsys):
    page = project / "docs/seguridad.ht.md"
    text = page.read_text(encoding="utf-8")
    stamped = re.search(r"source: (\w+)", text).group(1)
    page.write_text(text.replace(stamped, "0" * 40).replace("anviwon 14 MB", "anviwon 12 MB"), encoding="utf-8")
    config = ["--config-file", str(project / "mkdocs.yml")]
    assert main([*config, "translations", "stamp", str(page)]) == 1
    err = capsys.readouterr().err
    assert "docs/seguridad.ht.md:" in err and "loses or changes a number of the Spanish: 14" in err and "Traceback" not in err
    assert "0" * 40 in page.read_text(encoding="utf-8"), "nothing may be stamped"

    page.write_text(page.read_text(encoding="utf-8").replace("anviwon 12 MB", "anviwon 14 MB"), encoding="utf-8")
    assert main([*config, "translations", "stamp", str(page)]) == 0
    assert f"source: {stamped}" in page.read_text(encoding="utf-8")


# --- how patterns match ----------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern, language, text, found", [
    ("autoriza*", "pt", "as AUTORIZAÇÕES de residência", True),        # case and inflection
    ("tu", "pt", "se tu quiseres", True),
    ("tu", "pt", "a tua família", False),                             # whole words only
    ("tu", "pt", "atual", False),
    ("vous êtes d'accord", "fr", "si vous êtes d’accord", True),      # either apostrophe
    ("موافقتك", "ar", "إلا بِمُوافَقَتِكَ أنت", True),                    # short vowels and «with» joined to the word
    ("تهريب*", "ar", "لتهريب المهاجرين", True),
    ("认定你是", "zh", "警方已经认定你是受害者", True),                  # no spaces in Chinese
    ("se concordar", "pt", "se você concordar", False),
    ("lhe", "pt", "filhe", False),
])
def test_patterns_match_as_documented(pattern, language, text, found):
    assert bool(compile_pattern(pattern, language).search(fold(text, language))) is found


def test_a_spanish_name_kept_every_time_counts_unless_the_term_says_otherwise():
    trata = next(term for term in TERMS.terms if term.id == "trata")
    spanish = "Tienes contacto con una institución de la Mesa Intersectorial sobre Trata de Personas."
    kept = "Vous êtes en contact avec une institution de la Mesa Intersectorial sobre Trata de Personas."
    assert TERMS.term_problems(spanish, kept, "fr", "x") == []
    # Kept once where the Spanish says it twice: the other use needs the reader's words.
    spanish_twice = "Es para víctimas de trata de personas y la Mesa Intersectorial sobre Trata de Personas."
    assert any(f"term '{trata.id}'" in p for p in TERMS.term_problems(spanish_twice, kept, "fr", "x"))
