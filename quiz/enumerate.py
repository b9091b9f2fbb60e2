"""Every reachable path through a flow, for review and for the static (no-JavaScript) quiz.

A path answers each question the engine asks with one of its choices, until the quiz is done.
Date questions are answered `no-se`: dates change deadlines, never a status.
"""

from __future__ import annotations

from .engine import NO_SE, evaluate

# Any fixed day will do: no date is entered, so it changes nothing but keeps runs identical.
_TODAY = "2025-01-01"


def enumerate_paths(flow: dict) -> list[dict]:
    """`[{answers: {question id: value}, outcome: {procedure id: status}}]`, in flow order."""
    paths: list[dict] = []

    def walk(answers: dict) -> None:
        result = evaluate(flow, answers, _TODAY)
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
        result = evaluate(flow, answers, _TODAY)
        yield answers, result
        question = result["next"]
        if question is None:
            continue
        values = [NO_SE] if question["type"] == "date" else [o["value"] for o in question["options"]]
        for value in reversed(values):
            stack.append({**answers, question["id"]: value})
