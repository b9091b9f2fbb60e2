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

What one model cannot check (that every id referred to exists, every answer value is one the
question offers, every variant list ends with its default, every chosen text quotes its source,
and every question can be reached) is checked in amparo/content/quiz_checks.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .models import CountryCode, Model, Passages, Slug, Text, _unique_ids


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
