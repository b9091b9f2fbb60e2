"""The quiz pages of one language, and the state table the live quiz shows its screens from. No
MkDocs here (see render.py).

Every screen of the quiz, its questions and its results, is rendered here, at build time, from
one set of templates (amparo/templates/quiz-*.html), for both versions of the quiz:

- the live quiz (`cuestionario/`): the first question is in the page; every other screen is in
  a state table (`table.<language>.json`) that quiz.js loads behind the first question and
  shows at once after each answer. The table also holds the reader's own dates for every start
  date in a window around the build's day (quiz_dates.py), computed by the engine, so a date
  answer shows its deadlines at once too. The engine (Pyodide, in a worker) is needed only for
  a start date outside the window, and checks every screen and date it is shown.
- the static version (`cuestionario/sencillo/`), for browsers without JavaScript: every state
  of the quiz as a section, each shown by CSS when its fragment is the target. Links are
  fragments only, so no answer ever reaches a server, and the fragment ids are opaque (`#s12`),
  so the address bar and the history never spell out an answer.

The states are walked once (`QuizWalk`), since they do not depend on the language; each language
then renders each distinct screen once. A page is Markdown (title and introduction, which search
indexes) with a marker where the quiz goes; `quiz_html` is the HTML that replaces the marker. Its
script addresses start with `SITE_ROOT`, which the adapter replaces by the page's relative path
to the site root.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from babel.numbers import format_decimal
from markupsafe import Markup

from quiz.engine import evaluate, format_date
from quiz.enumerate import WALK_TODAY, state_graph

from ..content.forbidden_characters import RIGHT_TO_LEFT
from ..content.interface_words import GUIDE_PARTS, STATUS_WORDS
from ..content.memo import Memo, digest
from ..i18n.bidi_isolation import isolate_ltr_runs
from .html_templates import render_html
from .markdown_pages import FALLBACK_MARK
from .quiz_date_table import date_window, deadline_dates

QUIZ_PAGE = "cuestionario/index.md"
STATIC_QUIZ_PAGE = "cuestionario/sencillo.md"
MARKER = "<!-- amparo:quiz -->"
SITE_ROOT = "%AMPARO_SITE_ROOT%"
RUNTIME_FOLDER = "assets/quiz/runtime/"
TABLE_FOLDER = "assets/quiz/"
TABLE_FORMAT = 2
# A date's parts, as the date-format string names them.
DATE_PARTS = ("day", "month", "year")
# The quiz pages are at <language root>/cuestionario/ and …/sencillo/: links to the guides are
# relative to them, so each language's quiz links to that language's guides.
_LIVE_TO_LANGUAGE_ROOT = "../"
_STATIC_TO_LANGUAGE_ROOT = "../../"


def flow_file(language: str) -> str:
    return f"flow.{language}.json"


def table_file(language: str) -> str:
    return f"table.{language}.json"


def date_parts(date_format: str) -> list[str]:
    """day, month and year in the order the language writes a date (its `date-format`)."""
    return sorted(DATE_PARTS, key=lambda part: date_format.find("{" + part + "}"))


@dataclass(frozen=True)
class QuizWalk:
    """Every state of the quiz, walked once with the engine: the same in every language."""

    states: list[dict]              # state_graph: {answers, result, next: {value: state number}}
    keys: list[str]                 # each state's screen key (the engine's `key`: quiz.engine.screen_key)
    date_questions: list[str]
    days: list[str] = field(default_factory=list)   # the date table's window (quiz_dates.date_window)
    flow: dict | None = field(default=None, repr=False, compare=False)   # the flow walked, for its date table

    @classmethod
    def of(cls, flow: dict, today: date | None = None) -> "QuizWalk":
        states = state_graph(flow)
        return cls(states, [state["result"]["key"] for state in states],
                   [question["id"] for question in flow["questions"] if question["type"] == "date"],
                   date_window(today or date.today()), flow)

    @functools.cached_property
    def deadline_dates(self) -> dict:
        """quiz_dates.deadline_dates over `days`: {question: {procedure: {deadline: [date or None]}}}.
        Made when first asked for (the engine runs once for every day of the window: seconds)."""
        return deadline_dates(self.flow, self.states, self.days) if self.flow is not None else {}

    @classmethod
    def shared(cls, flow: dict, today: date | None = None) -> "QuizWalk":
        """The walk of `flow` on `today`, made once in a process (the build's, read only)."""
        day = today or date.today()
        return _WALKS.get((digest(flow), day), lambda: cls.of(flow, day))

    def screens(self) -> dict[str, dict]:
        """Screen key → the answers of the first state that shows it."""
        found: dict[str, dict] = {}
        for key, state in zip(self.keys, self.states):
            found.setdefault(key, state["answers"])
        return found


def megabytes(size: int, language: str) -> str:
    """`4.4 MB` written the reader's way (`4,4 MB` in Spanish)."""
    try:
        number = format_decimal(round(size / 1_000_000, 1), format="0.0", locale=language)
    except Exception:  # a language Babel does not know: the digits as they are
        number = f"{size / 1_000_000:.1f}"
    return f"{number}\u00a0MB"


# What a flow or a result holds besides reader texts: ids, values, statuses, dates.
_NOT_TEXT = frozenset({"id", "value", "previous", "type", "procedure", "page", "status", "criterion", "met", "question",
                       "time_limit", "bound", "unit", "amount", "date", "max", "only_for", "ask_if", "answer"})


def in_spanish(text: str) -> Markup:
    """A text that fell back to Spanish, marked so for screen readers and translation tools (WCAG 3.1.2)."""
    return Markup(FALLBACK_MARK + '{}</span>').format(text)


class QuizRenderer:
    """One language's screens, from the walk and that language's flow. `spanish`: the flow's texts
    that fell back to Spanish (build_flow collects them), shown marked lang="es"."""

    def __init__(self, walk: QuizWalk, flow: dict, runtime_bytes: int = 0, spanish: frozenset[str] = frozenset()):
        self.walk, self.flow, self.words = walk, flow, flow["strings"]
        self.spanish = spanish
        self.marked_words = self._marked(self.words)
        self.size = megabytes(runtime_bytes, flow["language"])
        self.deadline_questions = {limit["id"]: limit["question"]
                                   for procedure in flow["procedures"] for limit in procedure.get("deadlines", ())}
        self.marks = {True: self.words["met"], False: self.words["unmet"], None: self.words["unknown"]}
        labels = {"day": self.words["date-day"], "month": self.words["date-month"], "year": self.words["date-year"]}
        self.date_fields = [{"name": part, "label": labels[part]} for part in date_parts(self.words["date-format"])]
        # One evaluation per distinct screen, in this language: the states share them.
        self.results = {key: evaluate(flow, answers, WALK_TODAY) for key, answers in walk.screens().items()}

    def _marked(self, value, key: str = ""):
        """`value` (words, a question, a result) with each text that fell back to Spanish marked."""
        if not self.spanish or key in _NOT_TEXT:
            return value
        if isinstance(value, str):
            return in_spanish(value) if value in self.spanish else value
        if isinstance(value, dict):
            return {name: self._marked(item, name) for name, item in value.items()}
        if isinstance(value, list):
            return [self._marked(item, key) for item in value]
        return value

    def html(self, text: str) -> str:
        """A text of the quiz as HTML: escaped, and marked if it is in Spanish."""
        return str(in_spanish(text)) if text in self.spanish else _e(text)

    def sized(self, text: str) -> Markup:
        """A text that says the runtime's size (`{size}`) as HTML: marked if it is in Spanish, then
        the size put in (the Spanish texts are known as written, with `{size}`)."""
        marked = in_spanish(text) if text in self.spanish else Markup.escape(text)
        return Markup(marked.replace("{size}", Markup.escape(self.size)))

    def _common(self, live: bool) -> dict:
        return {"words": self.marked_words, "live": live, "marks": self.marks, "deadline_questions": self.deadline_questions,
                "status_words": STATUS_WORDS, "date_fields": self.date_fields, "guide_parts": GUIDE_PARTS,
                "site_root": _LIVE_TO_LANGUAGE_ROOT if live else _STATIC_TO_LANGUAGE_ROOT}

    def _screen(self, html: str) -> str:
        """A screen as the live quiz shows it: in a right-to-left language, its left-to-right runs
        isolated as on the pages (the page's own pass does not see what quiz.js puts in)."""
        return isolate_ltr_runs(html) if self.flow["language"] in RIGHT_TO_LEFT else html

    def live_screen(self, result: dict, hidden: bool = False) -> str:
        """What the live quiz shows for an engine result (the table holds one per screen key)."""
        if result["next"] is not None:
            return self._screen(render_html(
                "quiz-question.html", question=self._marked(result["next"]), hidden=hidden,
                save_data_note=self.sized(self.words["save-data-note"]), **self._common(True)))
        return self._screen(render_html("quiz-result.html", result=self._marked(result), prefix="amparo-outcome",
                                        **self._common(True)))

    def static_result(self, result: dict, section: str) -> str:
        return render_html("quiz-result.html", result=self._marked(result), prefix=section, **self._common(False))

    def table(self) -> dict:
        """What the live page needs to show any state at once: each state's screen and where each
        answer leads; each distinct screen once, with its key so that quiz.js can check the
        engine's result against it."""
        keys = list(self.results)
        number = {key: index for index, key in enumerate(keys)}
        # Screens share most of their lines (a permit's steps, its documents…): each line once,
        # each screen its lines' numbers. A seventh of the size, unpacked by joining them.
        pieces: dict[str, int] = {}
        screens = [[pieces.setdefault(line, len(pieces)) for line in self.live_screen(self.results[key]).split("\n")]
                   for key in keys]
        return {
            "format": TABLE_FORMAT,
            "states": [[number[key], state["next"]] for key, state in zip(self.walk.keys, self.walk.states)],
            "keys": keys,
            "screens": screens,
            "pieces": list(pieces),
            "dates": self.walk.date_questions,
            "answers": self._screen(render_html("quiz-answers.html", questions=self._marked(self.flow["questions"]),
                                                words=self.marked_words)),
            "leave": self._screen(render_html("quiz-leave.html", words=self.marked_words)),
            # The words quiz.js says after the first question (quiz_html has the first one's).
            "words": {"dates-calculating": self.words["dates-calculating"], "dates-unavailable": self.words["dates-unavailable"],
                      "date-incomplete": self.words["date-incomplete"], "date-impossible": self.words["date-impossible"],
                      "date-future": self.words["date-future"]},
            "window": self.date_table(),
        }

    def date_table(self) -> dict:
        """The reader's dates for every start date in the window, as the engine writes them:
        `{months: {"YYYY-MM": [index of its first day, its number of days]}, text: [each day
        written the reader's way, from the window's first day to the last deadline], deadlines:
        {question: {procedure: {deadline: [for each day of the window, how many days later its
        deadline falls, or null]}}}}`. quiz.js finds her day by its month and day number (a day
        not in `months` is outside the window), and the deadline's text `offset` days further
        on: no date arithmetic of its own. Offsets, not dates: they repeat, and compress to little."""
        days = self.walk.days
        if not days:
            return {"months": {}, "text": [], "deadlines": {}}
        ends = [end for limits in self.walk.deadline_dates.values() for columns in limits.values()
                for column in columns.values() for end in column if end]
        first, last = date.fromisoformat(days[0]), date.fromisoformat(max([days[-1], *ends]))
        calendar = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
        index = {day: number for number, day in enumerate(calendar)}
        months: dict[str, list[int]] = {}
        for number, day in enumerate(days):
            months.setdefault(day[:7], [number, 0])[1] += 1
        return {
            "months": months,
            "text": [format_date(day, self.words) for day in calendar],
            "deadlines": {question: {procedure: {limit: [index[end] - number if end else None for number, end in enumerate(column)]
                                                 for limit, column in columns.items()}
                                     for procedure, columns in limits.items()}
                          for question, limits in self.walk.deadline_dates.items()},
        }

    @staticmethod
    def screen_html(table: dict, screen: int) -> str:
        """A screen of the table as quiz.js puts it together."""
        return "\n".join(table["pieces"][piece] for piece in table["screens"][screen])

    def first_question(self) -> str:
        return self.live_screen(self.results[self.walk.keys[0]], hidden=True)

    def static_quiz(self) -> str:
        """Every state as a section; results that read the same are written once."""
        section_of: list[str] = []
        results: dict[str, str] = {}      # screen key → its section id
        for key, state in zip(self.walk.keys, self.walk.states):
            if state["result"]["done"]:
                section_of.append(results.setdefault(key, f"r{len(results)}"))
            else:
                section_of.append(f"s{len(section_of)}")
        sections = []
        for index, state in enumerate(self.walk.states):
            question = self._marked(self.results[self.walk.keys[index]]["next"])
            if question is None:
                continue
            labels = {option["value"]: option["label"] for option in question["options"]}
            links = [{"target": section_of[destination],
                      "label": self.marked_words["continue"] if question["type"] == "date" else labels[value]}
                     for value, destination in state["next"].items()]
            body = render_html("quiz-question.html", question=question, links=links, **self._common(False))
            sections.append(f'<section class="amparo-static__state" id="{section_of[index]}">{body}</section>')
        start_again = f'<p><a href="#s0">{self.html(self.words["start-again"])}</a></p>'
        for key, section in results.items():
            sections.append(f'<section class="amparo-static__state amparo-static__result" id="{section}">'
                            f'{self.static_result(self.results[key], section)}{start_again}</section>')
        return "".join(sections)


def _as_markdown(spanish: frozenset[str]):
    """A text of the quiz as Markdown: escaped, and marked if it is in Spanish."""
    return lambda text: str(in_spanish(text)) if text in spanish else escape(text)


def quiz_markdown(flow: dict, spanish: frozenset[str] = frozenset()) -> str:
    words, md = flow["strings"], _as_markdown(spanish)
    return "\n".join([f"# {md(words['title'])}", "", md(words["intro"]), "",
                      md(words["privacy"]), "{: .amparo-quiz__privacy }", "", MARKER, ""])


def static_quiz_markdown(flow: dict, spanish: frozenset[str] = frozenset()) -> str:
    words, md = flow["strings"], _as_markdown(spanish)
    return "\n".join([f"# {md(words['static-title'])}", "", md(words["static-intro"]), "",
                      MARKER, "", f"[{md(words['title'])}](index.md)", ""])


def _e(text) -> str:
    return escape(str(text), quote=True)


def quiz_html(renderer: QuizRenderer) -> str:
    """The live quiz: the first question at once; the table of every screen and of the dates in
    its window loads behind it, and the engine after the page (or, to save data, only for a date
    outside the window, once the reader has been told the size).

    Without JavaScript the reader is sent to the static version (a page of its own, so that this
    one stays as light as a guide page).
    """
    flow, words = renderer.flow, renderer.words
    language = flow["language"]
    simple = f'<a href="sencillo/">{renderer.html(words["static-title"])}</a>'
    live = (f'<div id="amparo-quiz" class="amparo-quiz" data-runtime="{SITE_ROOT}{RUNTIME_FOLDER}" '
            f'data-worker="{SITE_ROOT}assets/quiz/worker.mjs" data-flow="{flow_file(language)}" '
            f'data-table="{SITE_ROOT}{TABLE_FOLDER}{table_file(language)}" data-style="{SITE_ROOT}assets/quiz/quiz.css">'
            f'<p class="amparo-quiz__no-script">{renderer.html(words["no-script"])} {simple}</p>'
            f'<p class="amparo-quiz__save-data-choice" hidden><input type="checkbox" id="amparo-save-data">'
            f'<label for="amparo-save-data">{renderer.html(words["save-data"]).replace("{size}", renderer.size)}</label></p>'
            f"{renderer.first_question()}"
            f'<div class="amparo-quiz__stage"></div>'
            f'<p class="amparo-quiz__fallback" role="alert" hidden>{renderer.html(words["fallback"])} {simple}</p></div>')
    # Only the words quiz.js needs for the first question (the others come with the table): never
    # answers, and no code (a JSON block is not executed).
    needed = {"choose-one": words["choose-one"]}
    words_json = json.dumps(needed, ensure_ascii=False).replace("<", "\\u003c")
    return (live + f'<script type="application/json" id="amparo-quiz-words">{words_json}</script>'
            # The first question is shown as soon as it is parsed, in the page's first paint, as a
            # guide page's title is: a script of its own would wait for the network. (Inline,
            # allowed by its hash in the page's policy.)
            f"<script>{_SHOW_FIRST_QUESTION}</script>"
            # Not deferred: it runs as soon as the quiz is parsed, so the table starts loading
            # before the theme's larger script has even arrived.
            f'<script src="{SITE_ROOT}assets/quiz/quiz.js"></script>')


_SHOW_FIRST_QUESTION = ('(function(){var q=document.getElementById("amparo-quiz");'
                        'q.querySelector(".amparo-quiz__no-script").hidden=true;'
                        'q.querySelector("form[data-question]").hidden=false;})();')


def static_quiz_html(renderer: QuizRenderer) -> str:
    return f'<div id="amparo-static" class="amparo-static">{renderer.static_quiz()}</div>'


@dataclass(frozen=True)
class QuizScreens:
    """What a build puts on one language's pages: the live quiz's table and first question, and
    the static version."""

    table: dict
    live_html: str
    static_html: str

    @classmethod
    def of(cls, walk: QuizWalk, flow: dict, runtime_bytes: int = 0, spanish: frozenset[str] = frozenset()) -> "QuizScreens":
        renderer = QuizRenderer(walk, flow, runtime_bytes, spanish)
        return cls(renderer.table(), quiz_html(renderer), static_quiz_html(renderer))


_WALKS: Memo[QuizWalk] = Memo(4)   # the quiz being edited, and its last versions
