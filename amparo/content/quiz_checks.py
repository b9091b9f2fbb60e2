"""What one model of the quiz file cannot check: that every id referred to exists, every answer
value is one the question offers, every variant list ends with its default, every chosen text
quotes its source, every question can be reached, and each country and time limit is one the
content has. Its problems name file, line and field, like the loader's."""

from __future__ import annotations

import re

from quiz.engine import NO_SE

from .errors import Problem, unknown_hint
from .models import Country
from .quiz_models import QuizFile, QuizOption
from .yaml_lines import YamlDocument, dotted

# A condition is not an order: "tienes que…" reads as a command to someone who may not want to
# (or cannot) do it. Criteria say what the permit is for; the checks enforce it.
ORDER = re.compile(r"\btienes? que\b", re.IGNORECASE)


def quiz_problems(quiz: QuizFile, document: YamlDocument, display: str) -> list[Problem]:
    """Broken references and unreachable questions, each with file, line and field."""
    checks = _QuizChecks(quiz, document, display)
    checks.questions()
    checks.criteria()
    checks.country_criteria()
    checks.no_orders()
    checks.variants()
    checks.variant_lists()
    checks.notes()
    checks.stages()
    checks.deadlines()
    checks.used()
    checks.reachable()
    return checks.problems


class _QuizChecks:
    def __init__(self, quiz: QuizFile, document: YamlDocument, display: str):
        self.quiz = quiz
        self.document = document
        self.display = display
        self.problems: list[Problem] = []
        self.questions_by_id = {question.id: question for question in quiz.questions}
        self.position = {question.id: index for index, question in enumerate(quiz.questions)}
        self.values = {question.id: [option.value for option in question.options] for question in quiz.questions}
        self.procedure_ids = [procedure.id for procedure in quiz.procedures]
        self.criteria_by_id = {criterion.id: criterion for criterion in quiz.criteria}
        self.deadlines_by_id = {limit.id: limit for limit in quiz.deadlines}
        self.used_variants = {v for p in quiz.procedures for v in [*p.first_step, *p.you_decide]}
        self.stage_order: list[str] = []

    def problem(self, location: tuple, message: str) -> None:
        self.problems.append(Problem(self.display, self.document.line_of(location), dotted(location), message))

    def unknown(self, location: tuple, value: str, what: str, known) -> None:
        self.problem(location, f"refers to {what} '{value}', which does not exist{unknown_hint(value, known)}")

    def questions(self) -> None:
        values, questions = self.values, self.questions_by_id
        for index, question in enumerate(self.quiz.questions):
            where = ("questions", index)
            if NO_SE not in values[question.id]:
                self.problem(where + ("options",), "has no answer with value no-se ('No lo sé'): every question needs one")
            if question.type == "date" and values[question.id] != [NO_SE]:
                self.problem(where + ("options",), "of a date question must be only the no-se answer (to skip the date)")
            if question.type != "date" and len(question.options) < 2:
                self.problem(where + ("options",), "must offer at least two answers")
            for option_index, option in enumerate(question.options):
                for procedure_id in option.only_for:
                    if procedure_id not in self.procedure_ids:
                        self.unknown(where + ("options", option_index, "only_for"), procedure_id, "procedure",
                                     self.procedure_ids)
            for gate, wanted in question.ask_if.items():
                if gate not in questions:
                    self.unknown(where + ("ask_if", gate), gate, "question", list(questions))
                    continue
                if self.position[gate] >= index:
                    self.problem(where + ("ask_if", gate), f"refers to '{gate}', which is not asked before this question")
                for value in wanted:
                    if value not in values[gate]:
                        self.unknown(where + ("ask_if", gate), value, f"an answer of '{gate}'", values[gate])

    def criteria(self) -> None:
        for index, criterion in enumerate(self.quiz.criteria):
            where = ("criteria", index)
            if criterion.question is None:
                continue   # a country criterion whose country is not known: reported by resolve_countries
            question = self.questions_by_id.get(criterion.question)
            if question is None:
                self.unknown(where + ("question",), criterion.question, "question", list(self.questions_by_id))
                continue
            if question.type == "date":
                self.problem(where + ("question",), f"refers to '{criterion.question}', a date question: criteria use choices")
            if question.type == "country" and criterion.country is None:
                self.problem(where + ("question",), f"is on the country question '{question.id}': write `country: <code>` "
                             "instead of question, met and unmet, so that every other country of countries.yml rules the "
                             "permit out (a country added later included)")
            for field in ("met", "unmet"):
                for value in getattr(criterion, field):
                    if value == NO_SE:
                        self.problem(where + (field,), "lists no-se: 'No lo sé' always leaves the criterion open")
                    elif value not in self.values[question.id]:
                        self.unknown(where + (field,), value, f"an answer of '{question.id}'", self.values[question.id])
            both = set(criterion.met) & set(criterion.unmet)
            if both:
                self.problem(where + ("unmet",), f"lists {', '.join(sorted(both))} also under met")
            if criterion.unmet and criterion.text_unmet is None:
                self.problem(where, "needs text_unmet: some answers rule the permit out")
            if not criterion.met:
                self.problem(where + ("met",), "is empty: no answer could meet the criterion")

    def country_criteria(self) -> None:
        if not any(question.type == "country" for question in self.quiz.questions):
            return
        criteria = self.criteria_by_id
        for index, procedure in enumerate(self.quiz.procedures):
            found = [c for c in procedure.criteria if c in criteria and criteria[c].country is not None]
            if not found:
                self.problem(("procedures", index, "criteria"), "has no country criterion (one with `country:`): without "
                             "it, a reader in any country would be told this permit may fit")
            elif len(found) > 1:
                self.problem(("procedures", index, "criteria"), f"has {len(found)} country criteria ({', '.join(found)}): "
                             "a permit is for the one country of its guide")

    def no_orders(self) -> None:
        for index, criterion in enumerate(self.quiz.criteria):
            for field in ("text_met", "text_unmet", "text_unknown"):
                text = getattr(criterion, field)
                if text is not None and ORDER.search(str(text)):
                    self.problem(("criteria", index, field), "reads as an order ('tienes que…'): say what the permit is for "
                                 "(«Es un permiso para quien…»), since a condition is not a command")

    def condition(self, location: tuple, condition: dict) -> None:
        for gate, wanted in condition.items():
            question = self.questions_by_id.get(gate)
            if question is None:
                self.unknown(location + (gate,), gate, "question", list(self.questions_by_id))
                continue
            if question.type == "date":
                self.problem(location + (gate,), f"refers to '{gate}', a date question: conditions use choices")
            for value in wanted:
                if value not in self.values[gate]:
                    self.unknown(location + (gate,), value, f"an answer of '{gate}'", self.values[gate])

    def variants(self) -> None:
        for group in ("first_steps", "decisions"):
            for number, variant in enumerate(getattr(self.quiz, group)):
                where = (group, number)
                self.condition(where + ("when",), variant.when)
                if variant.text is None:
                    if group == "first_steps":
                        self.problem(where, "has no text: a first step always says something")
                    elif not variant.when:
                        self.problem(where, "has neither text nor `when`: leave it out (a list without a default says nothing)")
                    continue
                self.variant_text(where, variant)

    def variant_text(self, where: tuple, variant) -> None:
        if ORDER.search(str(variant.text)):
            self.problem(where + ("text",), "reads as an order ('tienes que…'): say what the reader can do")
        try:
            str(variant.text).format(limit="", duration="")
        except (KeyError, IndexError, ValueError):
            self.problem(where + ("text",), "may only use the placeholders {limit} and {duration}")
        else:
            if variant.time_limit is None and ("{limit}" in variant.text or "{duration}" in variant.text):
                self.problem(where + ("text",), "says {limit} or {duration}: name the guide fact in time_limit")
        if not variant.passages:
            self.problem(where, "has no passages: quote the words of the source it says")

    def variant_lists(self) -> None:
        first_steps = {variant.id: variant for variant in self.quiz.first_steps}
        decisions = {variant.id: variant for variant in self.quiz.decisions}
        for index, procedure in enumerate(self.quiz.procedures):
            for field, known, what in (("first_step", first_steps, "first step"), ("you_decide", decisions, "decision")):
                chosen = getattr(procedure, field)
                for item, variant_id in enumerate(chosen):
                    variant = known.get(variant_id)
                    if variant is None:
                        self.unknown(("procedures", index, field, item), variant_id, what, list(known))
                    elif not variant.when and item < len(chosen) - 1:
                        self.problem(("procedures", index, field, item), f"lists '{variant_id}', which has no `when`, before "
                                     f"{', '.join(chosen[item + 1:])}: they are never shown (the default, without `when`, comes last)")
                if field == "first_step" and chosen and chosen[-1] in known and known[chosen[-1]].when:
                    self.problem(("procedures", index, field), f"has no default: its last first step, '{chosen[-1]}', has a "
                                 "`when`; end with one without, so that every reader gets a first step")
        for group in ("first_steps", "decisions"):
            for number, variant in enumerate(getattr(self.quiz, group)):
                if variant.id not in self.used_variants:
                    self.problem((group, number, "id"), "is used by no procedure")

    def notes(self) -> None:
        for group in ("notes", "silences"):
            for index, note in enumerate(getattr(self.quiz, group)):
                where = (group, index)
                self.condition(where + ("when",), note.when)
                for field in ("only_for", "guides"):
                    for item, procedure_id in enumerate(getattr(note, field)):
                        if procedure_id not in self.procedure_ids:
                            self.unknown(where + (field, item), procedure_id, "procedure", self.procedure_ids)
                if not note.passages:
                    self.problem(where, "has no passages: quote the words of the source it is about")

    def stages(self) -> None:
        quiz = self.quiz
        if quiz.stages is None:
            return
        question = self.questions_by_id.get(quiz.stages.question)
        if question is None:
            self.unknown(("stages", "question"), quiz.stages.question, "question", list(self.questions_by_id))
            return
        self.stage_order = stage_order = list(quiz.stages.order)
        if question.type == "date":
            self.problem(("stages", "question"), f"refers to '{question.id}', a date question: stages are choices")
        if sorted(stage_order) != sorted(self.values[question.id]):
            self.problem(("stages", "order"), f"must list every answer of '{question.id}' once, earliest first "
                         f"({', '.join(self.values[question.id])})")
        elif stage_order[0] != NO_SE:
            self.problem(("stages", "order"), "must start with no-se: «No lo sé» hides no deadline")

    def deadlines(self) -> None:
        for index, limit in enumerate(self.quiz.deadlines):
            if limit.stage is not None and self.quiz.stages is None:
                self.problem(("deadlines", index, "stage"), "names a stage, but the quiz has no `stages`")
            elif limit.stage is not None and self.stage_order and limit.stage not in self.stage_order:
                self.unknown(("deadlines", index, "stage"), limit.stage, "a stage", self.stage_order)
            for field in ("rule", "counting"):
                try:
                    str(getattr(limit, field)).format(limit="", duration="")
                except (KeyError, IndexError, ValueError):
                    self.problem(("deadlines", index, field), "may only use the placeholders {limit} and {duration}")
            if limit.question is None:
                continue
            question = self.questions_by_id.get(limit.question)
            if question is None:
                self.unknown(("deadlines", index, "question"), limit.question, "question", list(self.questions_by_id))
            elif question.type != "date":
                self.problem(("deadlines", index, "question"), f"refers to '{limit.question}', which is not a date question")

    def used(self) -> None:
        used_criteria: set[str] = set()
        used_deadlines: set[str] = set()
        for index, procedure in enumerate(self.quiz.procedures):
            for item, criterion_id in enumerate(procedure.criteria):
                if criterion_id not in self.criteria_by_id:
                    self.unknown(("procedures", index, "criteria", item), criterion_id, "criterion", list(self.criteria_by_id))
                used_criteria.add(criterion_id)
            for item, deadline_id in enumerate(procedure.deadlines):
                if deadline_id not in self.deadlines_by_id:
                    self.unknown(("procedures", index, "deadlines", item), deadline_id, "deadline", list(self.deadlines_by_id))
                used_deadlines.add(deadline_id)
        for index, criterion in enumerate(self.quiz.criteria):
            if criterion.id not in used_criteria:
                self.problem(("criteria", index, "id"), "is used by no procedure")
        for index, limit in enumerate(self.quiz.deadlines):
            if limit.id not in used_deadlines:
                self.problem(("deadlines", index, "id"), "is used by no procedure")

    def reachable(self) -> None:
        # A question is asked only if it can change something: a criterion, a deadline (its date or its
        # stage), a condition of what a procedure shows or of a note, or a question it opens (ask_if).
        quiz, criteria, deadlines = self.quiz, self.criteria_by_id, self.deadlines_by_id
        useful = {criteria[c].question for p in quiz.procedures for c in p.criteria if c in criteria}
        useful |= {deadlines[d].question for p in quiz.procedures for d in p.deadlines if d in deadlines and deadlines[d].question}
        useful |= {gate for v in [*quiz.first_steps, *quiz.decisions] if v.id in self.used_variants for gate in v.when}
        useful |= {gate for note in [*quiz.notes, *quiz.silences] for gate in note.when}
        if quiz.stages is not None and any(limit.stage for limit in quiz.deadlines):
            useful.add(quiz.stages.question)
        for question in reversed(quiz.questions):
            if question.id in useful:
                useful.update(question.ask_if)
        for index, question in enumerate(quiz.questions):
            if question.id not in useful:
                self.problem(("questions", index, "id"), "is never asked: no criterion, deadline, condition or later question "
                             "uses it")


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
            hint = unknown_hint(criterion.country, by_code)
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
                hint = unknown_hint(variant.time_limit, sorted(facts))
                messages = [f"refers to the time limit '{variant.time_limit}', which no guide has{hint}"]
            else:
                messages = [f"refers to the time limit '{variant.time_limit}', which is not in the guide {p.id}, "
                            "whose procedure lists it" for p in users if p.id not in found[1]]
            problems += [Problem(display, document.line_of(location), dotted(location), m) for m in messages]
    for index, limit in enumerate(quiz.deadlines):
        location = ("deadlines", index, "time_limit")
        found = facts.get(limit.time_limit)
        if found is None:
            hint = unknown_hint(limit.time_limit, sorted(facts))
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
