"""The cheap-phone scenario: the quiz as the reader it is for meets it.

Profile (the issue's, from the developers' guide): network 1.6 Mbit/s down, 750 kbit/s up,
150 ms round trip; CPU 4× slower. It is applied with the Chrome DevTools Protocol to the page
(`Network.emulateNetworkConditions`, `Emulation.setCPUThrottlingRate`) and, through
`Target.setAutoAttach` with `waitForDebuggerOnStart`, to every worker the page starts, before the
worker runs a line. What each target answered is kept (`throttled_targets`). Chromium 156
refuses both commands for workers ("Not supported"; "only supported for pages, not workers"):
the page's network emulation does reach the worker's requests (`worker_runtime_download`: its
download takes at least bytes ÷ throughput), but the CPU slowdown does not reach the worker, so
the engine's own computing (Python start-up, each evaluation) is measured at this machine's speed.

A simulated reader answers each question 3 s after it appears, along the longest path, a date
included (so deadlines are computed): with a start date inside the date table's window (the
dates come from the table), cold (empty HTTP cache) and warm (a second page in the same
context), with save-data off and on; and once, cold, with a start date before the window (the
dates come from the engine on the device). Measured, in-page (`performance.now()` and the
browser's Event Timing, bench/marks.js), never by the driver's clock:
- every answer's interaction to next paint (the tap on «Continuar» to the frame that shows the
  next screen: Event Timing entries with the interactionId of the click whose handler submitted
  the answer; under 16 ms the browser reports nothing, and it says "< 16");
- every wait between an answer and the next screen drawn (submit → stage changed);
- the date wait: the date's answer submitted → the first frame with her dates on screen;
- the first question on screen, and the bytes that arrived before it, beside a guide page's
  title and its bytes, on the same profile;
- when the engine was ready, and the runtime's bytes: before the date, and in all (with
  save-data and a date in the window the target is none at all).
"""

from __future__ import annotations

import json
import statistics
from urllib.parse import urlsplit

PROFILE = {"latency_ms": 150, "download_kbit_s": 1600, "upload_kbit_s": 750, "cpu_slowdown": 4}
READER_PAUSE_MS = 3000
RUNTIME_PATH = "/assets/quiz/runtime/"
SAVE_DATA = "Object.defineProperty(Navigator.prototype, 'connection', { get: () => ({ saveData: true }) });"
TIMES_JS = """() => { const d = document.documentElement.dataset; const s = window.__amparoBench;
  const num = (v) => (v === undefined ? null : Number(v));
  const paint = performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint");
  return { h1: num(d.benchH1), question: num(d.benchQuestion), engine: num(d.benchEngine), dates: num(d.benchDates),
           fcp: paint ? paint.startTime : null, submits: s.submits, renders: s.renders, events: s.events,
           engineMs: num(document.getElementById("amparo-quiz")?.dataset.lastEvaluateMs) }; }"""
# Below this the browser reports no Event Timing entry (its lowest durationThreshold).
EVENT_TIMING_FLOOR_MS = 16


def _commands() -> list[tuple[str, dict]]:
    return [
        ("Network.enable", {}),
        ("Network.emulateNetworkConditions", {
            "offline": False, "latency": PROFILE["latency_ms"],
            "downloadThroughput": PROFILE["download_kbit_s"] * 1000 / 8,
            "uploadThroughput": PROFILE["upload_kbit_s"] * 1000 / 8}),
        ("Emulation.setCPUThrottlingRate", {"rate": PROFILE["cpu_slowdown"]}),
    ]


class Throttle:
    """The profile on one page and on every worker it starts."""

    def __init__(self, context, page):
        self.cdp = context.new_cdp_session(page)
        self.targets: list[dict] = [{"type": "page", "errors": []}]
        self._sessions: dict[str, dict] = {}
        for method, params in _commands():
            try:
                self.cdp.send(method, params)
            except Exception as error:  # noqa: BLE001 - reported, not fatal
                self.targets[0]["errors"].append(f"{method}: {error}")
        self.cdp.on("Target.attachedToTarget", self._attached)
        self.cdp.on("Target.receivedMessageFromTarget", self._answered)
        self.cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False})

    def _attached(self, event):
        session = event["sessionId"]
        target = {"type": event["targetInfo"]["type"], "url": urlsplit(event["targetInfo"].get("url", "")).path,
                  "errors": [], "answered": 0}
        self._sessions[session] = target
        self.targets.append(target)
        for number, (method, params) in enumerate([*_commands(), ("Runtime.runIfWaitingForDebugger", {})]):
            self.cdp.send("Target.sendMessageToTarget", {
                "sessionId": session, "message": json.dumps({"id": number + 1, "method": method, "params": params})})

    def _answered(self, event):
        target = self._sessions.get(event["sessionId"])
        message = json.loads(event["message"])
        if target is None or "id" not in message:
            return
        target["answered"] += 1
        if "error" in message:
            method = [*_commands(), ("Runtime.runIfWaitingForDebugger", {})][message["id"] - 1][0]
            target["errors"].append(f"{method}: {message['error'].get('message')}")


def _resources(page, session_resources_js: str) -> list[dict]:
    resources = page.evaluate(session_resources_js)
    origin = page.evaluate("() => performance.timeOrigin")
    for worker in page.workers:
        try:
            shift = worker.evaluate("() => performance.timeOrigin") - origin
            resources += [dict(r, start=r["start"] + shift, end=r["end"] + shift, worker=True)
                          for r in worker.evaluate(session_resources_js)]
        except Exception:  # noqa: BLE001 - a worker that has just ended
            pass
    return [dict(r, path=urlsplit(r["url"]).path) for r in resources]


def _bytes_until(resources: list[dict], moment: float | None) -> int | None:
    if moment is None:
        return None
    return sum(r["encoded"] for r in resources if r["transfer"] > 0 and r["end"] <= moment)


def _guide_visit(context, path: str, resources_js: str) -> dict:
    from playwright.sync_api import expect

    page = context.new_page()
    throttle = Throttle(context, page)
    page.goto(path, wait_until="commit")
    expect(page.locator("html[data-bench-h1]")).to_be_attached(timeout=120_000)
    page.wait_for_load_state("load", timeout=120_000)
    times = page.evaluate(TIMES_JS)
    resources = _resources(page, resources_js)
    page.close()
    return {"h1_ms": times["h1"], "fcp_ms": round(times["fcp"], 1) if times["fcp"] else None,
            "bytes_before_h1": _bytes_until(resources, times["h1"]), "throttled_targets": throttle.targets}


def interaction_ms(events: list[dict], submitted_at: float) -> float | None:
    """Interaction to next paint of the tap that submitted an answer at `submitted_at`: the
    longest Event Timing entry of the interaction whose handler ran then (None: under 16 ms)."""
    ids = {e["id"] for e in events if e["processingStart"] <= submitted_at <= e["processingEnd"]}
    durations = [e["duration"] for e in events if e["id"] in ids]
    return max(durations) if durations else None


def fill_date(form, day: str) -> None:
    """Types `day` (YYYY-MM-DD) into the date question's fields: day, month and year (or, in a
    build from before them, its one date field, so that older builds can be measured too)."""
    if form.locator("input[name=date]").count():
        form.locator("input[name=date]").fill(day)
        return
    for name, text in (("day", str(int(day[8:]))), ("month", str(int(day[5:7]))), ("year", day[:4])):
        form.locator(f"input[name={name}]").fill(text)


def _reader_visit(context, path: str, plan: dict, date_answer: str, resources_js: str) -> dict:
    """The simulated reader: each answer 3 s after its question appears, then the dates."""
    from playwright.sync_api import expect

    page = context.new_page()
    throttle = Throttle(context, page)
    page.goto(path, wait_until="commit")
    html = page.locator("html")
    root = page.locator("#amparo-quiz")
    expect(page.locator("html[data-bench-question]")).to_be_attached(timeout=120_000)
    questions, date_index = [], None
    for _ in range(100):
        if root.get_attribute("data-done") == "true":
            break
        form = page.locator("#amparo-quiz form[data-question]:visible").first
        page.wait_for_timeout(READER_PAUSE_MS)
        question, kind = form.get_attribute("data-question"), form.get_attribute("data-type")
        if kind == "date":
            fill_date(form, date_answer)
            date_index = len(questions)
        else:
            value = plan.get(question) or form.locator("input[name=answer]").first.get_attribute("value")
            form.locator(f"input[name=answer][value='{value}']").check()
        questions.append(question)
        renders = int(html.get_attribute("data-bench-renders") or 0)
        form.locator("button[type=submit]").click()
        expect(page.locator(f"html[data-bench-renders='{renders + 1}']")).to_be_attached(timeout=60_000)
    expect(page.locator("html[data-bench-dates]")).to_be_attached(timeout=240_000)
    page.wait_for_timeout(500)  # the last interaction's Event Timing entry is reported after its paint
    times = page.evaluate(TIMES_JS)
    resources = _resources(page, resources_js)
    page.close()
    waits = [round(render - submit, 1) for submit, render in zip(times["submits"], times["renders"])]
    answers = [{"question": question, "drawn_ms": wait, "inp_ms": interaction_ms(times["events"], submit)}
               for question, wait, submit in zip(questions, waits, times["submits"])]
    inp = [answer["inp_ms"] or EVENT_TIMING_FLOOR_MS for answer in answers]
    result_drawn = times["renders"][-1] if times["renders"] else None
    date_submitted_at = times["submits"][date_index] if date_index is not None else None
    runtime_before_date = None
    if date_submitted_at is not None:
        runtime_before_date = sum(r["encoded"] for r in resources
                                  if r["path"].startswith(RUNTIME_PATH) and r["start"] < date_submitted_at)
    ready = max(v for v in (times["engine"], result_drawn) if v is not None)
    # Did the profile's network reach the worker? Its runtime download must take as long as
    # the profile allows: bytes ÷ throughput.
    runtime = [r for r in resources if r.get("worker") and r["path"].startswith(RUNTIME_PATH) and r["transfer"] > 0]
    runtime_bytes = sum(r["encoded"] for r in runtime)
    download = {"bytes": runtime_bytes,
                "ms": round(max(r["end"] for r in runtime) - min(r["start"] for r in runtime), 1) if runtime else None,
                "profile_minimum_ms": round(runtime_bytes * 8 / PROFILE["download_kbit_s"], 1)}
    return {
        "first_question_ms": times["question"],
        "bytes_before_question": _bytes_until(resources, times["question"]),
        "date_answer": date_answer,
        "answers": answers,
        "waits_ms": waits,
        "max_wait_ms": max(waits) if waits else None,
        "inp_ms": inp,
        "max_inp_ms": max(inp) if inp else None,
        "result_inp_ms": inp[-1] if inp else None,
        "date_wait_ms": round(times["dates"] - date_submitted_at, 1) if times["dates"] and date_submitted_at else None,
        "engine_ready_ms": times["engine"],
        "result_drawn_ms": round(result_drawn, 1) if result_drawn else None,
        "dates_shown_ms": times["dates"],
        "dates_after_engine_and_result_ms": round(times["dates"] - ready, 1) if times["dates"] else None,
        "engine_last_evaluate_ms": times["engineMs"],
        "runtime_bytes_before_date": runtime_before_date,
        "runtime_bytes": sum(r["encoded"] for r in resources if r["path"].startswith(RUNTIME_PATH) and r["transfer"] > 0),
        "worker_runtime_download": download,
        "throttled_targets": throttle.targets,
    }


def run(session, guide_path: str, quiz_path: str, plan: dict, date_answer: str, old_date_answer: str,
        resources_js: str, log) -> dict:
    """`date_answer`: a start date inside the date table's window; `old_date_answer`: one before it."""
    log(f"Browser: cheap phone ({PROFILE['download_kbit_s']} kbit/s, {PROFILE['latency_ms']} ms, "
        f"CPU ×{PROFILE['cpu_slowdown']}), a reader answering every {READER_PAUSE_MS / 1000:.0f} s")
    out: dict = {"profile": PROFILE, "reader_pause_ms": READER_PAUSE_MS, "path": plan, "date_answer": date_answer,
                 "old_date_answer": old_date_answer}
    context = session.context()
    out["guide"] = {"cold": _guide_visit(context, guide_path, resources_js)}
    out["guide"]["warm"] = _guide_visit(context, guide_path, resources_js)
    context.close()
    for name, save_data in (("quiz", False), ("save_data", True)):
        context = session.context()
        if save_data:
            context.add_init_script(SAVE_DATA)
        out[name] = {"cold": _reader_visit(context, quiz_path, plan, date_answer, resources_js)}
        out[name]["warm"] = _reader_visit(context, quiz_path, plan, date_answer, resources_js)
        context.close()
        for visit in ("cold", "warm"):
            run_ = out[name][visit]
            log(f"    {name.replace('_', '-')} {visit}: first question {_ms(run_['first_question_ms'])} ms, longest "
                f"interaction {_ms(run_['max_inp_ms'])} ms (result {_ms(run_['result_inp_ms'])} ms), date wait "
                f"{_ms(run_['date_wait_ms'])} ms, runtime bytes {run_['runtime_bytes']:,}")
    context = session.context()
    out["old_date"] = _reader_visit(context, quiz_path, plan, old_date_answer, resources_js)
    context.close()
    log(f"    a date before the window, cold: date wait {_ms(out['old_date']['date_wait_ms'])} ms "
        f"(engine ready at {_ms(out['old_date']['engine_ready_ms'])} ms)")
    waits = [w for name in ("quiz", "save_data") for visit in ("cold", "warm") for w in out[name][visit]["waits_ms"]]
    out["waits_median_ms"] = round(statistics.median(waits), 1) if waits else None
    return out


def _ms(value) -> str:
    return "–" if value is None else f"{value:.0f}"
