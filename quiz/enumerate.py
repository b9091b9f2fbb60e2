"""Every reachable path through a flow, for review and for the static (no-JavaScript) quiz.

A path answers each question the engine asks with one of its choices, until the quiz is done.
Date questions are answered `no-se`: dates change deadlines, never a status.
"""

from __future__ import annotations

from .engine import NO_SE, NOT_APPLICABLE, evaluate, screen_key

__all__ = ["WALK_TODAY", "enumerate_paths", "walk_nodes", "screen_key", "state_graph"]

# Any fixed past day will do: a walk enters no date, so it changes nothing but keeps runs
# identical (the build's walks and `amparo changes` use it too).
WALK_TODAY = "2025-01-01"


def enumerate_paths(flow: dict) -> list[dict]:
    """`[{answers: {question id: value}, outcome: {procedure id: status}, shown: {procedure id:
    {first_step, you_decide, deadlines}}, notes: [note ids]}]`, in flow order: `shown` names, for
    each permit that may apply, the first step and what she decides (variant ids, or None) and
    the deadlines listed; `notes`, the result's notes and silences."""
    paths: list[dict] = []

    def walk(answers: dict) -> None:
        result = evaluate(flow, answers, WALK_TODAY)
        question = result["next"]
        if question is None:
            paths.append({"answers": dict(answers),
                          "outcome": {o["procedure"]: o["status"] for o in result["outcomes"]},
                          "shown": {o["procedure"]: {"first_step": o["first_step_id"], "you_decide": o["you_decide_id"],
                                                     "deadlines": [limit["id"] for limit in o["deadlines"]]}
                                    for o in result["outcomes"] if o["status"] != NOT_APPLICABLE},
                          "notes": [note["id"] for note in [*result["notes"], *result["silences"]]]})
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
