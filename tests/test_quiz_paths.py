"""Every path through the quiz: no dead end, nothing unreachable, every answer leads somewhere,
and the committed enumeration (procedures/quiz-paths.json) and reference (quiz/README.md) are current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amparo.cli import main
from amparo.render.quiz_flow import PATHS_FILE, QUIZ_FILE, build_flow, load_quiz, paths_json, stale_files
from quiz import enumerate_paths, evaluate
from quiz.enumerate import walk_nodes

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "procedures"
TODAY = "2025-06-30"
REGENERATE = "amparo quiz paths"


@pytest.fixture(scope="module")
def quiz():
    return load_quiz(CONTENT / QUIZ_FILE, f"procedures/{QUIZ_FILE}")


@pytest.fixture(scope="module")
def flow(quiz):
    return build_flow(quiz)


@pytest.fixture(scope="module")
def paths(flow):
    return enumerate_paths(flow)


@pytest.fixture(scope="module")
def nodes(flow):
    return list(walk_nodes(flow))


def test_paths_stay_few_enough_for_a_static_version(paths, nodes):
    # One page per state without JavaScript: keep it in the low hundreds.
    assert 50 <= len(paths) <= 500, len(paths)
    assert len(nodes) <= 1000, len(nodes)


def test_every_path_ends_in_an_outcome(flow, paths):
    procedures = [p["id"] for p in flow["procedures"]]
    for path in paths:
        result = evaluate(flow, path["answers"], TODAY)
        assert result["done"], path["answers"]
        assert list(path["outcome"]) == procedures
        assert {o["procedure"]: o["status"] for o in result["outcomes"]} == path["outcome"]
        # Every answer on the path counted: none was asked for nothing.
        assert [a["id"] for a in result["asked"]] == list(path["answers"])


def test_no_dead_end(nodes):
    for answers, result in nodes:
        if result["done"]:
            assert result["next"] is None
            continue
        question = result["next"]
        values = [o["value"] for o in question["options"]]
        assert "no-se" in values, (answers, question["id"])
        if question["type"] == "choice":
            assert len(values) >= 2, (answers, question["id"])
        else:
            assert values == ["no-se"], (answers, question["id"])


def test_every_question_is_reachable(flow, paths):
    asked = {question for path in paths for question in path["answers"]}
    assert asked == {q["id"] for q in flow["questions"]}


def test_every_answer_is_chosen_on_some_path_and_leads_somewhere(flow, paths, nodes):
    chosen = {(question, value) for path in paths for question, value in path["answers"].items()}
    for question in flow["questions"]:
        for option in question["options"]:
            assert (question["id"], option["value"]) in chosen, (question["id"], option["value"])

    # At each state, each answer offered leads to a different next state (another question, or
    # something else to read): no answer is decoration.
    # The one exception is on purpose: the sources do not define trafficking or smuggling, so a
    # «No» to those plain-words questions leaves the criterion open, exactly as «No lo sé» does.
    # It must be an open answer (no criterion, ask_if or only_for uses it), and only these three.
    open_on_purpose = {("explotacion", "no"), ("red", "no"), ("trafico", "no")}
    used = {(c["question"], v) for p in flow["procedures"] for c in p["criteria"] for v in c["met"] + c["unmet"]}
    used |= {(gate, v) for q in flow["questions"] for gate, values in (q.get("ask_if") or {}).items() for v in values}
    used |= {(q["id"], o["value"]) for q in flow["questions"] for o in q["options"] if o.get("only_for")}
    assert not open_on_purpose & used

    def state(result):
        # What the reader is asked or reads: each permit's status, what is missing, its next step,
        # what she decides and its deadlines, and the result's notes.
        return ((result["next"] or {}).get("id"),
                tuple((o["status"], tuple(o["conditions"]), o["first_step_id"], o["you_decide_id"],
                       tuple(d["id"] for d in o["deadlines"])) for o in result["outcomes"]),
                tuple(note["id"] for note in result["notes"] + result["silences"]))

    said_for: dict[tuple, set] = {}
    for note in flow["notes"] + flow["silences"]:
        for gate, values in (note.get("when") or {}).items():
            for value in values:
                said_for.setdefault((gate, value), set()).add(note["id"])
    alike = set()
    for answers, result in nodes:
        question = result["next"]
        if question is None or question["type"] != "choice":
            continue
        reached = {o["value"]: state(evaluate(flow, {**answers, question["id"]: o["value"]}, TODAY))
                   for o in question["options"]}
        for value, after in reached.items():
            if (question["id"], value) in open_on_purpose:
                # The same question next and the same permits; only a note about what the sources
                # do not cover may be said in addition (one whose `when` names this answer).
                assert after[:2] == reached["no-se"][:2], (answers, question["id"], value)
                added = set(after[2]) - set(reached["no-se"][2])
                assert added <= said_for.get((question["id"], value), set()), (answers, question["id"], value)
                alike.add((question["id"], value))
        distinct = [after for value, after in reached.items() if (question["id"], value) not in open_on_purpose]
        assert len(set(distinct)) == len(distinct), (answers, question["id"])
    assert alike == open_on_purpose


def test_only_the_country_and_the_nationality_rule_a_permit_out(flow, nodes):
    ruled_out_by = set()
    for answers, result in nodes:
        question = result["next"]
        if question is None or question["type"] != "choice":
            continue
        before = {o["procedure"]: o["status"] for o in result["outcomes"]}
        for option in question["options"]:
            after = evaluate(flow, {**answers, question["id"]: option["value"]}, TODAY)
            for outcome in after["outcomes"]:
                if outcome["status"] == "not_applicable" and before[outcome["procedure"]] != "not_applicable":
                    assert question["id"] in ("pais", "nacionalidad"), (answers, question["id"], option["value"])
                    ruled_out_by.add((question["id"], option["value"]))
    # Every answer to the country question but «No lo sé» rules out the permits of the other countries.
    country = flow["questions"][0]
    assert country["id"] == "pais"
    assert ruled_out_by == {("pais", o["value"]) for o in country["options"] if o["value"] != "no-se"} | \
        {("nacionalidad", "si")}


def test_each_permit_can_be_likely_possible_and_not_applicable(flow, paths):
    for procedure in flow["procedures"]:
        statuses = {path["outcome"][procedure["id"]] for path in paths}
        assert statuses == {"likely", "possible", "not_applicable"}, procedure["id"]


def test_dont_know_never_rules_a_permit_out(flow, nodes):
    for answers, result in nodes:
        question = result["next"]
        if question is None:
            continue
        before = {o["procedure"]: o["status"] for o in result["outcomes"]}
        after = evaluate(flow, {**answers, question["id"]: "no-se"}, TODAY)
        for outcome in after["outcomes"]:
            if before[outcome["procedure"]] != "not_applicable":
                assert outcome["status"] != "not_applicable", (answers, question["id"], outcome["procedure"])


def test_enumeration_is_stable(flow, paths):
    assert enumerate_paths(flow) == paths


def test_committed_paths_are_current(quiz):
    committed = CONTENT / PATHS_FILE
    assert committed.exists(), f"procedures/{PATHS_FILE} is missing: run `{REGENERATE}`"
    assert committed.read_text(encoding="utf-8") == paths_json(quiz), (
        f"procedures/{PATHS_FILE} is out of date with procedures/{QUIZ_FILE}: run `{REGENERATE}`, "
        "review the diff (each changed path is a changed result for readers) and commit it")


def test_committed_readme_is_current():
    problems = [str(p) for p in stale_files(REPO, CONTENT) if "README" in p.file]
    assert not problems, "\n".join(problems)


def test_a_changed_quiz_makes_the_committed_files_stale(project):
    quiz_file = project / "procedures" / QUIZ_FILE
    text = quiz_file.read_text(encoding="utf-8")
    # A national of the country she is in would now be told the permits are possible.
    assert "    unmet: [si]\n" in text
    text = text.replace("    unmet: [si]\n", "    unmet: []\n", 1)
    quiz_file.write_text(text.replace("¿En qué país estás ahora?", "¿Dónde estás ahora?", 1), encoding="utf-8")
    (project / "quiz").mkdir(exist_ok=True)
    (project / "quiz" / "README.md").write_text((REPO / "quiz" / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    problems = [str(p) for p in stale_files(project, project / "procedures")]
    assert any(PATHS_FILE in p and REGENERATE in p for p in problems), problems
    assert any("README" in p and "amparo quiz readme" in p for p in problems), problems


def test_paths_command_writes_the_committed_file(project, capsys):
    target = project / "procedures" / PATHS_FILE
    target.unlink()
    assert main(["--config-file", str(project / "mkdocs.yml"), "quiz", "paths"]) == 0
    assert target.read_text(encoding="utf-8") == (CONTENT / PATHS_FILE).read_text(encoding="utf-8")
    assert json.loads(target.read_text(encoding="utf-8"))["count"] > 0
    assert "paths" in capsys.readouterr().out
