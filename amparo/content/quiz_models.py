"""The quiz file (procedures/quiz.yml, `kind: quiz`): questions and rules, as data.

An editor writes questions with closed answers, criteria ("this permit needs that answer"),
deadline rules computed from dates the reader gives, and which criteria and deadlines each
procedure has. `amparo/render/quiz_flow.py` turns it, with the procedures' own texts, into the flow
the engine in `quiz/` runs. Facts are written once, in the guides: a deadline names its guide's
time limit, and every criterion and deadline carries its procedure's legal reference, which is
the guide's legal basis (or, for a source that cites no law, the source itself).

What the reader reads next is chosen by her answers too: a procedure's first step and what she
decides are lists of variants, each with a `when` condition (written like `ask_if`; the first
that holds is shown, the last, without one, is the default); a deadline may name its `stage`
(`stages`: one question's answers, earliest first), so that a deadline of an earlier stage than
hers is not listed; `notes` and `silences` are said on a result whose answers match.

`quiz_problems` checks what one model cannot: that every id referred to exists, every answer
value is one the question offers, every variant list ends with its default, every chosen text
quotes its source, and every question can be reached. Its problems name file, line and field,
like the loader's.
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from quiz.engine import NO_SE

from .errors import Problem
from .models import Country, CountryCode, Model, Passages, Procedure, SharedFile, Slug, Text, TimeLimit, _unique_ids
from .yaml_lines import YamlDocument, dotted

# Words the engine itself puts in results (from the quiz section of procedures/interface.yml).
ENGINE_STRINGS = ("summary-likely", "summary-possible", "summary-not-applicable", "date-format")
# Words of the quiz pages: amparo/render/quiz_pages.py, its templates and overrides/assets/quiz/quiz.js use every one.
# who-files, documents, family, assisted-return and no-law-in-source are page words (amparo/content/interface_words.py).
PAGE_STRINGS = (
    "title", "intro", "privacy", "no-script", "fallback", "continue", "back", "change", "choose-one",
    "start-again", "your-answers", "date-input", "result-title", "result-intro", "none-applies", "others",
    "status-likely", "status-possible", "status-not-applicable", "met", "unmet", "unknown", "reasons",
    "conditions", "legal-reference", "who-files", "next-steps", "documents", "family", "assisted-return",
    "your-deadlines", "deadline-no-date", "counting", "read-guide", "disclaimer", "print", "print-answers",
    "static-title", "static-intro", "static-no-dates", "dates-calculating", "dates-unavailable", "save-data",
    "save-data-note", "site-covers", "first-step", "sources-silent", "no-law-in-source", "date-day", "date-month",
    "date-year", "date-incomplete", "date-impossible", "date-future", "leave-warning", "leave-stay", "leave-go",
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
    type: Literal["choice", "date", "country"] = Field("choice", description=(
        "choice: one of the options; date: a day, or no-se to skip it; country: the countries of countries.yml "
        "(each its quiz_answer and quiz_label) come first, then the options written here (another country, no-se)"))
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
    """One requirement of a permit, decided by the answer to one question, or by the country the
    reader is in (`country:`): met there, ruled out in every other country of countries.yml."""

    id: Slug
    question: Slug | None = Field(None, description="The question that decides it (not for a country criterion)")
    country: CountryCode | None = Field(None, description=(
        "For the country a permit is for (its guide's country): met by that country's answer to the country "
        "question, ruled out by every other answer but no-se. Then leave out question, met and unmet"))
    met: list[Slug] = Field([], description="Answers that meet the requirement")
    unmet: list[Slug] = Field([], description="Answers that rule the permit out. Any other answer leaves it open")
    text_met: Text
    text_unmet: Text | None = Field(None, description="Required when some answer rules the permit out")
    text_unknown: Text = Field(description="The requirement as a condition still to be met")
    passages: Passages = Field([], description="Where in the sources the requirement comes from; name each "
                               "passage's source (a criterion may serve procedures of several sources)")

    @model_validator(mode="after")
    def _question_or_country(self):
        if self.country is not None and (self.question is not None or self.met or self.unmet):
            raise PydanticCustomError("criterion_question", "gives country and also question, met or unmet: a "
                                      "country criterion takes its answers from countries.yml; remove them")
        if self.country is None and self.question is None:
            raise PydanticCustomError("criterion_question", "needs question (the question that decides it), or "
                                      "country (the country the permit is for)")
        return self


# `ask_if` and `when`: each listed question answered (and counted) with one of the listed values.
Condition = dict[Slug, list[Slug]]
TIME_LIMIT_PATTERN = r"^[a-z0-9-]+\.(steps\.[a-z0-9-]+|fees\.[a-z0-9-]+)$"


class ChosenText(Model):
    """One variant of a text the answers choose: a first step (`first_steps`) or what the reader
    decides (`decisions`). A procedure lists its variants by id; the first whose `when` holds is
    shown."""

    id: Slug = Field(description="Names the variant in tests, quiz-paths.json and translations; never reuse one "
                     "for another meaning")
    when: Condition = Field({}, description="Shown only if each of these questions was answered with one of these "
                            "values (as ask_if). Leave it out for a procedure's default, the last of its list")
    text: Text | None = Field(None, description=(
        "One or two short sentences: what the sources say, no more. {limit} and {duration} are the length of "
        "time_limit, as in a deadline's rule. A decision without text says nothing (where the sources give her "
        "nothing to decide); a first step always has one"))
    time_limit: str | None = Field(None, pattern=TIME_LIMIT_PATTERN, description=(
        "The guide fact whose length the text says ({limit}, {duration}): as a deadline's time_limit"))
    passages: Passages = Field([], description="Where in the sources the text comes from; name each passage's source")


class ResultNote(Model):
    """A sentence a result says about the reader's situation as a whole (`notes`, on its first
    screen), or about what the sources do not say (`silences`, behind a disclosure)."""

    id: Slug = Field(description="Names the note in tests and quiz-paths.json; never reuse one for another meaning")
    when: Condition = Field({}, description="Said only if each of these questions was answered with one of these "
                            "values (as ask_if)")
    only_for: list[Slug] = Field([], description="Said only while one of these procedures may apply (all, if empty)")
    text: Text
    guides: list[Slug] = Field([], description="Procedures whose guides the note links to")
    passages: Passages = Field([], description="The passages the note is about; name each passage's source")


class Stages(Model):
    """The stages of a procedure, as the answers of one question, earliest first. A deadline of
    an earlier stage than the reader's answer is not listed: it is behind her."""

    question: Slug = Field(description="The choice question whose answers are the stages")
    order: list[Slug] = Field(min_length=2, description="Every answer of the question, earliest first; no-se first "
                              "(«No lo sé» hides no deadline)")


class DeadlineRule(Model):
    """A personal deadline, counted from a date the reader gives. Its length is a guide's fact,
    written once there: `time_limit` names it, so the quiz never repeats a number of days."""

    id: Slug
    question: Slug | None = Field(None, description="The date question the deadline counts from; without "
                                  "one, the deadline is shown as its rule only (the reader has no date to give)")
    time_limit: str = Field(pattern=TIME_LIMIT_PATTERN, description=(
        "The guide fact it counts: <guide id>.steps.<step id>, shared.steps.<step id> or shared.fees.<fee id>. "
        "Its amount, unit and bound (at_least: the date is the earliest end) come from there"))
    label: Text
    rule: Text = Field(description="The rule in plain words; {limit} is the fact's length with its bound "
                       "(«al menos 90 días»), {duration} the length alone («90 días»). The legal reference is added")
    counting: Text = Field(description="How the date is counted, and what it cannot know ({limit}, {duration} as in rule)")
    stage: Slug | None = Field(None, description="The stage it belongs to (an answer in `stages.order`): not listed "
                               "for a reader at a later stage. Leave out for a deadline of every stage")
    passages: Passages = Field([], description="Where in the sources the deadline comes from; name each passage's source")


class ProcedureRules(Model):
    id: Slug = Field(description="Id of a procedure in guides/: its outcome links to /guias/<id>/, and its legal "
                     "reference is that guide's legal basis")
    criteria: list[Slug] = Field(min_length=1, description="Ids of criteria; all must be met")
    deadlines: list[Slug] = []
    first_step: list[Slug] = Field(min_length=1, description=(
        "Ids of first steps, most specific first: the first whose `when` holds is shown; the last, without "
        "`when`, is the default"))
    you_decide: list[Slug] = Field([], description=(
        "Ids of decisions, as first_step; without a default, nothing is said when none holds"))


class QuizFile(Model):
    kind: Literal["quiz"]
    questions: list[QuizQuestion] = Field(min_length=1, description="In the order they are asked")
    criteria: list[Criterion] = Field(min_length=1)
    deadlines: list[DeadlineRule] = []
    first_steps: list[ChosenText] = Field([], description="What the reader reads next, chosen by her answers")
    decisions: list[ChosenText] = Field([], description="What the reader decides, where a source says so")
    stages: Stages | None = Field(None, description="The stages deadlines belong to (their `stage`)")
    procedures: list[ProcedureRules] = Field(min_length=1, description="In the order results are shown")
    notes: list[ResultNote] = Field([], description="Said on a result's first screen when their answers match")
    silences: list[ResultNote] = Field([], description="What the sources do not say, said behind a disclosure "
                                       "when their answers match")

    @model_validator(mode="after")
    def _ids(self):
        for items, what in ((self.questions, "questions"), (self.criteria, "criteria"),
                            (self.deadlines, "deadlines"), (self.first_steps, "first steps"),
                            (self.decisions, "decisions"), (self.procedures, "procedures"),
                            ([*self.notes, *self.silences], "notes and silences")):
            _unique_ids(items, what)
        return self

    @model_validator(mode="before")
    @classmethod
    def _one_text(cls, data):
        """A procedure's `first_step: <text>` (and `you_decide: <text>`) with its `passages`, as
        quiz.yml was first written (and as `amparo changes` reads earlier revisions): one variant
        each, named after the procedure, with those passages."""
        if not isinstance(data, dict) or not isinstance(data.get("procedures"), list):
            return data
        data = dict(data)
        procedures = []
        for procedure in data["procedures"]:
            if isinstance(procedure, dict) and any(isinstance(procedure.get(f), str) for f in ("first_step", "you_decide")):
                procedure = dict(procedure)
                passages = procedure.pop("passages", [])
                for field, group in (("first_step", "first_steps"), ("you_decide", "decisions")):
                    if isinstance(procedure.get(field), str):
                        variant = f"{procedure.get('id')}"
                        data[group] = [*(data.get(group) or []),
                                       {"id": variant, "text": procedure[field], "passages": passages}]
                        procedure[field] = [variant]
            procedures.append(procedure)
        data["procedures"] = procedures
        return data


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
        if question.type != "date" and len(question.options) < 2:
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
        if criterion.question is None:
            continue   # a country criterion whose country is not known: reported by resolve_countries
        question = questions.get(criterion.question)
        if question is None:
            unknown(where + ("question",), criterion.question, "question", list(questions))
            continue
        if question.type == "date":
            problem(where + ("question",), f"refers to '{criterion.question}', a date question: criteria use choices")
        if question.type == "country" and criterion.country is None:
            problem(where + ("question",), f"is on the country question '{question.id}': write `country: <code>` "
                    "instead of question, met and unmet, so that every other country of countries.yml rules the "
                    "permit out (a country added later included)")
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

    if any(question.type == "country" for question in quiz.questions):
        for index, procedure in enumerate(quiz.procedures):
            found = [c for c in procedure.criteria if c in criteria and criteria[c].country is not None]
            if not found:
                problem(("procedures", index, "criteria"), "has no country criterion (one with `country:`): without "
                        "it, a reader in any country would be told this permit may fit")
            elif len(found) > 1:
                problem(("procedures", index, "criteria"), f"has {len(found)} country criteria ({', '.join(found)}): "
                        "a permit is for the one country of its guide")

    for index, criterion in enumerate(quiz.criteria):
        for field in ("text_met", "text_unmet", "text_unknown"):
            text = getattr(criterion, field)
            if text is not None and ORDER.search(str(text)):
                problem(("criteria", index, field), "reads as an order ('tienes que…'): say what the permit is for "
                        "(«Es un permiso para quien…»), since a condition is not a command")

    def condition_problems(location: tuple, condition: dict) -> None:
        for gate, wanted in condition.items():
            question = questions.get(gate)
            if question is None:
                unknown(location + (gate,), gate, "question", list(questions))
                continue
            if question.type == "date":
                problem(location + (gate,), f"refers to '{gate}', a date question: conditions use choices")
            for value in wanted:
                if value not in values[gate]:
                    unknown(location + (gate,), value, f"an answer of '{gate}'", values[gate])

    for group in ("first_steps", "decisions"):
        for number, variant in enumerate(getattr(quiz, group)):
            where = (group, number)
            condition_problems(where + ("when",), variant.when)
            if variant.text is None:
                if group == "first_steps":
                    problem(where, "has no text: a first step always says something")
                elif not variant.when:
                    problem(where, "has neither text nor `when`: leave it out (a list without a default says nothing)")
                continue
            if ORDER.search(str(variant.text)):
                problem(where + ("text",), "reads as an order ('tienes que…'): say what the reader can do")
            try:
                str(variant.text).format(limit="", duration="")
            except (KeyError, IndexError, ValueError):
                problem(where + ("text",), "may only use the placeholders {limit} and {duration}")
            else:
                if variant.time_limit is None and ("{limit}" in variant.text or "{duration}" in variant.text):
                    problem(where + ("text",), "says {limit} or {duration}: name the guide fact in time_limit")
            if not variant.passages:
                problem(where, "has no passages: quote the words of the source it says")

    first_steps = {variant.id: variant for variant in quiz.first_steps}
    decisions = {variant.id: variant for variant in quiz.decisions}
    for index, procedure in enumerate(quiz.procedures):
        for field, known, what in (("first_step", first_steps, "first step"), ("you_decide", decisions, "decision")):
            chosen = getattr(procedure, field)
            for item, variant_id in enumerate(chosen):
                variant = known.get(variant_id)
                if variant is None:
                    unknown(("procedures", index, field, item), variant_id, what, list(known))
                elif not variant.when and item < len(chosen) - 1:
                    problem(("procedures", index, field, item), f"lists '{variant_id}', which has no `when`, before "
                            f"{', '.join(chosen[item + 1:])}: they are never shown (the default, without `when`, comes last)")
            if field == "first_step" and chosen and chosen[-1] in known and known[chosen[-1]].when:
                problem(("procedures", index, field), f"has no default: its last first step, '{chosen[-1]}', has a "
                        "`when`; end with one without, so that every reader gets a first step")
    used_variants = {v for p in quiz.procedures for v in [*p.first_step, *p.you_decide]}
    for group in ("first_steps", "decisions"):
        for number, variant in enumerate(getattr(quiz, group)):
            if variant.id not in used_variants:
                problem((group, number, "id"), "is used by no procedure")

    for group in ("notes", "silences"):
        for index, note in enumerate(getattr(quiz, group)):
            where = (group, index)
            condition_problems(where + ("when",), note.when)
            for field in ("only_for", "guides"):
                for item, procedure_id in enumerate(getattr(note, field)):
                    if procedure_id not in procedure_ids:
                        unknown(where + (field, item), procedure_id, "procedure", procedure_ids)
            if not note.passages:
                problem(where, "has no passages: quote the words of the source it is about")

    stage_order: list[str] = []
    if quiz.stages is not None:
        question = questions.get(quiz.stages.question)
        if question is None:
            unknown(("stages", "question"), quiz.stages.question, "question", list(questions))
        else:
            stage_order = list(quiz.stages.order)
            if question.type == "date":
                problem(("stages", "question"), f"refers to '{question.id}', a date question: stages are choices")
            if sorted(stage_order) != sorted(values[question.id]):
                problem(("stages", "order"), f"must list every answer of '{question.id}' once, earliest first "
                        f"({', '.join(values[question.id])})")
            elif stage_order[0] != NO_SE:
                problem(("stages", "order"), "must start with no-se: «No lo sé» hides no deadline")

    for index, limit in enumerate(quiz.deadlines):
        if limit.stage is not None and quiz.stages is None:
            problem(("deadlines", index, "stage"), "names a stage, but the quiz has no `stages`")
        elif limit.stage is not None and stage_order and limit.stage not in stage_order:
            unknown(("deadlines", index, "stage"), limit.stage, "a stage", stage_order)
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

    # A question is asked only if it can change something: a criterion, a deadline (its date or its
    # stage), a condition of what a procedure shows or of a note, or a question it opens (ask_if).
    useful = {criteria[c].question for p in quiz.procedures for c in p.criteria if c in criteria}
    useful |= {deadlines[d].question for p in quiz.procedures for d in p.deadlines if d in deadlines and deadlines[d].question}
    useful |= {gate for v in [*quiz.first_steps, *quiz.decisions] if v.id in used_variants for gate in v.when}
    useful |= {gate for note in [*quiz.notes, *quiz.silences] for gate in note.when}
    if quiz.stages is not None and any(limit.stage for limit in quiz.deadlines):
        useful.add(quiz.stages.question)
    for question in reversed(quiz.questions):
        if question.id in useful:
            useful.update(question.ask_if)
    for index, question in enumerate(quiz.questions):
        if question.id not in useful:
            problem(("questions", index, "id"), "is never asked: no criterion, deadline, condition or later question "
                    "uses it")
    return problems


def resolve_countries(quiz: QuizFile, countries: list[Country], document: YamlDocument,
                      display: str) -> tuple[QuizFile, list[Problem]]:
    """The quiz with the countries of countries.yml filled in: the country question offers each
    country first (its quiz_answer and quiz_label), and a country criterion is met by its
    country's answer and ruled out by every other answer but no-se. So a country added to
    countries.yml is at once a "not here" for every permit of the other countries."""
    problems: list[Problem] = []

    def problem(location: tuple, message: str) -> None:
        problems.append(Problem(display, document.line_of(location), dotted(location), message))

    by_code = {country.code: country for country in countries}
    asking = [index for index, question in enumerate(quiz.questions) if question.type == "country"]
    for index in asking[1:]:
        problem(("questions", index, "type"), f"is country, as is '{quiz.questions[asking[0]].id}': the quiz asks "
                "for the country once")
    answers = {country.quiz_answer for country in countries}
    questions = list(quiz.questions)
    country_question = None
    if asking:
        index = asking[0]
        question = quiz.questions[index]
        for position, option in enumerate(question.options):
            if option.value in answers:
                problem(("questions", index, "options", position, "value"), f"'{option.value}' is a country's "
                        "quiz_answer in countries.yml, which the question offers already: write only the other answers")
        offered = [QuizOption.model_construct(value=country.quiz_answer, label=country.quiz_label, only_for=[])
                   for country in countries]
        country_question = question.model_copy(update={"options": offered + list(question.options)})
        questions[index] = country_question
    criteria = []
    for index, criterion in enumerate(quiz.criteria):
        if criterion.country is None:
            criteria.append(criterion)
            continue
        if criterion.country not in by_code:
            guess = difflib.get_close_matches(criterion.country, list(by_code), n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else f" (known: {', '.join(by_code)})"
            problem(("criteria", index, "country"), f"refers to country '{criterion.country}', which is not in "
                    f"countries.yml{hint}")
            continue
        if country_question is None:
            problem(("criteria", index, "country"), "needs a question of type: country in questions, which asks "
                    "the reader where she is")
            continue
        met = by_code[criterion.country].quiz_answer
        unmet = [option.value for option in country_question.options if option.value not in (met, NO_SE)]
        criteria.append(criterion.model_copy(update={"question": country_question.id, "met": [met], "unmet": unmet}))
    if problems:
        return quiz, problems
    return quiz.model_copy(update={"questions": questions, "criteria": criteria}), []


def country_criterion_problems(quiz: QuizFile, guide_countries: dict[str, str], document: YamlDocument,
                               display: str) -> list[Problem]:
    """A permit's country criterion is for its guide's country: the guide says where the permit is."""
    criteria = {criterion.id: criterion for criterion in quiz.criteria}
    problems = []
    for index, procedure in enumerate(quiz.procedures):
        country = guide_countries.get(procedure.id)
        for position, criterion_id in enumerate(procedure.criteria):
            criterion = criteria.get(criterion_id)
            if criterion is None or criterion.country is None or country is None or criterion.country == country:
                continue
            location = ("procedures", index, "criteria", position)
            problems.append(Problem(display, document.line_of(location), dotted(location),
                                    f"is '{criterion_id}', for country {criterion.country}, but the guide "
                                    f"{procedure.id} is for {country}: use a criterion with `country: {country}`"))
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
        if fee.time_limit is not None:
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
    """Each deadline, and each first step that says a length, names a time limit that exists, in
    the guide of every procedure that uses it."""
    problems = []
    for group in ("first_steps", "decisions"):
        for number, variant in enumerate(getattr(quiz, group)):
            if variant.time_limit is None:
                continue
            location = (group, number, "time_limit")
            found = facts.get(variant.time_limit)
            users = [p for p in quiz.procedures if variant.id in (p.first_step if group == "first_steps" else p.you_decide)]
            if found is None:
                guess = difflib.get_close_matches(variant.time_limit, list(facts), n=1)
                hint = f" (did you mean '{guess[0]}'?)" if guess else f" (known: {', '.join(sorted(facts))})"
                messages = [f"refers to the time limit '{variant.time_limit}', which no guide has{hint}"]
            else:
                messages = [f"refers to the time limit '{variant.time_limit}', which is not in the guide {p.id}, "
                            "whose procedure lists it" for p in users if p.id not in found[1]]
            problems += [Problem(display, document.line_of(location), dotted(location), m) for m in messages]
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
