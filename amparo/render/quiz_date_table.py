"""The live quiz's date table: what a date answer changes on a result, for every day of a window
around the build's day, each date the engine's own. Build time only (the browser's engine does
not need it, so it is not in the wheel); the language-free part, before quiz_page.py writes each
language's texts.
"""

from __future__ import annotations

from datetime import date, timedelta

from quiz.engine import NO_SE, evaluate
from quiz.enumerate import WALK_TODAY

# The window: from the first day of the month two years before the build to the last day of the
# month a year after it. A year after: a site deployed a year ago still covers the reader's
# today. Two years before (three, a year after the build): every deadline the quiz counts today
# ends within about three months of its start (the longest is a reflection period of at least 90
# days), so a start date two years old gives a deadline long past; she still sees it, and an
# older date is computed by the engine on her device, as every date was before the table. Each
# month of the window costs about 110 bytes compressed per language (4 KB in all).
YEARS_BEFORE = 2
YEARS_AFTER = 1


def date_window(today: date) -> list[str]:
    """Every day of the window around `today` (the build's day), `YYYY-MM-DD`."""
    first = date(today.year - YEARS_BEFORE, today.month, 1)
    end = today.year + YEARS_AFTER + today.month // 12, today.month % 12 + 1
    return [(first + timedelta(days=n)).isoformat() for n in range((date(*end, 1) - first).days)]


def deadline_dates(flow: dict, states: list[dict], days: list[str]) -> dict:
    """What a date answer changes on a result, for every day in `days` (`YYYY-MM-DD`, in order):
    `{date question: {procedure: {deadline: [its date or None, one per day]}}}`, each date the
    engine's own, from `evaluate`.

    A date changes the deadlines it starts and nothing else (quiz.enumerate.state_graph): so for each date
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
