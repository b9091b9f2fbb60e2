"""Property-based tests (Hypothesis): what no input, however odd, may do.

- Mutated real content and catalog files (lines deleted, duplicated or swapped, values of another
  type, random Unicode, broken bytes) raise nothing but a ContentError, whose every problem names
  a file and a line.
- The engine, with any JSON value as answers, on the real flow and on random valid flows: never
  raises, always terminates, and keeps its promises: a permit is ruled out only by an answer that
  rules it out; "No lo sé" (no-se) never rules one out; an answer to a question that was not asked
  never changes a result; what she reads next is the first variant whose condition holds, and no
  deadline of an earlier stage than hers is listed.

2,300 examples in all by default (each test says how many), as `make test` runs them;
AMPARO_HYPOTHESIS=thorough runs 20 times as many, and AMPARO_HYPOTHESIS=quick a fifth (the
editors' loop, `make test-fast`: every property, fewer draws). No example database: every run
draws afresh, and a failure prints how to reproduce it.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.project import read_project
from amparo.content.errors import ContentError
from amparo.i18n.catalogs import Localizer, Translations, read_catalog
from amparo.content.loader import load_content
from amparo.render.quiz_flow import build_flow
from amparo.i18n.term_base import TermBase
from quiz import evaluate
from quiz.engine import NO_SE

REPO = Path(__file__).resolve().parents[1]
SCALE = {"thorough": 20, "quick": 0.2}.get(os.environ.get("AMPARO_HYPOTHESIS", ""), 1)
TODAY = "2025-06-30"
settings.register_profile("amparo", database=None, print_blob=True, deadline=None)
settings.load_profile("amparo")


def examples(count: int):
    return settings(max_examples=round(count * SCALE), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- mutations of the real files ----------------------------------------------------------------

SWAPPED_VALUES = ["[]", "{}", "0", "-1", "3.5", "1e400", "true", "no", "null", "~", "2025-01-01", "2025-02-30",
                  '"x"', "''", "[a, b]", "{a: 1}", "|", ">-", "&a x", "*a", "!!str x", "!!binary x", '"\\u202e"',
                  '"\\0"', "- a", "? b", "kind: procedure", "id: otra", "[", "{", '"', "'"]


@st.composite
def mutated(draw, texts: dict[str, str]) -> tuple[str, bytes]:
    """One real file, changed one way an editor (or a merge) might."""
    name = draw(st.sampled_from(sorted(texts)))
    lines = texts[name].splitlines(keepends=True)
    index = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["delete", "delete-block", "duplicate", "swap", "value", "unicode", "byte", "truncate"]))
    if kind == "delete":
        del lines[index]
    elif kind == "delete-block":
        del lines[index:index + draw(st.integers(2, 12))]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "swap":
        other = draw(st.integers(0, len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "value":
        line = lines[index]
        head, colon, _ = line.partition(": ") if ": " in line else line.rstrip("\n").partition(" ")
        lines[index] = head + (colon or " ") + draw(st.sampled_from(SWAPPED_VALUES)) + "\n"
    elif kind == "unicode":
        line = lines[index]
        at = draw(st.integers(0, len(line)))
        lines[index] = line[:at] + draw(st.text(min_size=1, max_size=6)) + line[at:]
    elif kind == "truncate":
        lines = lines[:index]
    data = "".join(lines).encode("utf-8")
    if kind == "byte" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    return name, data


def _assert_well_formed(error: ContentError) -> None:
    assert error.problems
    for problem in error.problems:
        assert isinstance(problem.file, str) and problem.file
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert str(problem)


@pytest.fixture(scope="module")
def content_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("content")
    shutil.copytree(REPO / "procedures", root / "procedures", ignore=shutil.ignore_patterns("__pycache__"))
    return root / "procedures"


def _content_texts(folder: Path) -> dict[str, str]:
    paths = [*folder.glob("*.yml"), *(folder / "guides").glob("*.yml"), folder / "locale/reviews.yml"]
    return {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8") for path in paths}


CONTENT = _content_texts(REPO / "procedures")


@examples(500)
@given(change=mutated(CONTENT))
def test_mutated_content_raises_only_content_errors(content_copy, change):
    name, data = change
    path = content_copy / name
    try:
        path.write_bytes(data)
        try:
            content = load_content(content_copy, content_copy / "sources")
        except ContentError as error:
            _assert_well_formed(error)
            return
        # What the build does next with content that passed: the quiz flow and every text.
        json.dumps(build_flow(content.quiz, content))
        assert all(text.origin for text in content.texts())
    finally:
        path.write_text(CONTENT[name], encoding="utf-8")


def _catalog_head(language: str, entries: int = 30) -> str:
    """The real catalog's header and first entries: small enough to read hundreds of times."""
    text = (REPO / f"procedures/locale/{language}.po").read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    return "\n\n".join(blocks[: entries + 1]) + "\n"


CATALOGS = {f"{language}.po": _catalog_head(language) for language in ("fr", "ar", "zh")}


@pytest.fixture(scope="module")
def spanish_texts():
    project = read_project(REPO / "mkdocs.yml")
    return list(load_content(project.content_dir, project.sources_dir).texts())


@examples(400)
@given(change=mutated(CATALOGS))
def test_mutated_catalogs_raise_only_content_errors(content_copy, spanish_texts, change):
    name, data = change
    language = name.removesuffix(".po")
    path = content_copy / "locale" / name
    original = path.read_bytes()
    try:
        path.write_bytes(data)
        try:
            read_catalog(path, language, f"procedures/locale/{name}")
        except ContentError as error:
            _assert_well_formed(error)
        # The build's reading never raises: an unreadable catalog is a problem, the texts Spanish.
        translations = Translations.load(content_copy, language)
        localizer = Localizer(translations, content_copy)
        for text in spanish_texts:
            assert str(localizer(text))
        for problem in localizer.problems:
            assert problem.line >= 1 and problem.file
    finally:
        path.write_bytes(original)


TERM_BASE = {"locale/terms.yml": (REPO / "procedures/locale/terms.yml").read_text(encoding="utf-8")}


@examples(300)
@given(change=mutated(TERM_BASE))
def test_a_mutated_term_base_raises_only_content_errors(content_copy, spanish_texts, change):
    name, data = change
    path = content_copy / name
    languages = read_project(REPO / "mkdocs.yml").languages
    try:
        path.write_bytes(data)
        try:
            terms = TermBase.load(content_copy, languages)
        except ContentError as error:
            _assert_well_formed(error)
            return
        # A term base that loads checks any text without raising.
        for text in spanish_texts[:40]:
            for language in ("pt", "ar", "zh"):
                assert isinstance(terms.term_problems(str(text), str(text), language, text.context), list)
                assert isinstance(terms.variant_problems(str(text), language), list)
    finally:
        path.write_text(TERM_BASE[name], encoding="utf-8")


# --- the engine ---------------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
DAYS = st.dates().map(lambda day: day.isoformat())


@pytest.fixture(scope="module")
def flow():
    project = read_project(REPO / "mkdocs.yml")
    content = load_content(project.content_dir, project.sources_dir)
    return build_flow(content.quiz, content)


def answers_for(flow: dict):
    """Any JSON value; mostly an object whose keys are the flow's questions (and some others) and
    whose values are its answers, dates, or anything else."""
    ids = [question["id"] for question in flow["questions"]]
    values = sorted({option["value"] for question in flow["questions"] for option in question["options"]})
    value = st.sampled_from(values) | DAYS | JSON
    return st.dictionaries(st.sampled_from(ids) | st.text(max_size=6), value, max_size=len(ids) + 2) | JSON


def check_result(flow: dict, result: dict) -> None:
    """The shape, and: every permit ruled out is ruled out by a counted answer its criterion
    lists as unmet, and that answer is never no-se."""
    json.dumps(result)
    assert result["done"] is (result["next"] is None)
    counted = {answer["id"]: answer["answer"] for answer in result["asked"]}
    assert NO_SE not in {value for criterion in _criteria(flow) for value in criterion.get("unmet", ())}
    for procedure, outcome in zip(flow["procedures"], result["outcomes"]):
        assert outcome["procedure"] == procedure["id"]
        states = [counted.get(c["question"]) in c.get("met", ()) if counted.get(c["question"]) in
                  (*c.get("met", ()), *c.get("unmet", ())) else None for c in procedure["criteria"]]
        ruling = [counted[c["question"]] for c in procedure["criteria"]
                  if c["question"] in counted and counted[c["question"]] in c.get("unmet", ())]
        if outcome["status"] == "not_applicable":
            assert ruling, f"{procedure['id']} ruled out by no answer that rules it out"
            assert NO_SE not in ruling
        else:
            assert not ruling
        assert (outcome["status"] == "likely") is all(state is True for state in states)
        _check_what_she_reads(flow, procedure, outcome, counted)
    # A note is said only when its condition holds on the counted answers.
    for group in ("notes", "silences"):
        for note in result.get(group, ()):
            rule = next(n for n in flow[group] if n["id"] == note["id"])
            assert all(counted.get(gate) in values for gate, values in (rule.get("when") or {}).items()), note


def _check_what_she_reads(flow: dict, procedure: dict, outcome: dict, counted: dict) -> None:
    """The first step and what she decides are the first variants whose condition holds on the
    counted answers; no deadline of an earlier stage than her answer is listed."""
    def first(variants):
        return next((v for v in variants or () if all(counted.get(g) in vs for g, vs in (v.get("when") or {}).items())),
                    None)
    if outcome["status"] == "not_applicable":
        assert outcome["first_step_id"] is None and outcome["deadlines"] == []
        return
    chosen = first(procedure.get("first_step"))
    assert outcome["first_step_id"] == (chosen["id"] if chosen else None)
    decided = first(procedure.get("you_decide"))
    assert outcome["you_decide_id"] == (decided["id"] if decided and decided.get("text") else None)
    order = (flow.get("stages") or {}).get("order") or []
    answer = counted.get((flow.get("stages") or {}).get("question"))
    hers = order.index(answer) if answer in order else 0
    stage_of = {limit["id"]: limit.get("stage") for limit in procedure.get("deadlines", ())}
    listed = [limit["id"] for limit in outcome["deadlines"]]
    assert listed == [d for d, stage in stage_of.items() if stage not in order or order.index(stage) >= hers]


def _criteria(flow: dict):
    return [criterion for procedure in flow["procedures"] for criterion in procedure["criteria"]]


def run_session(flow: dict, choose, today: str = TODAY) -> tuple[dict, dict, list[str]]:
    """Answer each next question with `choose(question)` until done; it must end within one
    answer per question. Returns the answers, the final result and the questions asked."""
    answers: dict = {}
    asked: list[str] = []
    for _ in range(len(flow["questions"]) + 1):
        result = evaluate(flow, answers, today)
        check_result(flow, result)
        question = result["next"]
        if question is None:
            return answers, result, asked
        assert question["id"] not in asked, "a question asked twice"
        asked.append(question["id"])
        answers[question["id"]] = choose(question)
    raise AssertionError("the quiz did not end after one answer per question")


def assert_unasked_answers_change_nothing(flow, answers, result, asked, extra, today=TODAY):
    """Any answer to a question the session did not ask leaves the result as it was."""
    unasked = [question["id"] for question in flow["questions"] if question["id"] not in asked]
    for question_id, value in zip(unasked, extra):
        again = evaluate(flow, {**answers, question_id: value}, today)
        assert again == result, f"answering {question_id!r} (not asked) changed the result"


def choice_from(data, today: str = TODAY):
    """Answer with one of the question's options or, for a date question, any day up to today."""
    def choose(question):
        values = [option["value"] for option in question["options"]]
        if question["type"] == "date":
            days = st.dates(max_value=datetime.date.fromisoformat(today)).map(lambda day: day.isoformat())
            return data.draw(st.sampled_from(values) | st.just(today) | days, label=question["id"])
        return data.draw(st.sampled_from(values), label=question["id"])
    return choose


# Days at the ends of the calendar too: a deadline counted from the last days must not overflow.
TODAYS = st.sampled_from(["9999-12-31", "0001-01-01", TODAY]) | DAYS


@examples(500)
@given(data=st.data(), today=st.none() | TODAYS | st.text(max_size=10))
def test_engine_takes_any_json_as_answers(flow, data, today):
    result = evaluate(flow, data.draw(answers_for(flow), label="answers"), today)
    check_result(flow, result)


@examples(300)
@given(data=st.data())
def test_real_flow_sessions_end_and_ignore_unasked_answers(flow, data):
    today = data.draw(TODAYS, label="today")
    answers, result, asked = run_session(flow, choice_from(data, today), today)
    extra = data.draw(st.lists(JSON | st.sampled_from(["si", "no", NO_SE, "2025-01-01"]), min_size=len(flow["questions"]),
                               max_size=len(flow["questions"])), label="unasked answers")
    assert_unasked_answers_change_nothing(flow, answers, result, asked, extra, today)


def test_no_se_everywhere_rules_nothing_out(flow):
    answers, result, asked = run_session(flow, lambda question: NO_SE)
    assert all(outcome["status"] != "not_applicable" for outcome in result["outcomes"])


# --- random valid flows, with the constraints the quiz models enforce -----------------------------


@st.composite
def flows(draw) -> dict:
    """A flow in the engine's format: questions in order, each with a no-se answer, ask_if only on
    earlier questions, date questions with only no-se; criteria never list no-se; options shown
    only for some procedures."""
    procedure_ids = [f"p{index}" for index in range(draw(st.integers(1, 4)))]
    questions = []
    for index in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(["choice", "choice", "date"]))
        values = [NO_SE] if kind == "date" else [f"v{n}" for n in range(draw(st.integers(1, 4)))] + [NO_SE]
        options = []
        for value in values:
            only_for = [] if value == NO_SE else draw(st.lists(st.sampled_from(procedure_ids), max_size=2, unique=True))
            options.append({"value": value, "label": value.upper(), **({"only_for": only_for} if only_for else {})})
        question = {"id": f"q{index}", "type": kind, "text": f"Q{index}?", "help": None, "options": options}
        earlier = [q for q in questions if q["type"] == "choice"]
        if earlier and draw(st.booleans()):
            gate = draw(st.sampled_from(earlier))
            opening = draw(st.lists(st.sampled_from([o["value"] for o in gate["options"]]), min_size=1, unique=True))
            question["ask_if"] = {gate["id"]: opening}
        questions.append(question)
    choice_questions = [q for q in questions if q["type"] == "choice"]
    date_questions = [q for q in questions if q["type"] == "date"]
    procedures = []
    for procedure_id in procedure_ids:
        criteria = []
        for number, question in enumerate(draw(st.lists(st.sampled_from(choice_questions), max_size=3))
                                          if choice_questions else []):
            values = [o["value"] for o in question["options"] if o["value"] != NO_SE]
            met = draw(st.lists(st.sampled_from(values), unique=True))
            unmet = draw(st.lists(st.sampled_from([v for v in values if v not in met] or values), unique=True))
            unmet = [value for value in unmet if value not in met]
            criteria.append({"id": f"c{number}", "question": question["id"], "met": met, "unmet": unmet,
                             "text_met": "met", "text_unmet": "unmet", "text_unknown": "unknown",
                             "legal_reference": "ref"})
        deadlines = [{"id": f"d{n}", "question": q["id"], "amount": draw(st.integers(1, 400)),
                      "unit": draw(st.sampled_from(["days", "months", "business_days"])),
                      "label": "d", "rule": "r", "counting": "c"}
                     for n, q in enumerate(draw(st.lists(st.sampled_from(date_questions), max_size=2, unique_by=lambda q: q["id"]))
                                           if date_questions else [])]
        procedures.append({"id": procedure_id, "title": procedure_id, "criteria": criteria, "deadlines": deadlines,
                           "first_step": draw(variants(choice_questions, "f", default=True)),
                           "you_decide": draw(variants(choice_questions, "d", default=draw(st.booleans())))})
    flow = {"format": 2, "language": "xx", "strings": {"date-format": "{day}/{month}/{year}"},
            "questions": questions, "procedures": procedures,
            "notes": [{**note, "only_for": draw(st.lists(st.sampled_from(procedure_ids), max_size=2, unique=True))}
                      for note in draw(variants(choice_questions, "n", default=False))],
            "silences": []}
    if choice_questions and draw(st.booleans()):
        # Stages: one question's answers, no-se first; some deadlines belong to one.
        question = draw(st.sampled_from(choice_questions))
        others = draw(st.permutations([o["value"] for o in question["options"] if o["value"] != NO_SE]))
        flow["stages"] = {"question": question["id"], "order": [NO_SE, *others]}
        for procedure in procedures:
            for limit in procedure["deadlines"]:
                limit["stage"] = draw(st.none() | st.sampled_from(flow["stages"]["order"]))
    return flow


@st.composite
def variants(draw, questions: list, prefix: str, default: bool) -> list:
    """Texts chosen by the answers: some with a condition on choice questions, and a default last."""
    found = []
    for number in range(draw(st.integers(0, 3)) if questions else 0):
        question = draw(st.sampled_from(questions))
        values = draw(st.lists(st.sampled_from([o["value"] for o in question["options"]]), min_size=1, unique=True))
        found.append({"id": f"{prefix}{number}", "when": {question["id"]: values},
                      "text": draw(st.none() | st.just(f"{prefix}{number}")) if prefix == "d" else f"{prefix}{number}"})
    if default:
        found.append({"id": f"{prefix}-default", "text": f"{prefix} default"})
    return found


@examples(300)
@given(flow=flows(), data=st.data())
def test_random_flows_end_keep_their_rules_and_ignore_unasked_answers(flow, data):
    today = data.draw(TODAYS, label="today")
    answers, result, asked = run_session(flow, choice_from(data, today), today)
    extra = data.draw(st.lists(JSON | st.sampled_from(["v0", "v1", NO_SE, today]), min_size=len(flow["questions"]),
                               max_size=len(flow["questions"])), label="unasked answers")
    assert_unasked_answers_change_nothing(flow, answers, result, asked, extra, today)
    check_result(flow, evaluate(flow, data.draw(answers_for(flow), label="any answers"), today))
    _, no_se_result, _ = run_session(flow, lambda question: NO_SE, today)
    assert all(outcome["status"] != "not_applicable" for outcome in no_se_result["outcomes"])


def test_a_deadline_past_the_last_day_of_the_calendar_has_no_date(flow):
    # Found by the session test above: the engine raised OverflowError.
    answers = {"pais": "espana", "tramite": "reflexion", "fecha-reflexion": "9999-12-31"}
    answers.update({q["id"]: NO_SE for q in flow["questions"] if q["id"] not in answers})
    result = evaluate(flow, answers, "9999-12-31")
    deadlines = [d for outcome in result["outcomes"] for d in outcome["deadlines"] if d["id"] == "reflexion"]
    assert deadlines and all(d["date"] is None for d in deadlines)


@pytest.mark.parametrize("unit", ["days", "months", "business_days"])
def test_a_deadline_past_the_year_9999_has_no_date_in_any_unit(unit):
    # Found by the random flows: counting months past 9999 raised ValueError.
    flow = {"strings": {}, "questions": [{"id": "start", "type": "date", "text": "?", "options": [{"value": NO_SE, "label": "?"}]}],
            "procedures": [{"id": "p", "criteria": [], "deadlines": [
                {"id": "d", "question": "start", "amount": 3, "unit": unit, "label": "", "rule": "", "counting": ""}]}]}
    result = evaluate(flow, {"start": "9999-12-31"}, "9999-12-31")
    assert result["outcomes"][0]["deadlines"][0]["date"] is None
