"""The site in Chromium (Playwright): quiz start-up against a bare Pyodide page, per-answer
latency, bytes per file and page weight, the cheap-phone scenario (bench/cheap_phone.py), and
what the pages log.

The built site is served by bench/serve.py (gzip, GitHub Pages' caching headers) from a
temporary copy that also holds bench/bare/ at /bench-bare/ (never part of the site).

- Cold: a fresh browser context (empty HTTP cache). Warm: a second page in the same context,
  the HTTP cache primed by the first visit (max-age=600, so nothing is revalidated).
- Times are in-page `performance.now()` values (ms since navigation start) recorded by
  bench/marks.js: no polling, so they do not depend on how often Playwright looks.
- Bytes: Resource Timing of the page and of its workers (encodedBodySize = body bytes on the
  wire, gzip included; transferSize 0 = served from the HTTP cache), with the server's own log
  of the same visit beside it (server_bytes, server_requests) as a cross-check.
- Nothing is routed or intercepted (Playwright's routing would disable the HTTP cache), except
  in one cold diagnostic visit that blocks Material's search worker on purpose. Requests to
  other hosts are only recorded (Chromium runs with --disable-background-networking).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from . import cheap_phone

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PAGES = {"home": "/", "guide": "/guias/espana-victimas-trata/", "comparison": "/guias/comparar/", "quiz": "/cuestionario/"}
BARE = "/bench-bare/"
PHASES = "/bench-bare/phases.html"
BARE_DIR = Path(__file__).with_name("bare")
MARKS = Path(__file__).with_name("marks.js")
SERVE = Path(__file__).with_name("serve.py")
RUNTIME_PATH = "/assets/quiz/runtime/"
QUIZ_PREFIX = "/assets/quiz/"
# A date question is answered with a real date (so deadlines are computed), not "I don't know":
# a Monday about two months ago, inside the date table's window of a site built today, and, for
# the engine's own path, a day long before any window.
_RECENT = date.today() - timedelta(days=60)
DATE_ANSWER = (_RECENT - timedelta(days=_RECENT.weekday())).isoformat()
OLD_DATE_ANSWER = date(date.today().year - 10, 3, 15).isoformat()

READY = {
    "page": "html[data-bench-h1]",
    "quiz": "html[data-bench-engine][data-bench-question], #amparo-quiz[data-engine=failed]",
    "bare": "html[data-ready-ms], html[data-failed]",
    "phases": "html[data-phases], html[data-failed]",
}

COLLECT_JS = """() => {
  const d = document.documentElement.dataset;
  const num = (v) => (v === undefined ? null : Number(v));
  const paint = Object.fromEntries(performance.getEntriesByType("paint").map((e) => [e.name, e.startTime]));
  const nav = performance.getEntriesByType("navigation")[0];
  const state = window.__amparoBench || { csp: [] };
  return {
    h1: num(d.benchH1), question: num(d.benchQuestion), engine: num(d.benchEngine),
    bare: num(d.readyMs), failed: d.failed || null, phases: d.phases ? JSON.parse(d.phases) : null,
    engineState: document.getElementById("amparo-quiz")?.dataset.engine || null,
    fcp: paint["first-contentful-paint"] ?? null,
    domContentLoaded: nav ? nav.domContentLoadedEventEnd : null, load: nav ? nav.loadEventEnd : null,
    csp: state.csp,
  };
}"""

RESOURCES_JS = """() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
  .map((e) => ({ url: e.name, encoded: e.encodedBodySize, transfer: e.transferSize, decoded: e.decodedBodySize,
                 start: e.startTime, end: e.responseEnd }))"""


class BenchError(RuntimeError):
    pass


# --- the server -------------------------------------------------------------------------------


class Server:
    """bench/serve.py in its own process (so it never competes with this one for the GIL)."""

    def __init__(self, root: Path, log_file: Path):
        self.log_file = log_file
        log_file.write_text("", encoding="utf-8")
        self.process = subprocess.Popen([sys.executable, str(SERVE), str(root), "--log", str(log_file)],
                                        stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.process.kill()
            raise BenchError(f"bench/serve.py did not start: {line!r}")
        self.url = line
        self.netloc = urlsplit(line).netloc

    def offset(self) -> int:
        return self.log_file.stat().st_size

    def since(self, offset: int) -> list[dict]:
        with self.log_file.open("rb") as handle:
            handle.seek(offset)
            return [json.loads(line) for line in handle.read().decode("utf-8").splitlines() if line.strip()]

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def prepare_served(site_dir: Path, dest: Path) -> Path:
    """The built site plus the bare pages, in a folder of its own."""
    import shutil

    shutil.copytree(site_dir, dest)
    shutil.copytree(BARE_DIR, dest / BARE.strip("/"))
    return dest


# --- one visit --------------------------------------------------------------------------------


class Session:
    """One Chromium; collects what the site's pages log and request from other hosts."""

    def __init__(self, browser, server: Server):
        self.browser, self.server = browser, server
        self.console: Counter = Counter()
        self.page_errors: Counter = Counter()
        self.csp: Counter = Counter()
        self.foreign: Counter = Counter()
        self.not_found: Counter = Counter()

    def context(self):
        context = self.browser.new_context(base_url=self.server.url)
        context.add_init_script(path=str(MARKS))
        context.on("request", self._request)
        return context

    def _request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.server.netloc:
            self.foreign[request.url] += 1

    def visit(self, context, path: str, kind: str, timeout_ms: int = 120_000, diagnostic: bool = False):
        """Open `path` in a new page of `context`; returns (page, measurements). What the site's
        pages log is recorded, except in diagnostic visits (which change the page on purpose)."""
        from playwright.sync_api import expect

        site_page = not path.startswith(BARE) and not diagnostic
        page = context.new_page()
        if site_page:
            page.on("console", lambda message: self._console(message, path))
            page.on("pageerror", lambda error: self.page_errors.update([f"{path}: {error}"]))
        offset = self.server.offset()
        page.goto(path)
        expect(page.locator(READY[kind]).first).to_be_attached(timeout=timeout_ms)
        page.wait_for_load_state("networkidle")
        data = page.evaluate(COLLECT_JS)
        resources = page.evaluate(RESOURCES_JS)
        origin = page.evaluate("() => performance.timeOrigin")
        for worker in page.workers:
            try:
                # A worker's clock starts with the worker: shift its times onto the page's.
                shift = worker.evaluate("() => performance.timeOrigin") - origin
                resources += [dict(r, start=r["start"] + shift, end=r["end"] + shift, worker=worker.url)
                              for r in worker.evaluate(RESOURCES_JS)]
            except Exception:  # a worker that has just ended
                pass
        served = self.server.since(offset)
        if site_page:
            self.csp.update(f"{path}: {text}" for text in data["csp"])
            self.not_found.update(f"{entry['path']} (from {path})" for entry in served if entry["status"] == 404)
        if data["failed"] or data["engineState"] == "failed":
            raise BenchError(f"{path}: {data['failed'] or 'the quiz engine failed to start'}")
        data["resources"] = [dict(r, path=urlsplit(r["url"]).path) for r in resources]
        data["served"] = served
        return page, data

    def _console(self, message, path):
        if message.type in ("error", "warning"):
            bucket = self.csp if "Content Security Policy" in message.text else self.console
            bucket[f"{path}: [{message.type}] {message.text}"] += 1

    def problems(self) -> dict:
        def listing(counter):
            return [f"{text} (×{count})" if count > 1 else text for text, count in sorted(counter.items())]

        return {"console": listing(self.console), "page_errors": listing(self.page_errors),
                "csp_violations": listing(self.csp), "requests_to_other_hosts": listing(self.foreign),
                "not_found": listing(self.not_found)}


def weight(data: dict) -> dict:
    """Bytes of one visit: Resource Timing (page and workers) and the server's log."""
    network = [r for r in data["resources"] if r["transfer"] > 0]
    served = data["served"]
    return {
        "requests": len(data["resources"]),
        "from_cache": len(data["resources"]) - len(network),
        "bytes": sum(r["encoded"] for r in network),
        "decoded_bytes": sum(r["decoded"] for r in data["resources"]),
        "server_requests": len(served),
        "server_bytes": sum(entry["bytes"] for entry in served),
    }


def files(data: dict, prefix: str = "") -> dict[str, int]:
    """Encoded (on-the-wire) bytes per file path of one visit, for paths starting with `prefix`."""
    out: dict[str, int] = {}
    for r in data["resources"]:
        if r["path"].startswith(prefix):
            out[r["path"]] = out.get(r["path"], 0) + r["encoded"]
    return dict(sorted(out.items()))


def largest(data: dict, count: int = 3) -> list[list]:
    """The biggest files of one visit: [path, encoded bytes]."""
    sizes = files(data)
    return [[path, size] for path, size in sorted(sizes.items(), key=lambda item: -item[1])[:count]]


def quiz_timeline(data: dict) -> dict:
    """When the quiz page's worker did what, from Resource Timing (ms since navigation start)."""
    def entry(name):
        return next((r for r in data["resources"] if r["path"].endswith(name)), None)

    def at(name, key):
        found = entry(name)
        return round(found[key], 1) if found else None

    downloads = [at(name, "end") for name in ("pyodide.asm.wasm", "pyodide.asm.mjs", "python_stdlib.zip")]
    return {
        "quiz_js_requested": at("/quiz.js", "start"),
        "worker_requested": at("/worker.mjs", "start"),
        "runtime_downloaded": max((d for d in downloads if d is not None), default=None),
        "python_started": at(".whl", "start"),          # loadPyodide() resolved: loadPackage asks for the wheel
        "wheel_installed": at("/flow.es.json", "start"),  # loadPackage() resolved: the flow is fetched next
        "engine_ready": data["engine"],
    }


# --- the quiz, answered -----------------------------------------------------------------------


def longest_path(flow: dict) -> dict:
    """The answers of the longest path through the quiz (the most questions asked)."""
    from quiz.enumerate import enumerate_paths

    paths = enumerate_paths(flow)
    return max(paths, key=lambda path: len(path["answers"]))["answers"]


def answer_all(page, plan: dict) -> list[dict]:
    """Answer question after question until the result shows; the engine's time for each."""
    from playwright.sync_api import expect

    root = page.locator("#amparo-quiz")
    html = page.locator("html")
    answered = []
    for _ in range(100):
        if root.get_attribute("data-done") == "true":
            break
        form = page.locator("#amparo-quiz form[data-question]:visible").first
        question, kind = form.get_attribute("data-question"), form.get_attribute("data-type")
        if kind == "date":
            cheap_phone.fill_date(form, DATE_ANSWER)
        else:
            value = plan.get(question) or form.locator("input[name=answer]").first.get_attribute("value")
            form.locator(f"input[name=answer][value='{value}']").check()
        renders = int(html.get_attribute("data-bench-renders") or 0)
        form.locator("button[type=submit]").click()
        expect(page.locator(f"html[data-bench-renders='{renders + 1}']")).to_be_attached(timeout=30_000)
        engine_ms = root.get_attribute("data-last-evaluate-ms")  # the engine's last check, when it is ready
        answered.append({"question": question, "engine_ms": float(engine_ms) if engine_ms else None})
    else:
        raise BenchError("the quiz did not reach a result in 100 answers")
    # Submit → next question or result drawn, as the reader sees it (includes the worker round trip).
    drawn = page.evaluate("() => { const s = window.__amparoBench; return s.renders.map((r, i) => r - s.submits[i]); }")
    for item, ms in zip(answered, drawn):
        item["drawn_ms"] = round(ms, 2)
    return answered


# --- the runs ---------------------------------------------------------------------------------


def _median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


def run(server: Server, served: Path, runs: int, log) -> dict:
    """`served`: the folder `server` serves (see prepare_served)."""
    from playwright.sync_api import sync_playwright

    flow = json.loads((served / RUNTIME_PATH.strip("/") / "flow.es.json").read_text(encoding="utf-8"))
    plan = longest_path(flow)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            session = Session(chromium, server)
            result = {"chromium": chromium.version}
            result.update(_startup(session, runs, plan, log))
            log("Browser: page weight")
            result["page_weight"] = _page_weight(session)
            result["cheap_phone"] = cheap_phone.run(session, PAGES["guide"], PAGES["quiz"], plan, DATE_ANSWER, OLD_DATE_ANSWER,
                                                    RESOURCES_JS, log)
            result["problems"] = session.problems()
        finally:
            chromium.close()
    return result


SEARCH_WORKER = "**/assets/javascripts/workers/search*.js"


def _startup(session: Session, runs: int, plan: dict, log) -> dict:
    kinds = [("guide", PAGES["guide"], "page"), ("quiz", PAGES["quiz"], "quiz"), ("bare", BARE, "bare")]
    samples: dict = {name: {"cold": [], "warm": []} for name, _, _ in kinds}
    phases, no_search, answers, first_visits = [], [], [], {}
    # A first, untimed round warms the machine (disk cache, Chromium's own start-up).
    warm_up = session.context()
    for _, path, kind in kinds:
        page, _ = session.visit(warm_up, path, kind)
        page.close()
    warm_up.close()
    for run_index in range(runs):
        order = kinds[run_index % len(kinds):] + kinds[: run_index % len(kinds)]
        for name, path, kind in order:
            context = session.context()
            page, cold = session.visit(context, path, kind)
            if name == "quiz":
                answers.append(answer_all(page, plan))
            page.close()
            page, warm = session.visit(context, path, kind)
            page.close()
            context.close()
            samples[name]["cold"].append(cold)
            samples[name]["warm"].append(warm)
            first_visits.setdefault(name, (cold, warm))
        # Diagnostics, cold only: worker.mjs's steps timed one by one, and the quiz page with
        # Material's search worker blocked (routing is fine here: a cold visit has no cache to lose).
        context = session.context()
        page, data = session.visit(context, PHASES, "phases")
        page.close()
        context.close()
        phases.append(data["phases"])
        context = session.context()
        context.route(SEARCH_WORKER, lambda route: route.abort())
        page, data = session.visit(context, PAGES["quiz"], "quiz", diagnostic=True)
        page.close()
        context.close()
        no_search.append(data)
        quiz = samples["quiz"]
        log(f"    run {run_index + 1}/{runs}: guide h1 {samples['guide']['cold'][-1]['h1']:.0f} ms, "
            f"quiz question {quiz['cold'][-1]['question']:.0f} ms, engine {quiz['cold'][-1]['engine']:.0f} ms "
            f"(warm {quiz['warm'][-1]['engine']:.0f} ms, without search worker {no_search[-1]['engine']:.0f} ms), "
            f"bare {samples['bare']['cold'][-1]['bare']:.0f} ms (warm {samples['bare']['warm'][-1]['bare']:.0f} ms)")

    def series(name, visit, key):
        return [data[key] for data in samples[name][visit]]

    timing = {}
    for visit in ("cold", "warm"):
        timelines = [quiz_timeline(data) for data in samples["quiz"][visit]]
        timing[visit] = {
            "guide_h1_ms": _median(series("guide", visit, "h1")),
            "guide_fcp_ms": _median(series("guide", visit, "fcp")),
            "guide_dom_content_loaded_ms": _median(series("guide", visit, "domContentLoaded")),
            "quiz_h1_ms": _median(series("quiz", visit, "h1")),
            "quiz_dom_content_loaded_ms": _median(series("quiz", visit, "domContentLoaded")),
            "quiz_first_question_ms": _median(series("quiz", visit, "question")),
            "quiz_engine_ready_ms": _median(series("quiz", visit, "engine")),
            "bare_pyodide_ready_ms": _median(series("bare", visit, "bare")),
            "quiz_timeline_ms": {key: _median([t[key] for t in timelines]) for key in timelines[0]},
            "runs": {
                "guide_h1_ms": series("guide", visit, "h1"),
                "quiz_first_question_ms": series("quiz", visit, "question"),
                "quiz_engine_ready_ms": series("quiz", visit, "engine"),
                "bare_pyodide_ready_ms": series("bare", visit, "bare"),
            },
        }
    diagnostics = {
        "worker_steps_ms": {"note": "bench/bare/phases.html: worker.mjs's steps in a page of their own, "
                                    "timed (ms since navigation start), median, cold",
                            **{name: _median([p.get(name) for p in phases]) for name in (phases[0] if phases else [])}},
        "quiz_without_search_worker_ms": {
            "note": f"quiz page, cold, with Material's search worker ({SEARCH_WORKER}) blocked, median",
            "first_question": _median([d["question"] for d in no_search]),
            "engine_ready": _median([d["engine"] for d in no_search]),
        },
    }

    quiz_cold, quiz_warm = first_visits["quiz"]
    bare_cold, bare_warm = first_visits["bare"]
    quiz_files, bare_files = files(quiz_cold, QUIZ_PREFIX), files(bare_cold, RUNTIME_PATH)
    core = sum(size for path, size in quiz_files.items() if path.rsplit("/", 1)[-1] in ("pyodide.asm.wasm", "pyodide.asm.mjs"))
    flat = [item for run in answers for item in run]
    engine_ms = [item["engine_ms"] for item in flat if item["engine_ms"] is not None]
    drawn_ms = [item["drawn_ms"] for item in flat if "drawn_ms" in item]
    return {
        "runs": runs,
        "timing": timing,
        "diagnostics": diagnostics,
        "bytes": {
            "quiz_files": quiz_files,
            "bare_files": bare_files,
            "quiz_total": sum(quiz_files.values()),
            "bare_total": sum(bare_files.values()),
            "pyodide_core": core,
            "quiz_page_total": weight(quiz_cold)["bytes"],
            "quiz_warm_total": weight(quiz_warm)["bytes"],
            "bare_warm_total": weight(bare_warm)["bytes"],
        },
        "answers": {
            "path": plan,
            "date_answer": DATE_ANSWER,
            "count": len(flat),
            "engine_median_ms": round(statistics.median(engine_ms), 2) if engine_ms else None,
            "engine_max_ms": round(max(engine_ms), 2) if engine_ms else None,
            "drawn_median_ms": round(statistics.median(drawn_ms), 1) if drawn_ms else None,
            "drawn_max_ms": round(max(drawn_ms), 1) if drawn_ms else None,
            "per_question_engine_ms": {item["question"]: [run[i]["engine_ms"] for run in answers if i < len(run)]
                                       for i, item in enumerate(answers[0])} if answers else {},
        },
    }


def _page_weight(session: Session) -> dict:
    out = {}
    for name, path in PAGES.items():
        kind = "quiz" if name == "quiz" else "page"
        context = session.context()
        page, first = session.visit(context, path, kind)
        page.close()
        page, repeat = session.visit(context, path, kind)
        page.close()
        context.close()
        out[name] = {"path": path, "first": weight(first), "repeat": weight(repeat), "largest_files": largest(first),
                     "files": files(first)}
    return out
