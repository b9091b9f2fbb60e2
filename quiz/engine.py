"""The eligibility engine: a flow (questions and rules as data) + answers → next question and outcomes.

Standard library only: it runs in the browser under Pyodide and in CPython ≥ 3.11. The flow
holds every reader-facing text already in one language, so nothing here knows any language.
The flow format is described in quiz/README.md.

How an answer counts
--------------------
Questions are read in flow order. A question is *relevant* when its `ask_if` conditions hold
(on answers that counted before it) and at least one procedure it can still change is not yet
ruled out. A relevant question with a valid answer *counts*; its criteria may rule procedures
out, which can make later questions irrelevant. Answers to irrelevant questions are ignored
(the caller keeps them: if an earlier answer changes back, they count again). The first
relevant question without a valid answer is the next question; when there is none, the quiz
is done. Invalid values, unknown ids and dates after `today` are ignored, never an error.

What the answers choose
-----------------------
Besides a permit's status, the answers choose what the reader reads next: a permit's first step
and what she decides are lists of variants, each with a `when` condition written like `ask_if`;
the first whose condition holds is shown (a variant without one always holds). A deadline may
belong to a stage of the procedure (the flow's `stages`: one question's answers, earliest first):
a deadline of an earlier stage than the reader's answer is not listed. Result notes (`notes`,
`silences`) are shown when their condition holds and one of their permits may apply.
"""

from __future__ import annotations

from datetime import date

from .dates import deadline, parse_iso

NO_SE = "no-se"
# A permit's status in a result, most hopeful first.
LIKELY, POSSIBLE, NOT_APPLICABLE = STATUSES = ("likely", "possible", "not_applicable")
# Each status's sentence in the flow's strings, named in full (amparo/content/interface_words.py checks the table has them).
SUMMARY_KEYS = {LIKELY: "summary-likely", POSSIBLE: "summary-possible", NOT_APPLICABLE: "summary-not-applicable"}


def _procedures_of_questions(flow: dict) -> dict[str, set]:
    """Which procedures each question can still change: through a criterion, a deadline (its date
    or its stage), a variant's or a note's condition, or by gating (`ask_if`) a question that can."""
    touches: dict[str, set] = {question["id"]: set() for question in flow["questions"]}

    def add(question_id, procedure_ids) -> None:
        if question_id in touches:
            touches[question_id].update(procedure_ids)

    stage_question = (flow.get("stages") or {}).get("question")
    for procedure in flow["procedures"]:
        for criterion in procedure["criteria"]:
            add(criterion["question"], [procedure["id"]])
        for limit in procedure.get("deadlines", ()):
            if limit.get("question"):
                add(limit["question"], [procedure["id"]])
            if limit.get("stage") is not None:
                add(stage_question, [procedure["id"]])
        for variant in [*(procedure.get("first_step") or ()), *(procedure.get("you_decide") or ())]:
            for gate in variant.get("when") or {}:
                add(gate, [procedure["id"]])
    every = [procedure["id"] for procedure in flow["procedures"]]
    for note in [*flow.get("notes", ()), *flow.get("silences", ())]:
        for gate in note.get("when") or {}:
            add(gate, note.get("only_for") or every)
    # ask_if only looks back, so walking backwards sees each question's full set before its gates.
    for question in reversed(flow["questions"]):
        for gate in question.get("ask_if") or {}:
            touches[gate] |= touches[question["id"]]
    return touches


class _FlowIndex:
    """What `evaluate` reads from a flow alone, found once per flow instead of at each answer."""

    def __init__(self, flow: dict):
        self.touches = _procedures_of_questions(flow)
        self.rules_of_question: dict[str, list] = {}
        for procedure in flow["procedures"]:
            for criterion in procedure["criteria"]:
                self.rules_of_question.setdefault(criterion["question"], []).append((procedure["id"], criterion))
        self.procedures = {procedure["id"]: procedure for procedure in flow["procedures"]}
        stages = flow.get("stages") or {}
        self.stage_question = stages.get("question")
        self.stage_order = list(stages.get("order") or [])


# The last flows evaluated, each with its index, by id. A flow is read, never changed, by the engine
# and its callers (the worker loads one per page; the build walks one per language). The flow itself
# is kept beside its index: while it is here, no other object can have its id.
_INDEXES: dict[int, tuple[dict, _FlowIndex]] = {}
_INDEXES_KEPT = 8


def _index(flow: dict) -> _FlowIndex:
    kept = _INDEXES.get(id(flow))
    if kept is not None:
        return kept[1]
    index = _FlowIndex(flow)
    if len(_INDEXES) >= _INDEXES_KEPT:
        del _INDEXES[next(iter(_INDEXES))]
    _INDEXES[id(flow)] = (flow, index)
    return index


def _holds(conditions: dict, counted: dict) -> bool:
    """Each listed question counted with one of the listed values (`ask_if`, `when`)."""
    return all(counted.get(gate) in values for gate, values in (conditions or {}).items())


def _chosen(variants, counted: dict) -> dict | None:
    """The first variant whose condition holds, or None."""
    return next((variant for variant in variants or () if _holds(variant.get("when"), counted)), None)


def _stage(index: _FlowIndex, counted: dict) -> int:
    """The reader's stage: the place of her answer in the stages' order; 0 (the earliest, which
    hides nothing) without one."""
    value = counted.get(index.stage_question)
    return index.stage_order.index(value) if value in index.stage_order else 0


def _shown_deadline(limit: dict, order: list, stage: int) -> bool:
    """Not a deadline of an earlier stage than hers."""
    return limit.get("stage") not in order or order.index(limit["stage"]) >= stage


def _visible_options(question: dict, alive: set) -> list[dict]:
    return [option for option in question["options"]
            if not option.get("only_for") or alive.intersection(option["only_for"])]


def _valid(question: dict, value: object, options: list[dict], today: date) -> bool:
    if not isinstance(value, str):
        return False
    if any(option["value"] == value for option in options):
        return True
    if question["type"] == "date":
        parsed = parse_iso(value)
        return parsed is not None and parsed <= today
    return False


# A day written the reader's way, as every result writes it; the build writes the live quiz's
# date table with it too (amparo/render/quiz_pages.py), so a date reads the same from either.
def format_date(value: str, strings: dict) -> str:
    template = strings.get("date-format")
    if not template:
        return value
    try:
        return template.format(year=value[:4], month=value[5:7], day=value[8:])
    except (KeyError, IndexError, ValueError):
        return value



def _walk(flow: dict, index: _FlowIndex, answers: dict, today: date):
    """Counted answers in flow order, and the next question (with the one counted before it)."""
    touches, rules_of_question = index.touches, index.rules_of_question
    alive = set(index.procedures)
    counted: dict[str, str] = {}
    next_question = None
    previous = None
    for question in flow["questions"]:
        if not _holds(question.get("ask_if"), counted):
            continue
        if not alive.intersection(touches[question["id"]]):
            continue
        options = _visible_options(question, alive)
        value = answers.get(question["id"])
        if _valid(question, value, options, today):
            counted[question["id"]] = value
            if next_question is None:
                previous = question["id"]
            for procedure_id, criterion in rules_of_question.get(question["id"], ()):
                if value in criterion.get("unmet", ()):
                    alive.discard(procedure_id)
        elif next_question is None:
            next_question = (question, options, previous)
    return counted, next_question


def _criterion_state(criterion: dict, counted: dict) -> bool | None:
    value = counted.get(criterion["question"])
    if value is None:
        return None
    if value in criterion.get("met", ()):
        return True
    if value in criterion.get("unmet", ()):
        return False
    return None


def _outcome(procedure: dict, counted: dict, strings: dict, order: list, stage: int) -> dict:
    states = [(criterion, _criterion_state(criterion, counted)) for criterion in procedure["criteria"]]
    if any(state is False for _, state in states):
        status = NOT_APPLICABLE
    elif all(state is True for _, state in states):
        status = LIKELY
    else:
        status = POSSIBLE
    reasons = []
    for criterion, state in states:
        if status == NOT_APPLICABLE and state is not False:
            continue  # only what rules it out; the rest would be noise
        key = {True: "text_met", False: "text_unmet", None: "text_unknown"}[state]
        reasons.append({"criterion": criterion["id"], "met": state, "text": criterion[key],
                        "legal_reference": criterion["legal_reference"]})
    applies = status != NOT_APPLICABLE
    deadlines = []
    if applies:
        for limit in procedure.get("deadlines", ()):
            if not _shown_deadline(limit, order, stage):
                continue  # a deadline of an earlier stage than hers: already behind her
            start = parse_iso(counted.get(limit.get("question")))
            try:
                end = deadline(start, limit["amount"], limit["unit"]).isoformat() if start and limit.get("amount") else None
            except (OverflowError, ValueError):  # after the year 9999: no date to show, as if none was given
                end = None
            deadlines.append({"id": limit["id"], "label": limit["label"], "date": end,
                              # Her path asked its date (she may still have skipped it): only then
                              # can a date come; a deadline still ahead of her is shown as its rule.
                              "date_asked": limit.get("question") in counted,
                              "bound": limit.get("bound", "at_most"),
                              "date_text": format_date(end, strings) if end else None,
                              "rule": limit["rule"], "counting": limit["counting"],
                              "legal_reference": limit.get("legal_reference", "")})
    first_step = _chosen(procedure.get("first_step"), counted) if applies else None
    you_decide = _chosen(procedure.get("you_decide"), counted) if applies else None
    return {
        "procedure": procedure["id"],
        "title": procedure.get("title", procedure["id"]),
        "page": procedure.get("page", "guias/" + procedure["id"] + "/"),
        "status": status,
        "summary_text": strings.get(SUMMARY_KEYS[status], ""),
        "reasons": reasons,
        "conditions": [criterion["text_unknown"] for criterion, state in states if applies and state is None],
        "who_files": procedure.get("who_files", ""),
        "first_step": first_step["text"] if first_step else "",
        "first_step_id": first_step["id"] if first_step else None,
        # A decision without text: the sources give her nothing to decide where she is.
        "you_decide": you_decide["text"] if you_decide and you_decide.get("text") else None,
        "you_decide_id": you_decide["id"] if you_decide and you_decide.get("text") else None,
        "next_steps": list(procedure.get("next_steps", ())) if applies else [],
        "documents": list(procedure.get("documents", ())) if applies else [],
        "family": list(procedure.get("family", ())) if applies else [],
        "assisted_return": procedure.get("assisted_return") if applies else None,
        "deadlines": deadlines,
    }


def evaluate(flow: dict, answers: dict, today: str | None = None) -> dict:
    """The next question (or None when done), the answers that count, and one outcome per procedure.

    `answers` maps question ids to option values or `YYYY-MM-DD` dates. `today` (`YYYY-MM-DD`,
    default: the system date) bounds the dates accepted: a start date cannot be in the future.
    """
    today_date = parse_iso(today) if today is not None else None
    if today_date is None:
        today_date = date.today()
    if not isinstance(answers, dict):
        answers = {}
    strings = flow.get("strings", {})
    index = _index(flow)
    counted, found = _walk(flow, index, answers, today_date)

    next_question = None
    if found is not None:
        question, options, previous = found
        next_question = {
            "id": question["id"],
            # The question answered just before this one, for a "back" control.
            "previous": previous,
            "text": question["text"],
            "help": question.get("help"),
            "type": question["type"],
            "options": [{"value": option["value"], "label": option["label"]} for option in options],
        }
        if question["type"] == "date":
            next_question["max"] = today_date.isoformat()

    asked = []
    for question in flow["questions"]:
        value = counted.get(question["id"])
        if value is None:
            continue
        label = next((option["label"] for option in question["options"] if option["value"] == value), None)
        if label is None:  # a date
            label = format_date(value, strings)
        asked.append({"id": question["id"], "text": question["text"], "answer": value, "answer_label": label})

    stage = _stage(index, counted)
    outcomes = [_outcome(procedure, counted, strings, index.stage_order, stage) for procedure in flow["procedures"]]
    result = {
        "next": next_question,
        "asked": asked,
        "done": next_question is None,
        "outcomes": outcomes,
        "notes": _notes(index.procedures, flow.get("notes", ()), counted, outcomes),
        "silences": _notes(index.procedures, flow.get("silences", ()), counted, outcomes),
    }
    result["key"] = screen_key(result)
    return result


def _notes(pages: dict[str, dict], notes, counted: dict, outcomes: list[dict]) -> list[dict]:
    """The notes whose condition holds while one of their permits (any, if none is named) may apply.
    `pages`: the flow's procedures by id."""
    alive = {outcome["procedure"] for outcome in outcomes if outcome["status"] != NOT_APPLICABLE}
    shown = []
    for note in notes:
        permits = note.get("only_for") or list(pages)
        if not alive.intersection(permits) or not _holds(note.get("when"), counted):
            continue
        guides = [{"procedure": guide, "title": pages[guide].get("title", guide),
                   "page": pages[guide].get("page", "guias/" + guide + "/")}
                  for guide in note.get("guides", ()) if guide in pages]
        shown.append({"id": note["id"], "text": note["text"], "guides": guides})
    return shown


def screen_key(result: dict) -> str:
    """What a result looks like on screen, as a short key: the question asked (with the answers
    offered and the one before it), or each permit's status and why, the first step, what she
    decides and the deadlines it lists, and the notes. Two states with the same key show the same
    screen (dates aside). The build keys its state table by it; the browser checks each engine
    result's key against the table's."""
    question = result["next"]
    if question is not None:
        values = ",".join(option["value"] for option in question["options"])
        return f"q:{question['id']}:{values}:{question['previous'] or ''}"
    marks = {True: "+", False: "-", None: "?"}
    permits = ";".join(
        f"{outcome['procedure']}={outcome['status']}:"
        + ",".join(reason["criterion"] + marks[reason["met"]] for reason in outcome["reasons"])
        + f"|{outcome['first_step_id'] or ''}|{outcome['you_decide_id'] or ''}|"
        + ",".join(limit["id"] + ("@" if limit["date_asked"] else "") for limit in outcome["deadlines"])
        for outcome in result["outcomes"])
    notes = ",".join(note["id"] for note in [*result["notes"], *result["silences"]])
    return f"r:{permits}#{notes}"
