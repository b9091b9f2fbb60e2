"""The quiz file (procedures/quiz.yml, `kind: quiz`): questions and rules, as data.

An editor writes questions with closed answers, criteria ("this permit needs that answer"),
deadline rules computed from dates the reader gives, and which criteria and deadlines each
procedure has. `amparo/quiz_export.py` turns it, with the procedures' own texts, into the flow
the engine in `quiz/` runs. Facts are written once, in the guides: a deadline names its guide's
time limit, and every criterion and deadline carries its procedure's legal reference, which is
the guide's legal basis (or, for a source that cites no law, the source itself).

`quiz_problems` checks what one model cannot: that every id referred to exists, every answer
value is one the question offers, and every question can be reached. Its problems name file,
line and field, like the loader's.
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from quiz.engine import NO_SE

from .errors import Problem
from .models import Model, Passages, Procedure, SharedFile, Slug, Text, TimeLimit, _unique_ids
from .yamlsource import YamlDocument, dotted

# Words the engine itself puts in results (from the quiz section of procedures/interface.yml).
ENGINE_STRINGS = ("summary-likely", "summary-possible", "summary-not-applicable", "date-format")
# Words of the quiz pages: amparo/quiz_page.py, its templates and overrides/assets/quiz/quiz.js use every one.
# who-files, documents, family and assisted-return are page words (amparo/words.py).
PAGE_STRINGS = (
    "title", "intro", "privacy", "no-script", "fallback", "continue", "back", "change", "choose-one",
    "start-again", "your-answers", "date-input", "result-title", "result-intro", "none-applies", "others",
    "status-likely", "status-possible", "status-not-applicable", "met", "unmet", "unknown", "reasons",
    "conditions", "legal-reference", "who-files", "next-steps", "documents", "family", "assisted-return",
    "your-deadlines", "deadline-no-date", "counting", "read-guide", "disclaimer", "print", "print-answers",
    "static-title", "static-intro", "static-no-dates", "dates-calculating", "dates-unavailable", "save-data",
    "save-data-note", "site-covers", "first-step", "date-day", "date-month", "date-year", "date-incomplete",
    "date-impossible", "date-future", "leave-warning", "leave-stay", "leave-go",
)
# A condition is not an order: "tienes que…" reads as a command to someone who may not want to
# (or cannot) do it. Criteria say what the permit is for; the checks enforce it.
ORDER = re.compile(r"\btienes? que\b", re.IGNORECASE)


class QuizOption(Model):
    value: Slug = Field(description="What the answer is stored as; never change it once published")
    label: Text
    only_for: list[Slug] = Field(
        [], description="Offer this answer only while one of these procedures may still apply"
    )

    @property
    def id(self) -> str:
        # Gives translations a stable context (…options.<value>.label) whatever the order.
        return self.value


class QuizQuestion(Model):
    id: Slug = Field(description="Where the answer is stored; never change it once published")
    type: Literal["choice", "date"] = "choice"
    text: Text = Field(description="The question: short, plain, about the situation, never blaming")
    help: Text | None = None
    options: list[QuizOption] = Field(
        min_length=1, description="Closed answers. Always one with value no-se ('No lo sé'). "
        "A date question has only the no-se answer: the reader may skip the date"
    )
    ask_if: dict[Slug, list[Slug]] = Field(
        {}, description="Ask only if each of these earlier questions was answered with one of these values"
    )

    @model_validator(mode="after")
    def _values(self):
        seen: set[str] = set()
        for option in self.options:
            if option.value in seen:
                raise PydanticCustomError("duplicate_id", "two answers have the value \"{id}\": values must be unique",
                                          {"id": option.value})
            seen.add(option.value)
        return self


class Criterion(Model):
    """One requirement of a permit, decided by the answer to one question."""

    id: Slug
    question: Slug
    met: list[Slug] = Field([], description="Answers that meet the requirement")
    unmet: list[Slug] = Field([], description="Answers that rule the permit out. Any other answer leaves it open")
    text_met: Text
    text_unmet: Text | None = Field(None, description="Required when some answer rules the permit out")
    text_unknown: Text = Field(description="The requirement as a condition still to be met")
    passages: Passages = Field([], description="Where in the sources the requirement comes from; name each "
                               "passage's source (a criterion may serve procedures of several sources)")


class DeadlineRule(Model):
    """A personal deadline, counted from a date the reader gives. Its length is a guide's fact,
    written once there: `time_limit` names it, so the quiz never repeats a number of days."""

    id: Slug
    question: Slug | None = Field(None, description="The date question the deadline counts from; without "
                                  "one, the deadline is shown as its rule only (the reader has no date to give)")
    time_limit: str = Field(pattern=r"^[a-z0-9-]+\.(steps\.[a-z0-9-]+|fees\.[a-z0-9-]+)$", description=(
        "The guide fact it counts: <guide id>.steps.<step id>, shared.steps.<step id> or shared.fees.<fee id>. "
        "Its amount, unit and bound (at_least: the date is the earliest end) come from there"))
    label: Text
    rule: Text = Field(description="The rule in plain words; {limit} is the fact's length with its bound "
                       "(«al menos 90 días»), {duration} the length alone («90 días»). The legal reference is added")
    counting: Text = Field(description="How the date is counted, and what it cannot know ({limit}, {duration} as in rule)")
    passages: Passages = Field([], description="Where in the sources the deadline comes from; name each passage's source")


class ProcedureRules(Model):
    id: Slug = Field(description="Id of a procedure in guides/: its outcome links to /guias/<id>/, and its legal "
                     "reference is that guide's legal basis")
    criteria: list[Slug] = Field(min_length=1, description="Ids of criteria; all must be met")
    deadlines: list[Slug] = []
    first_step: Text = Field(description="The first thing the reader can do, in one or two short sentences")
    you_decide: Text | None = Field(None, description="What the reader decides, where a source says so")
    passages: Passages = Field([], description="Where first_step and you_decide come from; name each passage's source")


class QuizFile(Model):
    kind: Literal["quiz"]
    questions: list[QuizQuestion] = Field(min_length=1, description="In the order they are asked")
    criteria: list[Criterion] = Field(min_length=1)
    deadlines: list[DeadlineRule] = []
    procedures: list[ProcedureRules] = Field(min_length=1, description="In the order results are shown")

    @model_validator(mode="after")
    def _ids(self):
        for items, what in ((self.questions, "questions"), (self.criteria, "criteria"),
                            (self.deadlines, "deadlines"), (self.procedures, "procedures")):
            _unique_ids(items, what)
        return self


def quiz_problems(quiz: QuizFile, document: YamlDocument, display: str) -> list[Problem]:
    """Broken references and unreachable questions, each with file, line and field."""
    problems: list[Problem] = []

    def problem(location: tuple, message: str) -> None:
        problems.append(Problem(display, document.line_of(location), dotted(location), message))

    def unknown(location: tuple, value: str, what: str, known) -> None:
        guess = difflib.get_close_matches(value, list(known), n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else f" (known: {', '.join(known) or 'none'})"
        problem(location, f"refers to {what} '{value}', which does not exist{hint}")

    questions = {question.id: question for question in quiz.questions}
    position = {question.id: index for index, question in enumerate(quiz.questions)}
    values = {question.id: [option.value for option in question.options] for question in quiz.questions}
    procedure_ids = [procedure.id for procedure in quiz.procedures]
    criteria = {criterion.id: criterion for criterion in quiz.criteria}
    deadlines = {limit.id: limit for limit in quiz.deadlines}

    for index, question in enumerate(quiz.questions):
        where = ("questions", index)
        if NO_SE not in values[question.id]:
            problem(where + ("options",), "has no answer with value no-se ('No lo sé'): every question needs one")
        if question.type == "date" and values[question.id] != [NO_SE]:
            problem(where + ("options",), "of a date question must be only the no-se answer (to skip the date)")
        if question.type == "choice" and len(question.options) < 2:
            problem(where + ("options",), "must offer at least two answers")
        for option_index, option in enumerate(question.options):
            for procedure_id in option.only_for:
                if procedure_id not in procedure_ids:
                    unknown(where + ("options", option_index, "only_for"), procedure_id, "procedure", procedure_ids)
        for gate, wanted in question.ask_if.items():
            if gate not in questions:
                unknown(where + ("ask_if", gate), gate, "question", list(questions))
                continue
            if position[gate] >= index:
                problem(where + ("ask_if", gate), f"refers to '{gate}', which is not asked before this question")
            for value in wanted:
                if value not in values[gate]:
                    unknown(where + ("ask_if", gate), value, f"an answer of '{gate}'", values[gate])

    for index, criterion in enumerate(quiz.criteria):
        where = ("criteria", index)
        question = questions.get(criterion.question)
        if question is None:
            unknown(where + ("question",), criterion.question, "question", list(questions))
            continue
        if question.type != "choice":
            problem(where + ("question",), f"refers to '{criterion.question}', a date question: criteria use choices")
        for field in ("met", "unmet"):
            for value in getattr(criterion, field):
                if value == NO_SE:
                    problem(where + (field,), "lists no-se: 'No lo sé' always leaves the criterion open")
                elif value not in values[question.id]:
                    unknown(where + (field,), value, f"an answer of '{question.id}'", values[question.id])
        both = set(criterion.met) & set(criterion.unmet)
        if both:
            problem(where + ("unmet",), f"lists {', '.join(sorted(both))} also under met")
        if criterion.unmet and criterion.text_unmet is None:
            problem(where, "needs text_unmet: some answers rule the permit out")
        if not criterion.met:
            problem(where + ("met",), "is empty: no answer could meet the criterion")

    for index, criterion in enumerate(quiz.criteria):
        for field in ("text_met", "text_unmet", "text_unknown"):
            text = getattr(criterion, field)
            if text is not None and ORDER.search(str(text)):
                problem(("criteria", index, field), "reads as an order ('tienes que…'): say what the permit is for "
                        "(«Es un permiso para quien…»), since a condition is not a command")
    for index, procedure in enumerate(quiz.procedures):
        for field in ("first_step", "you_decide"):
            text = getattr(procedure, field)
            if text is not None and ORDER.search(str(text)):
                problem(("procedures", index, field), "reads as an order ('tienes que…'): say what the reader can do")

    for index, limit in enumerate(quiz.deadlines):
        for field in ("rule", "counting"):
            try:
                str(getattr(limit, field)).format(limit="", duration="")
            except (KeyError, IndexError, ValueError):
                problem(("deadlines", index, field), "may only use the placeholders {limit} and {duration}")
        if limit.question is None:
            continue
        question = questions.get(limit.question)
        if question is None:
            unknown(("deadlines", index, "question"), limit.question, "question", list(questions))
        elif question.type != "date":
            problem(("deadlines", index, "question"), f"refers to '{limit.question}', which is not a date question")

    used_criteria: set[str] = set()
    used_deadlines: set[str] = set()
    for index, procedure in enumerate(quiz.procedures):
        for item, criterion_id in enumerate(procedure.criteria):
            if criterion_id not in criteria:
                unknown(("procedures", index, "criteria", item), criterion_id, "criterion", list(criteria))
            used_criteria.add(criterion_id)
        for item, deadline_id in enumerate(procedure.deadlines):
            if deadline_id not in deadlines:
                unknown(("procedures", index, "deadlines", item), deadline_id, "deadline", list(deadlines))
            used_deadlines.add(deadline_id)
    for index, criterion in enumerate(quiz.criteria):
        if criterion.id not in used_criteria:
            problem(("criteria", index, "id"), "is used by no procedure")
    for index, limit in enumerate(quiz.deadlines):
        if limit.id not in used_deadlines:
            problem(("deadlines", index, "id"), "is used by no procedure")

    # A question is asked only if it can change something: a criterion, a deadline, or a
    # question it opens (ask_if).
    useful = {criteria[c].question for p in quiz.procedures for c in p.criteria if c in criteria}
    useful |= {deadlines[d].question for p in quiz.procedures for d in p.deadlines if d in deadlines and deadlines[d].question}
    for question in reversed(quiz.questions):
        if question.id in useful:
            useful.update(question.ask_if)
    for index, question in enumerate(quiz.questions):
        if question.id not in useful:
            problem(("questions", index, "id"), "is never asked: no criterion, deadline or later question uses it")
    return problems


def time_limit_facts(shared: SharedFile, guides) -> dict[str, tuple[TimeLimit, set[str]]]:
    """Every time limit a deadline can count, by its id, with the procedures whose guide has it:
    <guide id>.steps.<step id> for a guide's own step, shared.steps.<id> and shared.fees.<id> for
    pieces of shared.yml (resolved into each guide that uses them)."""
    facts: dict[str, tuple[TimeLimit, set[str]]] = {}
    for step in shared.steps:
        if step.time_limit is not None:
            facts[f"shared.steps.{step.id}"] = (step.time_limit, set())
    for fee in shared.fees:
        facts[f"shared.fees.{fee.id}"] = (fee.time_limit, set())
    for guide in guides:
        if not isinstance(guide, Procedure):
            continue
        for step in guide.steps:
            if step.time_limit is None:
                continue
            if f"shared.steps.{step.id}" in facts:
                facts[f"shared.steps.{step.id}"][1].add(guide.id)
            else:
                facts[f"{guide.id}.steps.{step.id}"] = (step.time_limit, {guide.id})
        if guide.fee is not None and f"shared.fees.{guide.fee.id}" in facts:
            facts[f"shared.fees.{guide.fee.id}"][1].add(guide.id)
    return facts


def deadline_fact_problems(quiz: QuizFile, facts: dict, document: YamlDocument, display: str) -> list[Problem]:
    """Each deadline names a time limit that exists, in the guide of every procedure that uses it."""
    problems = []
    for index, limit in enumerate(quiz.deadlines):
        location = ("deadlines", index, "time_limit")
        found = facts.get(limit.time_limit)
        if found is None:
            guess = difflib.get_close_matches(limit.time_limit, list(facts), n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else f" (known: {', '.join(sorted(facts))})"
            problems.append(Problem(display, document.line_of(location), dotted(location),
                                    f"refers to the time limit '{limit.time_limit}', which no guide has{hint}"))
            continue
        fact, users = found
        if limit.question is not None and fact.unit == "hours":
            problems.append(Problem(display, document.line_of(("deadlines", index, "question")),
                                    dotted(("deadlines", index, "question")), "counts hours, which cannot be counted "
                                    "from a day: leave the question out (the deadline is then shown as its rule)"))
        for procedure_index, procedure in enumerate(quiz.procedures):
            if limit.id in procedure.deadlines and procedure.id not in users:
                problems.append(Problem(display, document.line_of(("procedures", procedure_index, "deadlines")),
                                        dotted(("procedures", procedure_index, "deadlines")),
                                        f"lists '{limit.id}', whose time limit '{limit.time_limit}' is not in the "
                                        f"guide {procedure.id}"))
    return problems
