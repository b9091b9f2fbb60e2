"""Every reachable path through a flow, for review and for the static (no-JavaScript) quiz.

A path answers each question the engine asks with one of its choices, until the quiz is done.
Date questions are answered `no-se`: dates change deadlines, never a status.
"""

from __future__ import annotations

from .engine import NO_SE, evaluate

# Any fixed past day will do: a walk enters no date, so it changes nothing but keeps runs
# identical (the build's walks and `amparo changes` use it too).
WALK_TODAY = "2025-01-01"


def enumerate_paths(flow: dict) -> list[dict]:
    """`[{answers: {question id: value}, outcome: {procedure id: status}}]`, in flow order."""
    paths: list[dict] = []

    def walk(answers: dict) -> None:
        result = evaluate(flow, answers, WALK_TODAY)
        question = result["next"]
        if question is None:
            paths.append({"answers": dict(answers),
                          "outcome": {o["procedure"]: o["status"] for o in result["outcomes"]}})
            return
        values = [NO_SE] if question["type"] == "date" else [o["value"] for o in question["options"]]
        for value in values:
            answers[question["id"]] = value
            walk(answers)
            del answers[question["id"]]

    walk({})
    return paths


def walk_nodes(flow: dict):
    """Every state the quiz can be in, once: (answers so far, evaluate result). For tests and
    for the static version, which renders one page per state."""
    stack = [{}]
    while stack:
        answers = stack.pop()
        result = evaluate(flow, answers, WALK_TODAY)
        yield answers, result
        question = result["next"]
        if question is None:
            continue
        values = [NO_SE] if question["type"] == "date" else [o["value"] for o in question["options"]]
        for value in reversed(values):
            stack.append({**answers, question["id"]: value})


def screen_key(result: dict) -> str:
    """What a result looks like on screen, as a short key: the question asked (with the answers
    offered and the one before it), or each permit's status and why. Two states with the same key
    show the same screen. The live quiz (quiz.js) computes the same key from the engine's result,
    to check it against the state table built from this walk."""
    question = result["next"]
    if question is not None:
        values = ",".join(option["value"] for option in question["options"])
        return f"q:{question['id']}:{values}:{question['previous'] or ''}"
    marks = {True: "+", False: "-", None: "?"}
    return "r:" + ";".join(
        f"{outcome['procedure']}={outcome['status']}:" + ",".join(reason["criterion"] + marks[reason["met"]]
                                                                 for reason in outcome["reasons"])
        for outcome in result["outcomes"])


def state_graph(flow: dict) -> list[dict]:
    """Every state once, numbered (0 is the start): `{answers, result, next: {answer value: state
    number}}`. A date question has one way on, `no-se`: a date leads where `no-se` does, since
    dates change deadlines, never which question comes next or a status."""
    states: list[dict] = []
    numbers: dict[tuple, int] = {}

    def visit(answers: dict) -> int:
        key = tuple(sorted(answers.items()))
        if key in numbers:
            return numbers[key]
        result = evaluate(flow, answers, WALK_TODAY)
        state = {"answers": answers, "result": result, "next": {}}
        numbers[key] = len(states)
        states.append(state)
        question = result["next"]
        if question is not None:
            values = [NO_SE] if question["type"] == "date" else [o["value"] for o in question["options"]]
            for value in values:
                state["next"][value] = visit({**answers, question["id"]: value})
        return numbers[key]

    visit({})
    return states
