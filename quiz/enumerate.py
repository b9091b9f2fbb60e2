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


def deadline_dates(flow: dict, states: list[dict], days: list[str]) -> dict:
    """What a date answer changes on a result, for every day in `days` (`YYYY-MM-DD`, in order):
    `{date question: {procedure: {deadline: [its date or None, one per day]}}}`, each date the
    engine's own, from `evaluate`.

    A date changes the deadlines it starts and nothing else (`state_graph`): so for each date
    question, the results that count it (the final states of `states` where it was answered
    `no-se`) are evaluated again with each day instead, the fewest of them that show every
    deadline it starts. Should two results ever give one deadline different dates for the same
    day, the deadline's date would depend on more than its date, and no table could hold it: that
    raises ValueError.
    """
    question_of = {(procedure["id"], limit["id"]): limit.get("question")
                   for procedure in flow["procedures"] for limit in procedure.get("deadlines", ())}
    date_questions = [question["id"] for question in flow["questions"] if question["type"] == "date"]
    # The last day as `today`: the engine refuses start dates after it.
    today = days[-1] if days else WALK_TODAY
    table: dict = {}
    for question in date_questions:
        shown: dict[frozenset, dict] = {}
        for state in states:
            if state["result"]["next"] is not None or state["answers"].get(question) != NO_SE:
                continue
            keys = frozenset((outcome["procedure"], limit["id"]) for outcome in state["result"]["outcomes"]
                             for limit in outcome["deadlines"] if question_of.get((outcome["procedure"], limit["id"])) == question)
            if keys:
                shown.setdefault(keys, state["answers"])
        # The fewest results that show every deadline of this question (greedy: there are few).
        wanted = frozenset().union(*shown) if shown else frozenset()
        chosen, covered = [], frozenset()
        while covered != wanted:
            keys = max(shown, key=lambda k: len(k - covered))
            chosen.append((keys, shown[keys]))
            covered |= keys
        columns: dict = {}
        for keys, answers in chosen:
            for index, day in enumerate(days):
                result = evaluate(flow, {**answers, question: day}, today)
                for outcome in result["outcomes"]:
                    for limit in outcome["deadlines"]:
                        if (outcome["procedure"], limit["id"]) not in keys:
                            continue
                        column = columns.setdefault(outcome["procedure"], {}).setdefault(limit["id"], [_UNSET] * len(days))
                        if column[index] is not _UNSET and column[index] != limit["date"]:
                            raise ValueError(f"deadline {limit['id']} of {outcome['procedure']}: two dates for {day}")
                        column[index] = limit["date"]
        if columns:
            table[question] = {procedure: {limit: [None if end is _UNSET else end for end in column]
                                           for limit, column in limits.items()}
                               for procedure, limits in columns.items()}
    return table


_UNSET = object()
