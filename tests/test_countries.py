"""The countries are content (procedures/countries.yml): the quiz's country question, every permit's
"not in this country", the comparison page and every text that names the countries are built from
that list, so a country added there is known everywhere and cannot be forgotten anywhere."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from amparo.content.errors import ContentError
from amparo.content.loader import COUNTRIES_FILE, QUIZ_FILE, load_content
from amparo.content.models import Fee, Procedure
from amparo.project import read_project
from amparo.render.quiz_flow import build_flow
from amparo.render.markdown_pages import Renderer, escape, place_list
from quiz import evaluate

REPO = Path(__file__).resolve().parents[1]
TODAY = "2025-06-30"
# A country ISO leaves free for private use: never a real one.
TEST_COUNTRY = """\
  - code: XV
    name: Valdoria
    in_country: en Valdoria
    quiz_answer: valdoria
    quiz_label: En Valdoria
"""


@pytest.fixture(scope="module")
def content():
    project = read_project(REPO / "mkdocs.yml")
    return load_content(project.content_dir, project.sources_dir)


def load(root: Path):
    project = read_project(root / "mkdocs.yml")
    return load_content(project.content_dir, project.sources_dir)


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as error:
        load(root)
    return [str(problem) for problem in error.value.problems]


def edit(root: Path, file: str, old: str, new: str) -> int:
    """Replace `old` (once) in a content file; the line where it started."""
    path = root / "procedures" / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def add_test_country(root: Path) -> None:
    edit(root, COUNTRIES_FILE, "\nsituations:", TEST_COUNTRY + "\nsituations:")


def country_question(flow: dict) -> dict:
    return flow["questions"][0]


# --- the quiz --------------------------------------------------------------------------------------


def test_the_country_question_offers_every_country_of_the_list(content):
    flow = build_flow(content.quiz, content)
    offered = [option["value"] for option in country_question(flow)["options"]]
    assert offered[: len(content.countries)] == [country.quiz_answer for country in content.countries]
    labels = [option["label"] for option in country_question(flow)["options"]]
    assert labels[: len(content.countries)] == [str(country.quiz_label) for country in content.countries]


def test_each_permit_is_ruled_out_in_every_other_country_and_kept_in_its_own(content):
    flow = build_flow(content.quiz, content)
    guides = {guide.id: guide for guide in content.guides}
    for country in content.countries:
        result = evaluate(flow, {"pais": country.quiz_answer}, TODAY)
        for outcome in result["outcomes"]:
            here = guides[outcome["procedure"]].country == country.code
            assert (outcome["status"] != "not_applicable") is here, (country.code, outcome["procedure"])


def test_a_country_added_to_the_list_is_a_no_for_every_other_permit_at_once(project):
    # Forgetting the new country in the other permits' rules cannot happen: they are made from the list.
    add_test_country(project)
    content = load(project)
    flow = build_flow(content.quiz, content)
    assert "valdoria" in [option["value"] for option in country_question(flow)["options"]]
    result = evaluate(flow, {"pais": "valdoria"}, TODAY)
    assert result["done"]
    assert {outcome["status"] for outcome in result["outcomes"]} == {"not_applicable"}
    for outcome in result["outcomes"]:
        assert [reason["met"] for reason in outcome["reasons"]] == [False], outcome["procedure"]
    # …and every text that names the countries names it too.
    assert "en Valdoria" in country_question(flow)["help"]
    assert "en Valdoria" in flow["strings"]["site-covers"]


def test_a_rule_on_the_country_question_must_name_its_country(project):
    criterion = "  - id: en-espana\n    country: ES\n"
    line = edit(project, QUIZ_FILE, criterion,
                "  - id: en-espana\n    question: pais\n    met: [espana]\n    unmet: [chile, otro]\n") + 1
    index = [c["id"] for c in yaml.safe_load((REPO / "procedures" / QUIZ_FILE).read_text(encoding="utf-8"))["criteria"]
             ].index("en-espana")
    assert any(p.startswith(f"procedures/{QUIZ_FILE}:{line}: criteria[{index}].question is on the country question "
                            "'pais': write `country: <code>`") for p in problems_of(project)), problems_of(project)


def test_a_permit_without_a_criterion_for_its_country_is_refused(project, content):
    rules = content.quiz.procedures[0]
    country = next(c for c in rules.criteria if next(k for k in content.quiz.criteria if k.id == c).country)
    others = [c for c in rules.criteria if c != country]
    edit(project, QUIZ_FILE, f"criteria: [{', '.join(rules.criteria)}]", f"criteria: [{', '.join(others)}]")
    assert any("procedures[0].criteria has no country criterion" in p for p in problems_of(project)), problems_of(project)


def test_a_permit_with_the_criterion_of_another_country_is_refused(project, content):
    guides = {guide.id: guide for guide in content.guides}
    criteria = {criterion.id: criterion for criterion in content.quiz.criteria}
    index, rules = next((i, r) for i, r in enumerate(content.quiz.procedures))
    own = next(c for c in rules.criteria if criteria[c].country)
    other = next(c.id for c in content.quiz.criteria if c.country and c.country != guides[rules.id].country)
    edit(project, QUIZ_FILE, f"criteria: [{', '.join(rules.criteria)}]",
         f"criteria: [{', '.join(other if c == own else c for c in rules.criteria)}]")
    assert any(f"procedures[{index}].criteria[" in p and f"but the guide {rules.id} is for {guides[rules.id].country}" in p
               for p in problems_of(project)), problems_of(project)


def test_a_country_criterion_for_a_country_not_in_the_list_is_refused(project):
    line = edit(project, QUIZ_FILE, "    country: ES\n", "    country: FR\n")
    assert any(p.startswith(f"procedures/{QUIZ_FILE}:{line}:") and "country 'FR', which is not in countries.yml" in p
               for p in problems_of(project)), problems_of(project)


def test_a_written_answer_may_not_repeat_a_country(project, content):
    first = content.countries[0].quiz_answer
    edit(project, QUIZ_FILE, "      - value: otro\n", f"      - value: {first}\n")
    assert any(f"'{first}' is a country's quiz_answer" in p for p in problems_of(project)), problems_of(project)


# --- words built from the list ---------------------------------------------------------------------


@pytest.mark.parametrize("language, phrases, listed", [
    ("es", ["en España", "en Chile"], "en España y en Chile"),
    ("fr", ["en Espagne", "au Chili", "en Valdoria"], "en Espagne, au Chili et en Valdoria"),
    ("ht", ["an Espay", "nan Chili"], "an Espay ak nan Chili"),   # CLDR has no list patterns for it
    ("es", ["en España"], "en España"),
])
def test_the_countries_are_listed_the_way_each_language_lists_them(language, phrases, listed):
    assert place_list(phrases, language) == listed


def test_a_choice_of_countries_is_listed_with_or():
    assert place_list(["en España", "en Chile"], "es", "or") == "en España o en Chile"
    assert place_list(["an Espay", "nan Chili"], "ht", "or") == "an Espay oswa nan Chili"


def test_no_text_is_left_with_the_placeholder_in_any_language():
    from amparo.publish.generated_pages import build_site

    project = read_project(REPO / "mkdocs.yml")
    site = build_site(project.content_dir, project.sources_dir, project.settings())
    for language in project.languages:
        words = site.words[language]
        listed, choice = words.fill("{countries}"), words.fill("{countries_or}")
        assert "{" not in listed + choice and listed != choice, language
        assert "{countries" not in str(site.flows[language]), language
        for path, versions in site.pages.items():
            page = versions[language]
            assert "{countries" not in page.markdown + "".join(page.html_after.values()), (language, path)
    assert site.words["es"].fill("{countries}") == place_list([c.in_country for c in site.content.countries], "es")
    # mkdocs.yml's descriptions use it too (the adapter fills them with the same words).
    assert "{countries}" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")


def test_no_word_counts_or_names_the_countries_or_the_permits(content):
    # A count or a list written in a word is wrong the day a permit or a country is added: {countries}.
    counted = re.compile(r"\b(dos|tres|cuatro|cinco|seis|siete|ocho|ambos|ambas)\s+(permisos|países|guías)\b",
                         re.IGNORECASE)
    names = [str(country.name) for country in content.countries]
    texts = list(content.interface.items())
    texts += [(f"quiz.questions.{q.id}.help", q.help) for q in content.quiz.questions if q.type == "country" and q.help]
    for key, text in texts:
        assert not counted.search(str(text)), (key, str(text))
        assert not any(name in str(text) for name in names), (key, str(text))
    assert counted.search("solo explica cuatro permisos") and counted.search("los dos países")


def test_the_comparison_page_names_each_permits_country(content):
    page = Renderer(content, "es").comparison()
    row = next(line for line in page.splitlines() if line.startswith("| **País**"))
    procedures = [guide for guide in content.guides if isinstance(guide, Procedure)]
    names = {country.code: str(country.name) for country in content.countries}
    assert [cell.strip() for cell in row.strip().strip("|").split("|")][1:] == [escape(names[p.country]) for p in procedures]


# --- fees -------------------------------------------------------------------------------------------


def test_a_free_procedure_says_so_on_its_page_and_in_the_comparison(content):
    guide = next(g for g in content.guides if isinstance(g, Procedure))
    free = Fee(id="gratuito", free=True)
    changed = dataclasses.replace(content, guides=[guide.model_copy(update={"fee": free}),
                                                   *[g for g in content.guides if g is not guide]])
    renderer = Renderer(changed, "es")
    words = renderer.words
    page = renderer.guide(changed.guides[0])
    section = page.split("{#tasa}", 1)[1].split("\n## ", 1)[0]
    assert escape(words("fee-free")) in section and words("fee-form") not in section
    comparison = renderer.comparison()
    fee_row = next(line for line in comparison.splitlines() if line.startswith(f"| **{words('fee')}**"))
    assert fee_row.split(" | ")[1] == escape(words("fee-free"))
    assert escape(words("not-in-source")) not in fee_row.split(" | ")[1]


@pytest.mark.parametrize("fee, message", [
    ({"id": "x", "free": True, "form": "Modelo 1"}, "says free: true and also gives form"),
    ({"id": "x"}, "needs form or amount"),
    ({"id": "x", "amount": "10 pesos", "code": "1"}, "gives code without form"),
])
def test_a_fee_must_say_what_is_paid_or_that_nothing_is(fee, message):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=re.escape(message)):
        Fee.model_validate(fee)


def test_an_amount_alone_is_a_fee(content):
    fee = Fee.model_validate({"id": "x", "amount": "10 pesos"})
    guide = next(g for g in content.guides if isinstance(g, Procedure))
    changed = dataclasses.replace(content, guides=[guide.model_copy(update={"fee": fee}),
                                                   *[g for g in content.guides if g is not guide]])
    comparison = Renderer(changed, "es").comparison()
    assert "| 10 pesos |" in comparison or "| 10 pesos" in comparison
