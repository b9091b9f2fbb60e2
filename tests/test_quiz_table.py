"""The state table the live quiz shows its screens from is the engine's own result, for every
state in every language; a date changes only the dates; and the static version shows the same
sections as the live quiz for the same answers."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from amparo.quiz_page import QUIZ_PAGE, STATIC_QUIZ_PAGE, QuizRenderer, QuizWalk, megabytes
from amparo.project import Settings, read_project
from amparo.site import build_site
from quiz import evaluate
from quiz.engine import NO_SE
from quiz.enumerate import WALK_TODAY, screen_key

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = read_project(REPO / "mkdocs.yml").languages
START_DATE = "2024-12-02"  # a Monday, before the walk's day
RUNTIME_BYTES = 4_835_627
DATE_SPAN = re.compile(r'(<span class="amparo-outcome__date"[^>]*>)[^<]*(</span>)')


@pytest.fixture(scope="module")
def site():
    return build_site(REPO / "procedures", REPO / "procedures" / "sources", Settings(LANGUAGES, runtime_bytes=RUNTIME_BYTES))


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
    compared = 0
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
        assert _headings(static) == _headings(live), state["answers"]
        assert re.findall(r"amparo-outcome--\w+", static) == re.findall(r"amparo-outcome--\w+", live)
        compared += 1
    assert compared > 300
    # The full result: steps, documents and the guide, not only the status.
    assert any("summary " + flow["strings"]["next-steps"] in _headings(s) for s in sections.values())
    assert any("summary " + flow["strings"]["documents"] in _headings(s) for s in sections.values())


@pytest.mark.parametrize(("language", "said"), [("es", "4,8\u00a0MB"), ("en", "4.8\u00a0MB"), ("fr", "4,8\u00a0MB"),
                                                ("zh", "4.8\u00a0MB")])
def test_saving_data_says_the_download_in_megabytes_the_readers_way(site, language, said):
    assert megabytes(RUNTIME_BYTES, language) == said
    page = next(iter(site.pages[QUIZ_PAGE][language].html_after.values()))
    choice = re.search(r'<label for="amparo-save-data">([^<]*)</label>', page).group(1)
    assert said in choice and site.flows[language]["strings"]["save-data"].split("{size}")[0] in html.unescape(choice)
    table = site.tables[language]
    date_screens = [QuizRenderer.screen_html(table, screen) for screen, key in enumerate(table["keys"]) if key.startswith("q:fecha")]
    assert date_screens and all(said in screen and "data-save-data-note hidden" in screen for screen in date_screens)
