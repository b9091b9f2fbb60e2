"""The quiz engine: scenarios an editor can read (tests/quiz_scenarios.yml), the API contract the
browser relies on, deadline arithmetic, the quiz file's checks, and the flow export."""

from __future__ import annotations

import ast
import copy
import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from html import escape

from amparo.project import read_project
from amparo.content.errors import ContentError
from amparo.content.loader import COUNTRIES_FILE, load_content
from amparo.render.quiz_flow import QUIZ_FILE, build_flow, load_quiz
from quiz import evaluate
from quiz.dates import add_business_days, add_days, add_months, parse_iso

REPO = Path(__file__).resolve().parents[1]
QUIZ = REPO / "procedures" / QUIZ_FILE
SCENARIOS = yaml.safe_load((Path(__file__).parent / "quiz_scenarios.yml").read_text(encoding="utf-8"))["scenarios"]
DEFAULT_TODAY = "2025-06-30"
OUTCOME_KEYS = {"procedure", "title", "page", "status", "summary_text", "reasons", "conditions", "who_files",
                "next_steps", "documents", "family", "assisted_return", "deadlines", "first_step", "first_step_id",
                "you_decide", "you_decide_id"}


@pytest.fixture(scope="module")
def quiz():
    return load_quiz(QUIZ, f"procedures/{QUIZ_FILE}")


@pytest.fixture(scope="module")
def content():
    project = read_project(REPO / "mkdocs.yml")
    return load_content(project.content_dir, project.sources_dir)


@pytest.fixture(scope="module")
def flow(quiz, content):
    return build_flow(quiz, content)


def _plain(value, where: str):
    """YAML → the strings the browser would send: dates as ISO text, and no silent booleans."""
    if isinstance(value, bool):
        raise AssertionError(f"{where}: write \"si\"/\"no\" in quotes (YAML reads no as false)")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _criteria_texts(flow) -> dict:
    return {(p["id"], c["id"]): c for p in flow["procedures"] for c in p["criteria"]}


# --- scenarios ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(flow, scenario):
    name = scenario["name"]
    answers = {key: _plain(value, f"{name}: answers.{key}") for key, value in scenario["answers"].items()}
    today = _plain(scenario.get("today", DEFAULT_TODAY), name)
    result = evaluate(flow, answers, today)
    outcomes = {o["procedure"]: o for o in result["outcomes"]}
    criteria = _criteria_texts(flow)

    expected_next = scenario.get("next")
    assert (result["next"] or {}).get("id") == expected_next, f"{name}: next question"
    assert result["done"] is (expected_next is None)
    # Only the permits the scenario names: a permit added later changes no scenario.
    assert set(scenario["status"]) <= set(outcomes), f"{name}: no permit {set(scenario['status']) - set(outcomes)}"
    assert {p: outcomes[p]["status"] for p in scenario["status"]} == scenario["status"], f"{name}: statuses"

    for procedure, ids in (scenario.get("conditions") or {}).items():
        wanted = [criteria[(procedure, c)]["text_unknown"] for c in ids]
        assert outcomes[procedure]["conditions"] == wanted, f"{name}: conditions of {procedure}"
        open_reasons = [r["text"] for r in outcomes[procedure]["reasons"] if r["met"] is None]
        assert open_reasons == wanted
    for procedure, ids in (scenario.get("unmet") or {}).items():
        unmet = [r["text"] for r in outcomes[procedure]["reasons"] if r["met"] is False]
        assert unmet == [criteria[(procedure, c)]["text_unmet"] for c in ids], f"{name}: unmet of {procedure}"
    for procedure, dates in (scenario.get("deadlines") or {}).items():
        got = {d["id"]: d["date"] for d in outcomes[procedure]["deadlines"]}
        assert got == {k: _plain(v, name) for k, v in dates.items()}, f"{name}: deadlines of {procedure}"
    for procedure, variant in (scenario.get("first_step") or {}).items():
        assert outcomes[procedure]["first_step_id"] == variant, f"{name}: first step of {procedure}"
    for procedure, variant in (scenario.get("you_decide") or {}).items():
        assert outcomes[procedure]["you_decide_id"] == variant, f"{name}: what she decides, for {procedure}"
    for group in ("notes", "silences"):
        if group in scenario:
            assert [note["id"] for note in result[group]] == scenario[group], f"{name}: {group}"
    if result["done"]:
        # A finished result: what she reads next is asserted for every permit it names that may
        # apply, and the deadlines it lists for every such permit that has some.
        for procedure in flow["procedures"]:
            if procedure["id"] not in scenario["status"] or outcomes[procedure["id"]]["status"] == "not_applicable":
                continue
            assert procedure["id"] in (scenario.get("first_step") or {}), f"{name}: give first_step of {procedure['id']}"
            if procedure["deadlines"]:
                assert procedure["id"] in (scenario.get("deadlines") or {}), f"{name}: give deadlines of {procedure['id']}"
    for procedure, shown in (scenario.get("family") or {}).items():
        assert bool(outcomes[procedure]["family"]) is shown, f"{name}: family of {procedure}"
    for procedure, shown in (scenario.get("assisted_return") or {}).items():
        assert (outcomes[procedure]["assisted_return"] is not None) is shown, f"{name}: assisted return of {procedure}"
    for procedure, words in (scenario.get("says") or {}).items():
        outcome = outcomes[procedure]
        first_screen = " ".join(str(outcome[key] or "") for key in ("summary_text", "who_files", "first_step", "you_decide"))
        for word in words:
            assert word.lower() in first_screen.lower(), f"{name}: {procedure} does not say {word!r}: {first_screen}"
    if "asks" in scenario:
        assert [a["id"] for a in result["asked"]] == scenario["asks"], f"{name}: questions asked"
    if "reads" in scenario:
        html = _result_html(flow, result)
        for what in scenario["reads"]:
            if what == "guides":
                for procedure in flow["procedures"]:
                    assert f'href="../../{procedure["page"]}"' in html, f"{name}: no link to {procedure['id']}"
            else:
                assert escape(flow["strings"][what]) in html, f"{name}: the result does not say {what}"


def _result_html(flow, result) -> str:
    """The result as the static quiz shows it (the live one renders the same template)."""
    from amparo.render.quiz_pages import QuizRenderer, QuizWalk
    return QuizRenderer(QuizWalk([], [], []), flow).static_result(result, "r0")


def test_scenarios_cover_every_permit_in_every_status(flow):
    seen = {(p, s) for scenario in SCENARIOS for p, s in scenario["status"].items()}
    for procedure in flow["procedures"]:
        for status in ("likely", "possible", "not_applicable"):
            assert (procedure["id"], status) in seen, f"no scenario where {procedure['id']} is {status}"


def test_scenarios_use_only_real_questions_and_answers(flow):
    questions = {q["id"]: q for q in flow["questions"]}
    for scenario in SCENARIOS:
        for key, value in scenario["answers"].items():
            assert key in questions, f"{scenario['name']}: no question '{key}'"
            value = _plain(value, scenario["name"])
            if questions[key]["type"] == "choice":
                assert value in [o["value"] for o in questions[key]["options"]], f"{scenario['name']}: {key}={value}"


# --- the contract the browser relies on --------------------------------------------------------


def test_result_shape(flow):
    result = evaluate(flow, {"pais": "espana"}, DEFAULT_TODAY)
    assert set(result) == {"next", "asked", "done", "outcomes", "notes", "silences", "key"}
    assert result["key"].startswith("q:nacionalidad:")
    assert set(result["next"]) == {"id", "previous", "text", "help", "type", "options"}
    assert result["next"]["previous"] == "pais"
    assert result["next"]["type"] == "choice"
    assert all(set(option) == {"value", "label"} for option in result["next"]["options"])
    assert result["asked"] == [{"id": "pais", "text": "¿En qué país estás ahora?", "answer": "espana", "answer_label": "En España"}]
    assert [o["procedure"] for o in result["outcomes"]] == [p["id"] for p in flow["procedures"]]
    for outcome in result["outcomes"]:
        assert set(outcome) == OUTCOME_KEYS
        assert outcome["page"] == f"guias/{outcome['procedure']}/"
        for reason in outcome["reasons"]:
            # Empty for a source that cites no law (the result says so: no-law-in-source).
            assert set(reason) == {"criterion", "met", "text", "legal_reference"}
            assert isinstance(reason["legal_reference"], str)
    json.dumps(result)  # JSON-able


def test_date_question_offers_only_skipping_and_a_maximum(flow):
    answers = {"pais": "espana", "nacionalidad": "no", "explotacion": "si", "red": "no", "identificacion": "si",
               "colaboracion": "no-se", "tramite": "admitida"}
    question = evaluate(flow, answers, DEFAULT_TODAY)["next"]
    assert question["id"] == "fecha-admision" and question["type"] == "date"
    assert [o["value"] for o in question["options"]] == ["no-se"]
    assert question["max"] == DEFAULT_TODAY
    done = evaluate(flow, {**answers, "fecha-admision": "2025-06-02"}, DEFAULT_TODAY)
    assert done["done"]
    assert done["asked"][-1] == {"id": "fecha-admision", "text": question["text"], "answer": "2025-06-02",
                                 "answer_label": "02/06/2025"}


def _ruling_out(flow, criterion_id: str, values: list[str]) -> dict:
    """A copy of the flow where `values` rule criterion `criterion_id` out (the real quiz.yml may not)."""
    changed = copy.deepcopy(flow)
    for procedure in changed["procedures"]:
        for criterion in procedure["criteria"]:
            if criterion["id"] == criterion_id:
                criterion["unmet"] = list(values)
                criterion["text_unmet"] = f"{criterion_id} no se cumple"
    return changed


def test_an_option_is_offered_only_while_its_permit_may_apply(flow):
    # «Periodo de reflexión» is only_for E38. In quiz.yml only the country and the nationality rule
    # a permit out, and they rule E38 and E37 out together, so wherever the quiz asks about the
    # procedure E38 may apply and the answer is offered, even after a «no» to trata.
    base = {"pais": "espana", "nacionalidad": "no", "red": "si", "identificacion": "no-se", "colaboracion": "si"}
    all_options = ["reflexion", "admitida", "concedida", "definitiva", "no-se"]
    for explotacion in ("si", "no", "no-se"):
        question = evaluate(flow, {**base, "explotacion": explotacion}, DEFAULT_TODAY)["next"]
        assert question["id"] == "tramite"
        assert [o["value"] for o in question["options"]] == all_options, explotacion

    # The engine hides it once E38 is ruled out: shown with a flow where a «no» to trata would do that.
    strict = _ruling_out(flow, "victima-trata", ["no"])
    answers = {**base, "explotacion": "no"}
    result = evaluate(strict, answers, DEFAULT_TODAY)
    assert [o["status"] for o in result["outcomes"]][:2] == ["not_applicable", "likely"]
    assert result["next"]["id"] == "tramite"
    assert [o["value"] for o in result["next"]["options"]] == ["admitida", "concedida", "definitiva", "no-se"]
    # A hidden answer does not count, and neither does the date it would open.
    stale = evaluate(strict, {**answers, "tramite": "reflexion", "fecha-reflexion": "2025-01-10"}, DEFAULT_TODAY)
    assert stale["next"]["id"] == "tramite"
    assert "tramite" not in [a["id"] for a in stale["asked"]]
    assert {d["id"]: d["date"] for d in stale["outcomes"][1]["deadlines"]} == {"tasa": None, "tarjeta": None,
                                                                              "nueva-tarjeta": None}
    # The same stored answers count again in the real flow, where E38 stays possible.
    kept = evaluate(flow, {**answers, "tramite": "reflexion", "fecha-reflexion": "2025-01-10"}, DEFAULT_TODAY)
    assert kept["done"]
    assert {d["id"]: d["date"] for d in kept["outcomes"][0]["deadlines"]}["reflexion"] == "2025-04-10"


def test_what_the_engine_keeps_of_a_flow_is_that_flows_own(flow):
    # The engine reads each flow's rules once and keeps them for its next answers: a flow must
    # never get another's, whether they alternate or outnumber what it keeps. Seen in what it asks: a
    # flow where a «no» to trata rules E38 out no longer offers the answer that is only for E38.
    answers = {"pais": "espana", "nacionalidad": "no", "red": "si", "identificacion": "no-se", "colaboracion": "si",
               "explotacion": "no"}

    def offers_reflection(some_flow) -> bool:
        question = evaluate(some_flow, answers, DEFAULT_TODAY)["next"]
        assert question["id"] == "tramite"
        return "reflexion" in [option["value"] for option in question["options"]]

    for strict in [_ruling_out(flow, "victima-trata", ["no"]) for _ in range(12)]:
        assert not offers_reflection(strict)
        assert offers_reflection(flow)


def test_plain_words_criteria_have_no_answer_that_rules_out(quiz, flow):
    # The sources do not define trafficking or smuggling: a plain-words answer never rules out.
    assert {c.question for c in quiz.criteria if c.unmet} == {"pais", "nacionalidad"}
    for criterion in quiz.criteria:
        if criterion.question not in ("pais", "nacionalidad"):
            assert criterion.text_unmet is None, criterion.id
    for question, criterion in (("explotacion", "victima-trata"), ("red", "victima-o-testigo-red"),
                                ("trafico", "victima-trafico")):
        values = [o["value"] for q in flow["questions"] if q["id"] == question for o in q["options"]]
        assert values == ["si", "no", "no-se"], question
        for procedure in flow["procedures"]:
            if any(c["id"] == criterion for c in procedure["criteria"]):
                assert next(c for c in procedure["criteria"] if c["id"] == criterion)["met"] == ["si"]


def test_every_question_has_a_dont_know_answer(flow):
    for question in flow["questions"]:
        assert "no-se" in [o["value"] for o in question["options"]], question["id"]


@pytest.mark.parametrize("answers", [
    {"pais": "marte"},
    {"pais": 3, "nacionalidad": None},
    {"no-existe": "si", "pais": ["espana"]},
    {"pais": {"value": "espana"}},
    {"fecha-admision": "ayer"},
])
def test_garbage_answers_are_ignored_never_an_error(flow, answers):
    result = evaluate(flow, answers, DEFAULT_TODAY)
    assert result["next"]["id"] == "pais"
    assert result["asked"] == []


def test_answers_that_are_not_a_mapping_are_ignored(flow):
    assert evaluate(flow, None, DEFAULT_TODAY)["next"]["id"] == "pais"
    assert evaluate(flow, ["pais"], DEFAULT_TODAY)["next"]["id"] == "pais"


def test_invalid_today_falls_back_to_the_system_date(flow):
    assert evaluate(flow, {}, "not a date")["next"]["id"] == "pais"


def test_changing_an_earlier_answer_keeps_the_others(flow):
    spain = {"pais": "espana", "nacionalidad": "no", "explotacion": "si", "red": "no", "identificacion": "si",
             "colaboracion": "no-se", "tramite": "no-se"}
    chile = {"trafico": "no", "institucion": "si", "fiscalia": "no-se"}
    answers = {**spain, **chile}
    in_spain = evaluate(flow, answers, DEFAULT_TODAY)
    assert [a["id"] for a in in_spain["asked"]] == list(spain)
    moved = evaluate(flow, {**answers, "pais": "chile"}, DEFAULT_TODAY)
    assert [a["id"] for a in moved["asked"]] == ["pais", "nacionalidad", "explotacion", "trafico", "institucion",
                                                 "fiscalia"]
    assert moved["done"]
    back = evaluate(flow, {**answers, "pais": "espana"}, DEFAULT_TODAY)
    assert back == in_spain


def test_a_gap_is_asked_first_while_later_answers_still_count(flow):
    answers = {"pais": "espana", "explotacion": "si", "red": "no", "identificacion": "si", "tramite": "no-se"}
    result = evaluate(flow, answers, DEFAULT_TODAY)
    assert result["next"]["id"] == "nacionalidad"
    outcome = result["outcomes"][0]
    assert outcome["status"] == "possible"
    assert outcome["conditions"] == [_criteria_texts(flow)[("espana-victimas-trata", "extranjera")]["text_unknown"]]


def test_evaluate_does_not_change_its_inputs(flow):
    before = json.dumps(flow, sort_keys=True)
    answers = {"pais": "espana", "nacionalidad": "no"}
    evaluate(flow, answers, DEFAULT_TODAY)
    assert answers == {"pais": "espana", "nacionalidad": "no"}
    assert json.dumps(flow, sort_keys=True) == before


def test_deadlines_explain_rule_reference_and_counting(flow):
    answers = {"pais": "espana", "nacionalidad": "no", "explotacion": "si", "red": "si", "identificacion": "si",
               "colaboracion": "si", "tramite": "admitida", "fecha-admision": "2025-06-02"}
    outcomes = {o["procedure"]: o for o in evaluate(flow, answers, DEFAULT_TODAY)["outcomes"]}
    for procedure in ("espana-victimas-trata", "espana-colaboracion-redes"):
        limits = {d["id"]: d for d in outcomes[procedure]["deadlines"]}
        reference = next(p["criteria"][0]["legal_reference"] for p in flow["procedures"] if p["id"] == procedure)
        for limit in limits.values():
            assert set(limit) == {"id", "label", "date", "date_asked", "date_text", "bound", "rule", "counting",
                                  "legal_reference"}
            assert limit["legal_reference"] == reference
        # 2 June 2025 + ten business days; written the reader's way (date-format: day/month/year).
        assert (limits["tasa"]["date"], limits["tasa"]["date_text"]) == ("2025-06-16", "16/06/2025")
        # The official sheets do not say how to count: every date is an estimate, and says so.
        dated = {p["id"]: {d["id"] for d in p["deadlines"] if d["question"]} for p in flow["procedures"]}[procedure]
        for limit in limits.values():
            assert "La hoja oficial no" in limit["counting"], limit["id"]
            if limit["id"] in dated:
                assert "es una estimación, no una fecha oficial" in limit["counting"], limit["id"]
        assert "festivos" in limits["tasa"]["counting"] and "de lunes a viernes" in limits["tasa"]["counting"]
        assert "último día" in limits["tarjeta"]["counting"]
        # The lengths come from the guides' facts (shared.yml's fee and identity card step).
        assert "10 días hábiles" in limits["tasa"]["rule"]
        assert "1 mes" in limits["tarjeta"]["rule"]
    # Nothing done yet: every deadline is listed, as what comes.
    early = {o["procedure"]: o for o in evaluate(flow, {**answers, "tramite": "no-se"}, DEFAULT_TODAY)["outcomes"]}
    assert "reflexion" not in {d["id"] for d in early["espana-colaboracion-redes"]["deadlines"]}
    reflexion = {d["id"]: d for d in early["espana-victimas-trata"]["deadlines"]}["reflexion"]
    assert "al menos 90 días" in reflexion["rule"] and "resolución" in reflexion["rule"]
    # "At least 90 days": the date is the period's earliest end, and is labelled so.
    assert reflexion["bound"] == "at_least"
    assert reflexion["label"].startswith("Lo antes que termina") and "aproximad" not in reflexion["label"]
    assert "sumamos 90 días" in reflexion["counting"] and "fecha más temprana" in reflexion["counting"]
    # Step time limits that concern the reader, and the new card after the definitive grant.
    limits = {d["id"]: d for d in early["espana-victimas-trata"]["deadlines"]}
    assert "48 horas" in limits["propuesta-policia"]["rule"] and limits["propuesta-policia"]["date"] is None
    assert "1 mes desde la concesión" in limits["nueva-tarjeta"]["rule"]


def test_every_deadline_that_is_a_minimum_says_its_date_is_the_earliest_end(flow):
    minimums = [d for p in flow["procedures"] for d in p["deadlines"] if d["bound"] == "at_least"]
    assert minimums, "the guides' 'at least 90 days' no longer reaches the quiz"
    for limit in minimums:
        assert limit["label"].startswith("Lo antes"), limit["id"]


# --- what she reads next fits where she is ----------------------------------------------------


def _earlier_stage_deadlines(quiz, result) -> list[str]:
    """The deadlines a result lists that belong to an earlier stage than the reader's answer, and
    those of her stage or a later one it leaves out, read from quiz.yml: its stages' order (the
    answers of one question, earliest first) and each deadline's stage."""
    order = list(quiz.stages.order)
    answer = next((a["answer"] for a in result["asked"] if a["id"] == quiz.stages.question), None)
    hers = order.index(answer) if answer in order else 0
    stage_of = {limit.id: limit.stage for limit in quiz.deadlines}
    listed_by = {procedure.id: procedure.deadlines for procedure in quiz.procedures}
    wrong = []
    for outcome in result["outcomes"]:
        shown = [limit["id"] for limit in outcome["deadlines"]]
        for limit in shown:
            if stage_of[limit] is not None and order.index(stage_of[limit]) < hers:
                wrong.append(f"{outcome['procedure']} lists {limit} ({stage_of[limit]}) at stage {answer}")
        if outcome["status"] != "not_applicable":
            for limit in listed_by[outcome["procedure"]]:
                if limit not in shown and (stage_of[limit] is None or order.index(stage_of[limit]) >= hers):
                    wrong.append(f"{outcome['procedure']} leaves out {limit} ({stage_of[limit]}) at stage {answer}")
    return wrong


def test_no_result_lists_a_deadline_of_an_earlier_stage_than_hers(quiz, flow):
    from quiz.enumerate import walk_nodes
    stages = {answer for answers, _ in walk_nodes(flow) for question, answer in answers.items()
              if question == quiz.stages.question}
    assert stages == set(quiz.stages.order), "some stage is never reached"
    wrong = [(answers, problem) for answers, result in walk_nodes(flow) if result["done"]
             for problem in _earlier_stage_deadlines(quiz, result)]
    assert not wrong, wrong[:5]
    # With dates too: a date changes when a deadline ends, never which are listed.
    dated = {"pais": "espana", "nacionalidad": "no", "explotacion": "si", "red": "si", "identificacion": "si",
             "colaboracion": "si", "tramite": "definitiva", "fecha-definitiva": "2025-06-02"}
    assert _earlier_stage_deadlines(quiz, evaluate(flow, dated, DEFAULT_TODAY)) == []


def test_the_stage_check_finds_an_earlier_stage_deadline(quiz, flow):
    # The check above can fail: without its stages, the engine lists the police's 48-hour proposal
    # to a reader who already has the definitive authorisation.
    stageless = {key: value for key, value in flow.items() if key != "stages"}
    answers = {"pais": "espana", "nacionalidad": "no", "explotacion": "si", "red": "si", "identificacion": "si",
               "colaboracion": "si", "tramite": "definitiva", "fecha-definitiva": "no-se"}
    wrong = _earlier_stage_deadlines(quiz, evaluate(stageless, answers, DEFAULT_TODAY))
    assert "espana-victimas-trata lists propuesta-policia (no-se) at stage definitiva" in wrong


def test_a_reader_the_police_did_not_identify_is_never_told_to_ask_the_police(flow):
    # Her first step, whatever else she answered, says what the sheet says and that it is silent
    # on how identification comes about; never "pide a la policía".
    from quiz.enumerate import walk_nodes
    seen = set()
    for answers, result in walk_nodes(flow):
        if not result["done"] or answers.get("identificacion") == "si":
            continue
        for outcome in result["outcomes"]:
            if outcome["status"] == "not_applicable":
                continue
            first = outcome["first_step"].lower()
            assert not re.search(r"\b(pide|pregunta|puedes pedir|puedes preguntar)\b[^.]*\bpolic", first), (answers, first)
            seen.add(outcome["first_step_id"])
    assert "sin-identificacion" in seen


def test_the_next_step_after_the_provisional_names_the_card_its_month_and_where(quiz, content, flow):
    # Sheet 38 and 37: «En el plazo de un mes desde la notificación de la concesión, … deberá
    # solicitar personalmente la tarjeta de identidad de extranjero, en la Comisaría de Policía o
    # servicios policiales competentes de su lugar de residencia.»
    answers = {"pais": "espana", "nacionalidad": "no", "explotacion": "si", "red": "si", "identificacion": "si",
               "colaboracion": "si", "tramite": "concedida", "fecha-notificacion": "no-se"}
    fact = next(step.time_limit for step in content.shared.steps if step.id == "solicitar-tie")
    for outcome in evaluate(flow, answers, DEFAULT_TODAY)["outcomes"][:2]:
        text = outcome["first_step"]
        assert f"{fact.amount} mes" in text and "personalmente" in text and "lugar de residencia" in text, text
        assert "Comisaría de Policía" in text


def test_every_variant_note_and_silence_is_shown_on_some_path(quiz, flow):
    from quiz.enumerate import walk_nodes
    first_steps, decisions, notes = set(), set(), set()
    for _, result in walk_nodes(flow):
        if not result["done"]:
            continue
        for outcome in result["outcomes"]:
            first_steps.add((outcome["procedure"], outcome["first_step_id"]))
            decisions.add((outcome["procedure"], outcome["you_decide_id"]))
        notes |= {note["id"] for note in result["notes"] + result["silences"]}
    with_text = {variant.id for variant in quiz.decisions if variant.text is not None}
    for procedure in quiz.procedures:
        for variant in procedure.first_step:
            assert (procedure.id, variant) in first_steps, (procedure.id, variant)
        for variant in procedure.you_decide:
            if variant in with_text:
                assert (procedure.id, variant) in decisions, (procedure.id, variant)
    assert notes == {note.id for note in [*quiz.notes, *quiz.silences]}


def test_chile_smuggling_does_not_depend_on_who_files(quiz, flow):
    # «You are eligible for this permit if you are a foreigner and a victim of the crime of smuggling
    # of migrants. This application must be submitted by the Ministerio Público»: filing is who acts.
    base = {"pais": "chile", "nacionalidad": "no", "explotacion": "no", "trafico": "si", "institucion": "no-se"}
    results = {answer: evaluate(flow, {**base, "fiscalia": answer}, DEFAULT_TODAY) for answer in ("si", "no-se")}
    statuses = {answer: result["outcomes"][3]["status"] for answer, result in results.items()}
    assert statuses == {"si": "likely", "no-se": "likely"}
    assert all(c.question != "fiscalia" for c in quiz.criteria)
    # The answer changes only what she reads next, and who files is said either way.
    steps = {answer: result["outcomes"][3]["first_step"] for answer, result in results.items()}
    assert steps["si"] != steps["no-se"]
    assert all("Ministerio Público" in step for step in steps.values())


def test_every_permit_that_may_fit_says_who_files_and_the_first_thing_to_do(flow):
    from quiz.enumerate import screen_key, walk_nodes
    seen = set()
    for _, result in walk_nodes(flow):
        if not result["done"] or screen_key(result) in seen:
            continue
        seen.add(screen_key(result))
        for outcome in result["outcomes"]:
            if outcome["status"] != "not_applicable":
                assert outcome["who_files"].strip() and outcome["first_step"].strip(), outcome["procedure"]
                html = _result_html(flow, result)
                section = html[html.index(f'data-procedure="{outcome["procedure"]}"'):]
                before_details = section[:section.index("<details")]
                assert escape(outcome["who_files"]) in before_details and escape(outcome["first_step"]) in before_details
                if outcome["you_decide"]:
                    assert escape(outcome["you_decide"]) in before_details


# Numbers of days, hours or months, in figures or in words, as a length ("90 días", "un mes").
AMOUNT = re.compile(r"\b(\d+|una?|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|quince|treinta|cuarenta(?: y \w+)?"
                    r"|noventa)\s+(?:días?(?: hábiles)?|horas?|mes(?:es)?|años?)\b", re.IGNORECASE)


def test_no_day_or_month_amount_is_written_in_the_quiz(quiz):
    # Each length is a guide's fact (deadlines' time_limit); the sources' own words (passages) may say it.
    from amparo.review.readability import model_texts
    found = [(text.origin, str(text)) for text in model_texts(quiz) if AMOUNT.search(str(text))]
    assert not found, found
    assert not re.search(r"^\s+(amount|unit|bound):", QUIZ.read_text(encoding="utf-8"), re.MULTILINE)
    assert AMOUNT.search("dura al menos 90 días") and AMOUNT.search("en el plazo de un mes")


def test_a_deadline_names_a_guide_fact_that_exists_with_its_line(tmp_path):
    project = read_project(REPO / "mkdocs.yml")
    root = tmp_path / "procedures"
    import shutil
    shutil.copytree(project.content_dir, root)
    quiz_file = root / QUIZ_FILE
    text = quiz_file.read_text(encoding="utf-8")
    old = "    time_limit: shared.fees.tasa-790-052\n"
    assert old in text
    quiz_file.write_text(text.replace(old, "    time_limit: shared.fees.tasa-790-05\n"), encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l == old.rstrip("\n"))
    with pytest.raises(ContentError) as error:
        load_content(root, root / "sources")
    problems = [str(p) for p in error.value.problems]
    assert any(p.startswith(f"procedures/{QUIZ_FILE}:{line}: deadlines[1].time_limit refers to the time limit "
                            "'shared.fees.tasa-790-05', which no guide has (did you mean 'shared.fees.tasa-790-052'?)")
               for p in problems), problems


def test_a_condition_written_as_an_order_is_refused_with_its_line(tmp_path):
    problems = _broken(tmp_path, "    text_unknown: Es un permiso para quien está en España.",
                       "    text_unknown: Tienes que estar en España.")
    line = _line_of("    text_unknown: Es un permiso para quien está en España.")
    where = f"criteria[{_index('criteria', 'en-espana')}].text_unknown"
    assert any(p.startswith(f"procedures/{QUIZ_FILE}:{line}: {where}") and "order" in p for p in problems), problems


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("start, months, end", [
    ("2025-01-31", 1, "2025-02-28"), ("2024-01-31", 1, "2024-02-29"), ("2025-03-31", 1, "2025-04-30"),
    ("2025-12-15", 1, "2026-01-15"), ("2025-05-30", 1, "2025-06-30"), ("2025-08-31", 6, "2026-02-28"),
])
def test_add_months(start, months, end):
    assert add_months(parse_iso(start), months).isoformat() == end


@pytest.mark.parametrize("start, days, end", [
    ("2025-06-02", 10, "2025-06-16"),  # Monday
    ("2025-06-06", 10, "2025-06-20"),  # Friday
    ("2025-06-07", 10, "2025-06-20"),  # Saturday
    ("2025-06-08", 1, "2025-06-09"),   # Sunday → Monday
    ("2025-06-06", 1, "2025-06-09"),   # Friday → Monday
])
def test_add_business_days(start, days, end):
    assert add_business_days(parse_iso(start), days).isoformat() == end


def test_add_days():
    assert add_days(parse_iso("2025-01-10"), 90).isoformat() == "2025-04-10"


@pytest.mark.parametrize("text", ["2025-02-30", "20250101", "2025-1-01", "2025-W01-1", "", None, 20250101,
                                  "２０２５-01-01", "2025-01-01T00:00"])
def test_parse_iso_refuses_anything_but_a_plain_date(text):
    assert parse_iso(text) is None


# --- the package stays browser-safe ------------------------------------------------------------

ALLOWED_IMPORTS = {"__future__", "json", "datetime", "calendar", "sys", "argparse"}


def test_engine_imports_only_the_standard_library_it_needs():
    for path in (REPO / "quiz").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [] if node.level else [node.module.split(".")[0]]
            else:
                continue
            assert set(names) <= ALLOWED_IMPORTS, f"{path.name} imports {names}"


def test_command_line(tmp_path, flow):
    (tmp_path / "flow.json").write_text(json.dumps(flow), encoding="utf-8")
    (tmp_path / "answers.json").write_text(json.dumps({"pais": "otro"}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "quiz", str(tmp_path / "flow.json"), str(tmp_path / "answers.json"),
                           "--today", "2025-06-30"], capture_output=True, text=True, cwd=REPO, check=True)
    result = json.loads(done.stdout)
    assert result["done"] and {o["status"] for o in result["outcomes"]} == {"not_applicable"}


# --- the flow export ---------------------------------------------------------------------------


def test_flow_carries_each_procedure_texts(flow, content):
    guides = {guide.id: guide for guide in content.guides}
    for procedure in flow["procedures"]:
        guide = guides[procedure["id"]]
        assert procedure["title"] == guide.title
        assert procedure["who_files"] == guide.who_files
        assert procedure["next_steps"] == [step.text for step in guide.steps]
    by_id = {p["id"]: p for p in flow["procedures"]}
    e38, e37 = by_id["espana-victimas-trata"], by_id["espana-colaboracion-redes"]
    # Sheet 38 extends the permit to family in Spain (parents included); sheet 37 does not.
    assert len(e38["family"]) == 2 and "padre" in e38["family"][0]
    assert len(e37["family"]) == 1 and not any("padre" in text for text in e37["family"])
    assert "motivos razonables" in e38["assisted_return"]
    assert "exención de responsabilidad" in e37["assisted_return"]
    assert any("cuatro meses" in d for d in e37["documents"])
    assert any("riesgo" in d for d in e38["documents"])
    for chile in ("chile-victimas-trata", "chile-victimas-trafico"):
        assert by_id[chile]["family"] == [] and by_id[chile]["assisted_return"] is None
    json.dumps(flow)


def test_legal_references_come_from_the_sources(flow, content):
    # Written once, in the guide: its legal basis, or for a source that cites no law the source itself.
    for procedure in flow["procedures"]:
        guide = next(g for g in content.guides if g.id == procedure["id"])
        references = {c["legal_reference"] for c in procedure["criteria"]} | \
            {d["legal_reference"] for d in procedure["deadlines"]}
        assert len(references) == 1, procedure["id"]
        reference = references.pop()
        source = " ".join(content.source_texts[guide.source].split())
        if guide.legal_basis:
            for law in guide.legal_basis:
                assert f"{law.law}, {law.articles}" in reference
                # The law's exact name, as its own source gives it (in whatever country and language).
                assert " ".join(str(law.law).split()) in source, (guide.id, str(law.law))
        else:
            # The source cites no law: no reference, and the result says so, as the guide does
            # (not the source's title as if it were a law).
            assert reference == ""
            assert not re.search(r"\b(ley|decreto|art)", " ".join(content.source_texts[guide.source].split()[:200]),
                                 re.IGNORECASE)
    assert "legal_reference" not in QUIZ.read_text(encoding="utf-8")


def test_a_result_for_a_source_without_law_says_it_cites_none(flow):
    answers = {"pais": "chile", "nacionalidad": "no", "explotacion": "si", "trafico": "si", "institucion": "si",
               "fiscalia": "si"}
    html = _result_html(flow, evaluate(flow, answers, DEFAULT_TODAY))
    assert f'{escape(flow["strings"]["legal-reference"])}: {escape(flow["strings"]["no-law-in-source"])}' in html
    assert "Servicio Nacional de Migraciones (SERMIG) «Residence" not in html and "()" not in html


def test_every_quiz_procedure_is_a_guide(project):
    quiz_file = project / "procedures" / QUIZ_FILE
    lines = quiz_file.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(number for number, text in enumerate(lines, 1) if text == "  - id: chile-victimas-trafico\n")
    lines[line - 1] = "  - id: no-existe\n"
    quiz_file.write_text("".join(lines), encoding="utf-8")
    settings = read_project(project / "mkdocs.yml")
    with pytest.raises(ContentError) as error:
        load_content(settings.content_dir, settings.sources_dir)
    expected = f"procedures/{QUIZ_FILE}:{line}: procedures[3].id refers to procedure 'no-existe', which does not exist"
    assert any(str(problem).startswith(expected) for problem in error.value.problems), error.value.report()


def test_flow_without_content_is_enough_for_the_engine(quiz):
    result = evaluate(build_flow(quiz), {"pais": "otro"}, DEFAULT_TODAY)
    assert result["done"]
    assert result["outcomes"][0]["title"] == "espana-victimas-trata" and result["outcomes"][0]["next_steps"] == []


def test_quiz_texts_get_translation_contexts(quiz, content):
    question = next(q for q in quiz.questions if q.type == "country")
    assert question.text.context == f"quiz.questions.{question.id}.text"
    # The countries' answers are words of countries.yml; the others are the quiz's own.
    first = content.countries[0]
    assert question.options[0].label.context == f"countries.countries.{first.code}.quiz_label"
    assert question.options[-1].label.context == f"quiz.questions.{question.id}.options.no-se.label"
    assert load_content(REPO / "procedures", REPO / "procedures" / "sources").interface["summary-likely"].context \
        == "interface.quiz.summary-likely"
    assert question.text.origin[0] == f"procedures/{QUIZ_FILE}"


# --- the quiz file's own checks ----------------------------------------------------------------


def _broken(tmp_path, old: str, new: str) -> list[str]:
    text = QUIZ.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / QUIZ_FILE
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # The country question offers the countries of the countries.yml beside quiz.yml.
    (tmp_path / COUNTRIES_FILE).write_bytes((QUIZ.parent / COUNTRIES_FILE).read_bytes())
    with pytest.raises(ContentError) as error:
        load_quiz(path, f"procedures/{QUIZ_FILE}")
    return [str(problem) for problem in error.value.problems]


def _line_of(needle: str) -> int:
    return next(i for i, line in enumerate(QUIZ.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def _index(section: str, item_id: str) -> int:
    """Where an item is in quiz.yml's list (questions, criteria…), as an error names it."""
    items = yaml.safe_load(QUIZ.read_text(encoding="utf-8"))[section]
    return next(index for index, item in enumerate(items) if item["id"] == item_id)


def test_a_question_without_dont_know_is_refused(tmp_path):
    problems = _broken(tmp_path, """      - value: no-se
        label: No, o no lo sé
""", "")
    assert any("has no answer with value no-se" in p for p in problems), problems


def test_a_criterion_on_an_unknown_answer_is_refused(tmp_path):
    # The first criterion met by «Sí» (a plain-words question's).
    criterion = next(c for c in yaml.safe_load(QUIZ.read_text(encoding="utf-8"))["criteria"] if c.get("met") == ["si"])
    anchor = f"  - id: {criterion['id']}\n    question: {criterion['question']}\n    met: [si]\n"
    problems = _broken(tmp_path, anchor, anchor.replace("met: [si]", "met: [sii]"))
    line = _line_of(f"  - id: {criterion['id']}") + 2
    assert problems == [f"procedures/{QUIZ_FILE}:{line}: criteria[{_index('criteria', criterion['id'])}].met refers to "
                        f"an answer of '{criterion['question']}' 'sii', which does not exist (did you mean 'si'?)"]


def test_ask_if_must_look_back(tmp_path):
    # The question `red`, the first one asked only in Spain (or with the country unknown).
    anchor = "    ask_if:\n      pais: [espana, no-se]\n    options:\n      - value: si\n        label: Sí\n      - value: \"no\"\n"
    text = QUIZ.read_text(encoding="utf-8")
    assert text.index(anchor) > text.index("  - id: red\n") > text.index("  - id: explotacion\n")
    assert text.index(anchor) < text.index("  - id: trafico\n")
    problems = _broken(tmp_path, anchor, anchor.replace("pais: [espana, no-se]", "tramite: [admitida]"))
    line = _line_of("      pais: [espana, no-se]")  # the first one is red's: the ask_if line reported
    assert problems == [f"procedures/{QUIZ_FILE}:{line}: questions[{_index('questions', 'red')}].ask_if.tramite "
                        "refers to 'tramite', which is not asked before this question"], problems


def test_unknown_field_and_unquoted_no_are_reported_with_their_line(tmp_path):
    extranjera = _index("criteria", "extranjera")
    problems = _broken(tmp_path, "    met: [\"no\"]\n", "    met: [no]\n")
    assert any(re.search(rf"quiz\.yml:\d+: criteria\[{extranjera}\]\.met\[0\] must be text", p) for p in problems), problems
    problems = _broken(tmp_path, "    text_met: Estás en España.\n", "    text_mett: Estás en España.\n")
    line = _line_of("    text_met: Estás en España.")
    where = f"criteria[{_index('criteria', 'en-espana')}]"
    assert problems == [f"procedures/{QUIZ_FILE}:{_line_of('  - id: en-espana')}: {where}.text_met is required but missing",
                        f"procedures/{QUIZ_FILE}:{line}: {where}.text_mett is not a known field (did you mean 'text_met'?)"]


INTERFACE = REPO / "procedures" / "interface.yml"


def _broken_words(tmp_path, old: str, new: str) -> list[str]:
    """The problems of the content with interface.yml edited (the one word table)."""
    import shutil
    project = read_project(REPO / "mkdocs.yml")
    import tempfile
    root = Path(tempfile.mkdtemp(dir=tmp_path)) / "procedures"
    shutil.copytree(project.content_dir, root)
    text = INTERFACE.read_text(encoding="utf-8")
    assert old in text, old
    (root / "interface.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_content(root, root / "sources")
    return [str(problem) for problem in error.value.problems]


def _word_line(needle: str) -> int:
    return next(i for i, line in enumerate(INTERFACE.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_every_word_the_code_uses_is_in_the_table_and_no_other(tmp_path):
    # A missing word would stop the build with a KeyError instead of naming the file and line.
    missing = _broken_words(tmp_path, "  choose-one: Elige una respuesta para seguir.\n", "")
    assert any(p.startswith("procedures/interface.yml:") and "quiz has no 'choose-one': the quiz pages use it" in p
               for p in missing), missing
    missing = _broken_words(tmp_path, "  mode-online: Por internet\n", "")
    assert any(p.startswith("procedures/interface.yml:") and "strings has no 'mode-online': the page templates use it" in p
               for p in missing), missing
    # A word nothing shows would still be sent to translators in every language.
    line = _word_line("  choose-one:")
    unused = _broken_words(tmp_path, "  choose-one: Elige", "  unused-word: Nada.\n  choose-one: Elige")
    assert f"procedures/interface.yml:{line}: quiz.unused-word is used by no quiz page" in " ".join(unused), unused
    line = _word_line("  permalink:")
    unused = _broken_words(tmp_path, "  permalink:", "  old-word: Nada.\n  permalink:")
    assert f"procedures/interface.yml:{line}: strings.old-word is used by no page template" in " ".join(unused), unused
    # One key, one wording: not in both sections.
    twice = _broken_words(tmp_path, "  choose-one: Elige", "  documents: Papeles\n  choose-one: Elige")
    assert any("quiz.documents is also in strings" in p for p in twice), twice


def test_the_page_words_are_named_in_full_where_the_code_uses_them():
    # Keys are written out, never built at run time: the check above can only see written names.
    from amparo.content import interface_words as words_module
    from amparo.content.interface_words import PAGE_WORDS
    code = "".join(path.read_text(encoding="utf-8") for path in sorted((REPO / "amparo").rglob("*.py"))
                   if path.name != "interface_words.py")
    code += "".join(path.read_text(encoding="utf-8") for path in sorted((REPO / "amparo" / "templates").glob("*")))
    assert not re.search(r"""\bw(?:ords)?\(\s*f?["'][a-z-]+-["']\s*[+~]|\bw(?:ords)?\(\s*f["'][a-z-]*\{""", code)
    # Every word the code asks for by name is registered (so the check can find it missing)…
    called = set(re.findall(r"""\b(?:w|words|self\.words)\(\s*["']([a-z0-9-]+)["']""", code))
    called |= set(re.findall(r"""\bwords\[\s*["']([a-z0-9-]+)["']\s*\]""", code))
    assert called - set(PAGE_WORDS) - set(words_module.QUIZ_WORDS) == set(), called - set(PAGE_WORDS)
    code += "".join(path.read_text(encoding="utf-8") for path in sorted((REPO / "overrides").rglob("*.html")))
    written = {key for key in set(PAGE_WORDS) if re.search(rf"""["']{re.escape(key)}["']""", code)}
    from amparo.content import interface_words as words
    mapped = {value for name in dir(words) if name.endswith("_WORDS") and isinstance(getattr(words, name), dict)
              for value in getattr(words, name).values()}
    # …and every registered word is used somewhere, by name or through a map of amparo/content/interface_words.py.
    assert set(PAGE_WORDS) - written - mapped == set()


def test_the_list_of_page_words_is_the_words_the_pages_use():
    from amparo.content.interface_words import ENGINE_STRINGS, PAGE_STRINGS

    used = set()
    for path in (REPO / "amparo" / "render" / "quiz_pages.py", REPO / "overrides" / "assets" / "quiz" / "quiz.js",
                 *sorted((REPO / "amparo" / "templates").glob("quiz-*.html"))):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""words\[["']([a-z-]+)["']\]""", text)) | set(re.findall(r"\bwords\.([a-z]+)\b", text))
    # The outcome's status word, named in full in amparo/content/interface_words.py.
    from amparo.content.interface_words import STATUS_WORDS
    used |= set(STATUS_WORDS.values())
    assert used - set(ENGINE_STRINGS) == set(PAGE_STRINGS)


# --- the checks of what the answers choose ------------------------------------------------------


def test_a_condition_on_an_unknown_question_or_answer_is_refused_with_its_line(tmp_path):
    problems = _broken(tmp_path, "      institucion: [si]\n", "      institucon: [si]\n")
    line = _line_of("      institucion: [si]")
    assert any(p.startswith(f"procedures/{QUIZ_FILE}:{line}: first_steps[") and ".when.institucon refers to question "
               "'institucon', which does not exist (did you mean 'institucion'?)" in p for p in problems), problems
    problems = _broken(tmp_path, "      fiscalia: [si]\n", "      fiscalia: [sii]\n")
    assert any(".when.fiscalia refers to an answer of 'fiscalia' 'sii', which does not exist (did you mean 'si'?)" in p
               for p in problems), problems


def test_a_procedure_without_a_default_first_step_is_refused(tmp_path):
    problems = _broken(tmp_path, "    first_step: [fiscalia-lleva-caso, fiscalia-presenta]\n",
                       "    first_step: [fiscalia-lleva-caso]\n")
    line = _line_of("    first_step: [fiscalia-lleva-caso, fiscalia-presenta]")
    assert f"procedures/{QUIZ_FILE}:{line}: procedures[3].first_step has no default: its last first step, " \
           "'fiscalia-lleva-caso', has a `when`; end with one without, so that every reader gets a first step" in problems
    assert any("first_steps[" in p and ".id is used by no procedure" in p for p in problems), problems
    problems = _broken(tmp_path, "    first_step: [fiscalia-lleva-caso, fiscalia-presenta]\n",
                       "    first_step: [fiscalia-presenta, fiscalia-lleva-caso]\n")
    assert any("lists 'fiscalia-presenta', which has no `when`, before fiscalia-lleva-caso: they are never shown" in p
               for p in problems), problems


def test_a_chosen_text_without_passages_is_refused_with_its_line(tmp_path):
    old = """    text: >-
      Pide una tarjeta de identidad de extranjero nueva en el plazo de {duration} desde la
      concesión de la autorización definitiva. La hoja oficial no dice dónde se pide.
    passages:
      - source: es-hoja-38
        quote: >-
          exige la necesidad de tramitar, en un mes desde la concesión, una nueva tarjeta de
          identidad de extranjero.
      - source: es-hoja-37
        quote: >-
          exige la necesidad de tramitar, en un mes desde la concesión, una nueva tarjeta de
          identidad de extranjero.
"""
    problems = _broken(tmp_path, old, old[:old.index("    passages:")])
    lines = QUIZ.read_text(encoding="utf-8").splitlines()
    line = lines.index("  - id: nueva-tarjeta", lines.index("first_steps:")) + 1
    assert f"procedures/{QUIZ_FILE}:{line}: first_steps[0] has no passages: quote the words of the source it says" \
        in problems, problems


def test_a_stage_that_is_not_an_answer_and_an_order_not_starting_with_no_se_are_refused(tmp_path):
    problems = _broken(tmp_path, "    stage: concedida\n", "    stage: concedido\n")
    line = _line_of("    stage: concedida")
    assert any(p.startswith(f"procedures/{QUIZ_FILE}:{line}: deadlines[") and "refers to a stage 'concedido'" in p
               for p in problems), problems
    problems = _broken(tmp_path, "  order: [no-se, reflexion, admitida, concedida, definitiva]\n",
                       "  order: [reflexion, no-se, admitida, concedida, definitiva]\n")
    assert any("stages.order must start with no-se" in p for p in problems), problems
    problems = _broken(tmp_path, "  order: [no-se, reflexion, admitida, concedida, definitiva]\n",
                       "  order: [no-se, reflexion, admitida, definitiva]\n")
    assert any("stages.order must list every answer of 'tramite' once" in p for p in problems), problems


def test_quiz_yml_as_first_written_is_still_read(tmp_path):
    # `amparo changes` reads earlier revisions, where a procedure had one first_step text (and
    # you_decide) with the procedure's passages: one variant each, named after the procedure.
    text = QUIZ.read_text(encoding="utf-8")
    start = text.index("  - id: chile-victimas-trafico\n    criteria:")
    old = text[start:text.index("\n\n", start)]
    earlier = """  - id: chile-victimas-trafico
    criteria: [residencia-en-chile, extranjera, victima-trafico]
    first_step: Pregunta por este permiso en la fiscalía. Es quien presenta la solicitud.
    passages:
      - source: cl-sermig
        quote: >-
          This application must be submitted by the Ministerio Público (Public Prosecutor’s Office)"""
    path = tmp_path / QUIZ_FILE
    path.write_text(text.replace(old, earlier), encoding="utf-8")
    from amparo.content.loader import _parse_quiz
    # As `amparo changes` reads an earlier revision: without today's checks (its other first
    # steps, now unused, would be reported).
    quiz, _ = _parse_quiz(path, f"procedures/{QUIZ_FILE}", check_rules=False)
    procedure = next(p for p in quiz.procedures if p.id == "chile-victimas-trafico")
    assert procedure.first_step == ["chile-victimas-trafico"] and procedure.you_decide == []
    variant = next(v for v in quiz.first_steps if v.id == "chile-victimas-trafico")
    assert variant.text == "Pregunta por este permiso en la fiscalía. Es quien presenta la solicitud."
    assert variant.passages and not variant.when


def test_a_deadline_still_ahead_of_her_is_its_rule_without_a_place_for_a_date(flow):
    # In the reflection period she is asked that date only: the fee, the card and the new card are
    # what comes, and the live result offers no date for them ("si nos dices el día…" would be untrue).
    from amparo.render.quiz_pages import QuizRenderer, QuizWalk
    answers = {"pais": "espana", "nacionalidad": "no", "explotacion": "si", "red": "si", "identificacion": "si",
               "colaboracion": "si", "tramite": "reflexion", "fecha-reflexion": "no-se"}
    result = evaluate(flow, answers, DEFAULT_TODAY)
    asked = {d["id"]: d["date_asked"] for d in result["outcomes"][0]["deadlines"]}
    assert asked == {"reflexion": True, "tasa": False, "tarjeta": False, "nueva-tarjeta": False}
    html = QuizRenderer(QuizWalk([], [], []), flow).live_screen(result)
    assert html.count('data-deadline="reflexion"') == 1
    assert 'data-deadline="tasa"' not in html and "Último día para pagar la tasa" in html
