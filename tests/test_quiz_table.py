"""The state table the live quiz shows its screens from is the engine's own result, for every
state in every language; a date changes only the dates, and the table's dates are the engine's
for every day of its window in every language; and the static version shows the same sections as
the live quiz for the same answers."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from amparo.render.quiz_date_table import date_window
from amparo.render.quiz_pages import QUIZ_PAGE, STATIC_QUIZ_PAGE, QuizRenderer, QuizWalk, date_parts, megabytes
from amparo.project import Settings, read_project
from amparo.content.interface_words import GUIDE_PARTS
from amparo.publish.generated_pages import build_site
from quiz import evaluate
from quiz.engine import NO_SE
from quiz.enumerate import WALK_TODAY, screen_key

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = read_project(REPO / "mkdocs.yml").languages
START_DATE = "2024-12-02"  # a Monday, before the walk's day
RUNTIME_BYTES = 4_835_627
DATE_SPAN = re.compile(r'(<span class="amparo-outcome__date"[^>]*>)[^<]*(</span>)')


BUILD_DAY = date.today()


@pytest.fixture(scope="module")
def site():
    # With the build's cache: tests/test_build_cache.py shows a table from it is the one made afresh.
    return build_site(REPO / "procedures", REPO / "procedures" / "sources",
                      Settings(LANGUAGES, runtime_bytes=RUNTIME_BYTES, today=BUILD_DAY, cache_dir=REPO / ".cache/amparo"))


@pytest.fixture(scope="module")
def walk(site):
    """The states, walked once (they are the same in every language), with the window's dates."""
    return QuizWalk.of(site.flows["es"], BUILD_DAY)


def test_every_language_is_checked(site):
    assert len(LANGUAGES) > 1 and set(site.tables) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_table_is_the_engines_result_for_every_state(site, language):
    flow, table = site.flows[language], site.tables[language]
    walk = QuizWalk.of(flow)
    # A language may be partial: its texts still in Spanish are marked so, in the table too.
    renderer = QuizRenderer(walk, flow, RUNTIME_BYTES, site.quiz_spanish[language])
    assert len(table["states"]) == len(walk.states) > 700
    for state, (screen, next_states) in zip(walk.states, table["states"]):
        result = evaluate(flow, state["answers"], WALK_TODAY)
        assert table["keys"][screen] == screen_key(result), state["answers"]
        assert QuizRenderer.screen_html(table, screen) == renderer.live_screen(result), state["answers"]
        # Each answer offered leads to the state of those answers; nothing else leads anywhere.
        question = result["next"]
        offered = [NO_SE] if question and question["type"] == "date" else [o["value"] for o in (question or {}).get("options", [])]
        assert list(next_states) == offered
        for value, destination in next_states.items():
            assert walk.states[destination]["answers"] == {**state["answers"], question["id"]: value}


@pytest.mark.parametrize("language", ["es", "ar"])
def test_a_date_leads_where_no_se_does_and_changes_only_the_dates(site, language):
    flow, table = site.flows[language], site.tables[language]
    walk = QuizWalk.of(flow)
    renderer = QuizRenderer(walk, flow, RUNTIME_BYTES, site.quiz_spanish[language])
    dated = 0
    for state in walk.states:
        question = state["result"]["next"]
        if question is None or question["type"] != "date":
            continue
        answers = {**state["answers"], question["id"]: START_DATE}
        with_date = evaluate(flow, answers, WALK_TODAY)
        skipped = table["states"][state["next"][NO_SE]][0]
        assert screen_key(with_date) == table["keys"][skipped], answers
        if with_date["done"]:
            dates = [d["date_text"] for o in with_date["outcomes"] for d in o["deadlines"] if d["date"]]
            assert dates, answers
            dated += 1
            # The same screen as the table's, but for the dates quiz.js fills in.
            shown = renderer.live_screen(with_date)
            assert DATE_SPAN.sub(r"\1\2", shown) == DATE_SPAN.sub(r"\1\2", QuizRenderer.screen_html(table, skipped))
            assert all(f">{date}</span>" in shown for date in dates)
    assert dated > 10


def _headings(markup: str) -> list[str]:
    """Headings and disclosure summaries, in order: the parts of a screen."""
    return [f"{tag} " + html.unescape(re.sub(r"<[^>]+>|\s+", " ", text)).strip()
            for tag, text in re.findall(r"<(h[234]|summary)[^>]*>(.*?)</\1>", markup, re.S)]


def _static_sections(site, language: str) -> dict[str, str]:
    block = next(iter(site.pages[STATIC_QUIZ_PAGE][language].html_after.values()))
    chunks = block.split('<section class="amparo-static__state')[1:]
    return {re.match(r'[^"]*" id="([^"]+)"', chunk).group(1): chunk for chunk in chunks}


@pytest.mark.parametrize("language", ["es", "en", "ar"])
def test_the_static_version_shows_the_same_sections_as_the_live_quiz(site, language):
    flow, table = site.flows[language], site.tables[language]
    sections = _static_sections(site, language)
    walk = QuizWalk.of(flow)
    compared, linked = 0, set()
    for number, state in enumerate(walk.states):
        if not state["result"]["done"]:
            continue
        # Follow the static version's links from its first section, answer by answer.
        section, at = "s0", 0
        while walk.states[at]["result"]["next"] is not None:
            question = evaluate(flow, walk.states[at]["answers"], WALK_TODAY)["next"]
            value = state["answers"][question["id"]]
            label = flow["strings"]["continue"] if question["type"] == "date" else \
                next(o["label"] for o in question["options"] if o["value"] == value)
            links = dict((html.unescape(text), target) for target, text in
                         re.findall(r'<a href="#([^"]+)">([^<]*)</a>', sections[section]))
            section, at = links[label], walk.states[at]["next"][value]
        assert at == number
        live = QuizRenderer.screen_html(table, table["states"][number][0])
        static = sections[section]
        # The parts a result copies from its permit's guide (steps, documents…) the static
        # version links to, in that guide: every other heading is the live quiz's.
        guide_parts = {"summary " + flow["strings"][word] for _, word in GUIDE_PARTS.values()}
        assert _headings(static) == [h for h in _headings(live) if h not in guide_parts], state["answers"]
        assert re.findall(r"amparo-outcome--\w+", static) == re.findall(r"amparo-outcome--\w+", live)
        for outcome in evaluate(flow, state["answers"], WALK_TODAY)["outcomes"]:
            for part, (anchor, _) in GUIDE_PARTS.items():
                link = f'href="../../{outcome["page"]}#{anchor}"'
                assert (link in static) == bool(outcome[part]), (state["answers"], outcome["procedure"], part)
                if outcome[part]:
                    linked.add(part)
        compared += 1
    assert compared > 300
    # The full result, not only the status: every part of a guide is reached from some result.
    assert linked == set(GUIDE_PARTS)


@pytest.mark.parametrize(("language", "said"), [("es", "4,8\u00a0MB"), ("en", "4.8\u00a0MB"), ("fr", "4,8\u00a0MB"),
                                                ("zh", "4.8\u00a0MB")])
def test_saving_data_says_the_download_in_megabytes_the_readers_way(site, language, said):
    assert megabytes(RUNTIME_BYTES, language) == said
    page = next(iter(site.pages[QUIZ_PAGE][language].html_after.values()))
    choice = re.search(r'<label for="amparo-save-data">([^<]*)</label>', page).group(1)
    assert said in choice and site.flows[language]["strings"]["save-data"].split("{size}")[0] in html.unescape(choice)
    table = site.tables[language]
    date_screens = [QuizRenderer.screen_html(table, screen) for screen, key in enumerate(table["keys"]) if key.startswith("q:fecha")]
    assert date_screens and all(said in screen and re.search(r"data-save-data-note[^>]* hidden", screen) for screen in date_screens)


# --- the date table: the reader's dates for every day of the window --------------------------


def table_date_text(table: dict, question: str, procedure: str, deadline: str, day: str) -> str | None:
    """What quiz.js shows for one deadline and a start day: the table's text, found as quiz.js
    finds it (the month, the day's number, the offset), or None outside the window."""
    window = table["window"]
    month = window["months"].get(day[:7])
    number = int(day[8:])
    if not month or not 1 <= number <= month[1]:
        return None
    index = month[0] + number - 1
    offsets = window["deadlines"].get(question, {}).get(procedure, {}).get(deadline)
    if not offsets or offsets[index] is None:
        return None
    return window["text"][index + offsets[index]]


def window_days(table: dict) -> list[str]:
    return [f"{month}-{number:02d}" for month, (_, days) in table["window"]["months"].items() for number in range(1, days + 1)]


def dated_deadlines(result: dict, question: str, flow: dict) -> dict[tuple[str, str], str]:
    """(procedure, deadline) → the engine's date text, for the deadlines `question` starts."""
    starts = {(p["id"], limit["id"]) for p in flow["procedures"] for limit in p.get("deadlines", ())
              if limit.get("question") == question}
    return {(outcome["procedure"], limit["id"]): limit["date_text"] for outcome in result["outcomes"]
            for limit in outcome["deadlines"] if (outcome["procedure"], limit["id"]) in starts}


def results_counting(walk: QuizWalk, question: str) -> list[dict]:
    """The answers of every result that counts `question` (answered no-se in the walk)."""
    return [state["answers"] for state in walk.states
            if state["result"]["next"] is None and state["answers"].get(question) == NO_SE]


def test_the_window_runs_from_two_years_before_the_build_to_a_year_after():
    days = date_window(date(2026, 12, 6))
    assert (days[0], days[-1]) == ("2024-12-01", "2027-12-31")
    assert len(days) == len(set(days)) == (date(2028, 1, 1) - date(2024, 12, 1)).days
    assert date_window(date(2024, 2, 29))[-1] == "2025-02-28" and "2022-02-01" == date_window(date(2024, 2, 29))[0]
    assert date_window(date(2027, 1, 31))[-1] == "2028-01-31"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_date_table_is_the_engines_result_for_every_day_of_the_window(site, walk, language):
    flow, table = site.flows[language], site.tables[language]
    days = window_days(table)
    assert days == date_window(BUILD_DAY), "the table's window is not the build's"
    today = days[-1]
    compared = 0
    for question in walk.date_questions:
        # The result that shows the most deadlines of this question, every day of the window.
        answers = max(results_counting(walk, question),
                      key=lambda a: len(dated_deadlines(evaluate(flow, {**a, question: days[0]}, today), question, flow)))
        for day in days:
            engine = dated_deadlines(evaluate(flow, {**answers, question: day}, today), question, flow)
            assert engine and all(engine.values()), (question, day)
            for (procedure, deadline), text in engine.items():
                assert table_date_text(table, question, procedure, deadline, day) == text, (question, procedure, deadline, day)
                compared += 1
    assert compared > 4 * len(days)


# Days that stress the arithmetic: the window's edges, a leap day, months' ends, Fridays.
def _hard_days(days: list[str]) -> list[str]:
    picked = {days[0], days[-1]} | {day for day in days if day[5:] in ("02-29", "01-31", "03-31", "12-31")}
    picked |= {day for day in days if date.fromisoformat(day).weekday() == 4}
    return sorted(picked)


@pytest.mark.parametrize("language", ["es", "zh"])
def test_every_result_that_counts_a_date_finds_its_dates_in_the_table(site, walk, language):
    # Any result, whatever the other answers: the table has each deadline it shows, with its date.
    flow, table = site.flows[language], site.tables[language]
    days = window_days(table)
    sample = _hard_days(days)[::8]
    checked = 0
    for question in walk.date_questions:
        for answers in results_counting(walk, question):
            for day in sample:
                for (procedure, deadline), text in dated_deadlines(evaluate(flow, {**answers, question: day}, days[-1]),
                                                                   question, flow).items():
                    assert table_date_text(table, question, procedure, deadline, day) == text, (answers, day)
                    checked += 1
    assert checked > 1000


def test_a_day_outside_the_window_is_left_to_the_engine(site):
    table = site.tables["es"]
    first, last = date.fromisoformat(window_days(table)[0]), date.fromisoformat(window_days(table)[-1])
    for day in (first - timedelta(days=1), last + timedelta(days=1), date(first.year - 10, 6, 15)):
        assert table_date_text(table, "fecha-admision", "espana-victimas-trata", "tasa", day.isoformat()) is None
    # Not a day of any calendar: no text either.
    assert table_date_text(table, "fecha-admision", "espana-victimas-trata", "tasa", f"{first.year + 1}-02-30") is None


@pytest.mark.parametrize(("language", "order"), [("es", ["day", "month", "year"]), ("ar", ["day", "month", "year"]),
                                                 ("zh", ["year", "month", "day"])])
def test_date_fields_follow_the_order_the_language_writes_a_date(site, language, order):
    flow, table = site.flows[language], site.tables[language]
    assert date_parts(flow["strings"]["date-format"]) == order
    screen = next(QuizRenderer.screen_html(table, number) for number, key in enumerate(table["keys"]) if key.startswith("q:fecha"))
    assert re.findall(r'<input type="text" inputmode="numeric"[^>]* name="(\w+)"', screen) == order
    assert "<input type=\"date\"" not in screen
    labels = dict(re.findall(r'<label for="q-[\w-]+-(day|month|year)">([^<]+)</label>', screen))
    assert labels == {part: flow["strings"]["date-" + part] for part in order}
