"""The quiz engine gives the reader's browser exactly what it gives CPython.

The engine runs under Pyodide in Node, loaded the way the browser worker loads it and from the
same bundle the site ships (amparo.publish.engine_bundle): the trimmed standard library, our lockfile, our wheel.
One Node process evaluates every case: every state and every path of the quiz, start dates
chosen to stress the deadline arithmetic, and a sample of the days of the live quiz's date table,
whose dates (computed by CPython at build time) must be the ones the runtime gives. A module the
engine needs but the trimmed standard library lacks makes the run fail.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from amparo.publish.engine_bundle import (
    STDLIB_NAME,
    bundle,
    run_engine_in_pyodide,
    sha256_of,
    stdlib_modules,
    zip_modules,
)
from amparo.project import read_project
from amparo.render.quiz_pages import QuizRenderer, QuizWalk
from amparo.publish.generated_pages import localized_flow
from quiz import enumerate_paths, evaluate
from quiz.enumerate import walk_nodes

# One process runs the engine under Node once for the whole module.
pytestmark = [pytest.mark.pyodide, pytest.mark.xdist_group("pyodide")]

REPO = Path(__file__).resolve().parents[1]
RUNTIME = REPO / "node_modules" / "pyodide"
# zopfli takes seconds over the standard library; .cache/ is git-ignored.
STDLIB_CACHE = REPO / ".cache" / "pyodide-stdlib"
MEASURE = "amparo bundle measure"

TODAY = "2025-06-30"  # a Monday
# (start date, today): each one a valid start date.
VALID_DATES = [
    ("2025-06-30", TODAY),  # today itself is not in the future
    ("2025-06-27", TODAY),  # a Friday: business days jump the weekend
    ("2025-06-28", TODAY),  # a Saturday: counting starts on Monday
    ("2025-03-14", TODAY),
    ("2024-01-31", TODAY),  # + 1 month: 29 February, a leap year
    ("2025-01-31", TODAY),  # + 1 month: 28 February
    ("2024-02-29", TODAY),  # the leap day itself
    ("2024-03-31", TODAY),  # + 1 month: 30 April
    ("2025-05-31", TODAY),  # + 1 month: 30 June
    ("2024-12-31", TODAY),  # + 1 month: into the next year
    ("2024-02-23", TODAY),  # a Friday: 10 business days across 29 February
    ("2024-12-27", TODAY),  # a Friday: 10 business days across the new year
    ("2023-12-01", TODAY),  # + 90 days across a leap February
    ("2024-02-29", "2024-02-29"),  # the leap day, entered on that day
    ("2024-01-31", None),  # no today: the engine uses the system date
    ("2024-01-31", "2025-02-30"),  # an invalid today: the system date too
]
# (start date, today): each one ignored, so the date question is asked again.
IGNORED_DATES = [
    ("2025-07-01", TODAY),  # tomorrow
    ("2026-01-01", TODAY),
    ("2024-03-01", "2024-02-29"),
    ("2025-02-29", TODAY),  # not a leap year
    ("2024-02-30", TODAY),
    ("2025-04-31", TODAY),
    ("2025-13-01", TODAY),
    ("2025-00-10", TODAY),
    ("2025-6-30", TODAY),
    ("30/06/2025", TODAY),
    ("2025-06-30T00:00", TODAY),
    ("２０２５-０６-３０", TODAY),  # full-width digits are digits to str.isdigit
    ("", TODAY),
    (20250630, TODAY),
    (None, TODAY),
]
# Answers a browser may have kept from an older quiz: ignored, never an error.
ODD_ANSWERS = [
    {"pais": "marte", "nacionalidad": "no"},
    {"pregunta-retirada": "si", "pais": "espana"},
    {"pais": ["espana"], "nacionalidad": 1},
    ["pais", "espana"],
]


def _missing_runtime() -> str | None:
    if shutil.which("node") is None:
        return "node is not on PATH: install Node.js to run the engine under Pyodide"
    if not (RUNTIME / "pyodide.asm.wasm").exists():
        return "node_modules/pyodide is missing: run `npm ci` (`make test` does)"
    return None


@pytest.fixture(scope="module")
def flow():
    return localized_flow(read_project(REPO / "mkdocs.yml"), "es")


@pytest.fixture(scope="module")
def nodes(flow):
    return list(walk_nodes(flow))


@pytest.fixture(scope="module")
def date_states(nodes):
    """Every state whose next question is a date question, in walk order."""
    return [(answers, result["next"]["id"]) for answers, result in nodes
            if result["next"] is not None and result["next"]["type"] == "date"]


@pytest.fixture(scope="module")
def date_table(flow):
    """The live quiz's date table as a build today writes it, with the walk it came from."""
    walk = QuizWalk.of(flow, date.today())
    return walk, QuizRenderer(walk, flow).date_table()


def _table_sample(days: list[str]) -> list[str]:
    """Days of the window that stress the arithmetic: its edges, months' ends, the leap day,
    Fridays and weekends before a month's end; and every 29th day besides."""
    picked = {days[0], days[-1], *days[::29]}
    for day in days:
        parsed = date.fromisoformat(day)
        if day[5:] in ("01-31", "02-28", "02-29", "03-31", "12-31") or (parsed.weekday() >= 4 and parsed.day >= 24):
            picked.add(day)
    return sorted(picked)


@pytest.fixture(scope="module")
def table_cases(flow, date_table):
    """(question, day, answers) for the sample: for each date question, the result that shows the
    most of the deadlines it starts, with each sampled day."""
    walk, _ = date_table
    starts = {(p["id"], limit["id"]): limit.get("question") for p in flow["procedures"] for limit in p["deadlines"]}

    def shown(state, question):
        return sum(starts.get((outcome["procedure"], limit["id"])) == question
                   for outcome in state["result"]["outcomes"] for limit in outcome["deadlines"])

    found = []
    for question in walk.date_questions:
        results = [state for state in walk.states
                   if state["result"]["next"] is None and state["answers"].get(question) == "no-se"]
        answers = max(results, key=lambda state: shown(state, question))["answers"]
        found += [(question, day, {**answers, question: day}) for day in _table_sample(walk.days)]
    return found


@pytest.fixture(scope="module")
def cases(flow, nodes, date_states, table_cases, date_table):
    """{group: [{answers, today}]}: what both interpreters evaluate."""
    first_state_of = {}
    for answers, question in date_states:
        first_state_of.setdefault(question, answers)
    dated = []
    for question, answers in first_state_of.items():
        for start, today in VALID_DATES + IGNORED_DATES:
            dated.append({"answers": {**answers, question: start}, "today": today})
    # Every way of reaching a date question, with one start date each.
    dated += [{"answers": {**answers, question: "2024-01-31"}, "today": TODAY} for answers, question in date_states]
    return {
        "states": [{"answers": answers, "today": TODAY} for answers, _ in nodes],
        "paths": [{"answers": path["answers"], "today": TODAY} for path in enumerate_paths(flow)],
        "dates": dated,
        "odd answers": [{"answers": answers, "today": TODAY} for answers in ODD_ANSWERS],
        "table dates": [{"answers": answers, "today": date_table[0].days[-1]} for _, _, answers in table_cases],
    }


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory):
    reason = _missing_runtime()
    if reason:
        pytest.skip(reason)
    directory = tmp_path_factory.mktemp("quiz-bundle")
    bundle(RUNTIME, REPO / "quiz", directory, STDLIB_CACHE)
    return directory


@pytest.fixture(scope="module")
def pyodide_run(flow, cases, bundle_dir, tmp_path_factory):
    """({group: [result]}, report) from one Node process."""
    every_case = [case for group in cases.values() for case in group]
    report_path = tmp_path_factory.mktemp("pyodide-report") / "report.json"
    try:
        results = run_engine_in_pyodide(bundle_dir, flow, every_case, report_path)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    assert len(results) == len(every_case)
    grouped, start = {}, 0
    for group, group_cases in cases.items():
        grouped[group] = results[start:start + len(group_cases)]
        start += len(group_cases)
    return grouped, json.loads(report_path.read_text(encoding="utf-8"))


def _in_cpython(flow, case):
    # Through JSON, as the browser receives it: tuples become lists, keys strings.
    return json.loads(json.dumps(evaluate(flow, case["answers"], case["today"])))


def _differences(flow, cases, results) -> list[str]:
    differences = []
    for case, in_pyodide in zip(cases, results, strict=True):
        in_cpython = _in_cpython(flow, case)
        if in_pyodide != in_cpython:
            differences.append(f"answers={case['answers']!r} today={case['today']!r}:\n"
                               f"  CPython: {json.dumps(in_cpython, ensure_ascii=False)[:2000]}\n"
                               f"  Pyodide: {json.dumps(in_pyodide, ensure_ascii=False)[:2000]}")
    return differences


@pytest.mark.parametrize("group", ["states", "paths", "dates", "odd answers", "table dates"])
def test_pyodide_gives_the_same_results_as_cpython(flow, cases, pyodide_run, group):
    results, _ = pyodide_run
    assert cases[group], f"no {group} to compare"
    differences = _differences(flow, cases[group], results[group])
    assert not differences, (f"{len(differences)} of {len(cases[group])} {group} differ under Pyodide; the first:\n"
                             + "\n".join(differences[:3]))


def test_the_runtime_gives_the_date_tables_dates(pyodide_run, table_cases, date_table):
    # The live quiz shows the table's dates without the runtime; when the runtime is there, it
    # checks them. Both must be the same, day after day.
    results, _ = pyodide_run
    _, table = date_table
    compared = 0
    for (question, day, _), result in zip(table_cases, results["table dates"], strict=True):
        month = table["months"][day[:7]]
        index = month[0] + int(day[8:]) - 1
        for outcome in result["outcomes"]:
            for limit in outcome["deadlines"]:
                offsets = table["deadlines"].get(question, {}).get(outcome["procedure"], {}).get(limit["id"])
                if offsets is None:
                    continue
                assert limit["date_text"] == table["text"][index + offsets[index]], (question, day, outcome["procedure"])
                compared += 1
    assert compared >= len(table_cases) + 1


def test_the_date_cases_reach_the_deadline_arithmetic(flow, date_states, cases):
    # Without this, a changed quiz could leave the date cases asking nothing about dates.
    units = {limit["question"]: limit["unit"] for procedure in flow["procedures"] for limit in procedure["deadlines"]}
    assert {"months", "business_days"} <= {units[question] for _, question in date_states}
    for case in cases["dates"]:
        result = _in_cpython(flow, case)
        question = next(q for q in case["answers"] if q in units)
        start = case["answers"][question]
        counted = any(asked["id"] == question for asked in result["asked"])
        if (start, case["today"]) in IGNORED_DATES:
            assert not counted and result["next"]["id"] == question, case
        else:
            assert counted, case
            assert any(limit["date"] for outcome in result["outcomes"] for limit in outcome["deadlines"]), case


def test_pyodide_ran_on_the_trimmed_standard_library(bundle_dir, pyodide_run):
    _, report = pyodide_run
    shipped = bundle_dir / STDLIB_NAME
    assert report["stdlib_sha256"] == sha256_of(shipped), "Pyodide did not run on the bundle's standard library"
    assert zip_modules(shipped) < zip_modules(RUNTIME / STDLIB_NAME), "the bundle's standard library is not trimmed"


def test_the_shipped_module_list_has_nothing_unused(pyodide_run):
    # Anything missing would have failed the run; anything extra is bytes every reader downloads.
    _, report = pyodide_run
    imported = set(report["modules"]) & zip_modules(RUNTIME / STDLIB_NAME)
    extra = sorted(set(stdlib_modules()) - imported)
    assert not extra, (f"amparo/publish/pyodide-stdlib-modules.txt lists modules nothing imports: {extra}. "
                       f"Run `{MEASURE}` and commit the list")
