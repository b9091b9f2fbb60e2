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
    return [_path(state["answers"], state["result"]) for state in state_graph(flow) if state["result"]["next"] is None]


def _path(answers: dict, result: dict) -> dict:
    return {"answers": dict(answers),
            "outcome": {o["procedure"]: o["status"] for o in result["outcomes"]},
            "shown": {o["procedure"]: {"first_step": o["first_step_id"], "you_decide": o["you_decide_id"],
                                       "deadlines": [limit["id"] for limit in o["deadlines"]]}
                      for o in result["outcomes"] if o["status"] != NOT_APPLICABLE},
            "notes": [note["id"] for note in [*result["notes"], *result["silences"]]]}


def walk_nodes(flow: dict):
    """Every state the quiz can be in, once, in state_graph's order: (answers so far, evaluate
    result). For tests and for the engine's check under Pyodide."""
    return ((state["answers"], state["result"]) for state in state_graph(flow))


def state_graph(flow: dict, start: dict | None = None) -> list[dict]:
    """Every state once, numbered (0 is the start): `{answers, result, next: {answer value: state
    number}}`, in flow order (each state before the ones its answers lead to, the answers in the
    order the question offers them). `start`: answers already given (by default none). A date
    question has one way on, `no-se`: a date leads where `no-se` does, since dates change
    deadlines, never which question comes next or a status. The one walk of the quiz: every
    other (the paths, the static version, the reviewers' report) reads this one."""
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

    visit(dict(start or {}))
    return states
