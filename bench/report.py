"""Targets (measured, target, pass/miss) and the Markdown tables `make bench` prints."""

from __future__ import annotations

from .suite import RUNS

FRAME_MS = 17  # one frame at 60 Hz: "as fast as" allows the next frame


def _row(name: str, measured: str, target: str, passed: bool | None, value=None, limit=None) -> dict:
    return {"name": name, "measured": measured, "target": target,
            "result": "n/a" if passed is None else ("pass" if passed else "miss"), "value": value, "limit": limit}


def targets(results: dict) -> list[dict]:
    rows = []
    build = results.get("build")
    if build:
        real = build["real"]
        rows.append(_row("Build, real site: ours ÷ plain mkdocs-material", f"{real['ratio']:.2f}× "
                         f"({real['amparo']['median_s']:.1f} s vs {real['plain']['median_s']:.1f} s)",
                         "≤ 1.3×", real["ratio"] <= 1.3, real["ratio"], 1.3))
        if "leaflets" in real:
            added = real["leaflets"]["added"]
            rows.append(_row("Build, real site: what the leaflets' PDFs add", f"{100 * added:+.0f} % "
                             f"({real['leaflets']['with']['median_s']:.1f} s with {real['leaflets']['pdfs']} PDFs vs "
                             f"{real['leaflets']['without']['median_s']:.1f} s without)", "≤ +20 %", added <= 0.2, added, 0.2))
        for size, data in build["generated"].items():
            rows.append(_row(f"Build, {size} procedures: ours ÷ plain", f"{data['ratio']:.2f}× "
                             f"({data['amparo']['median_s']:.1f} s vs {data['plain']['median_s']:.1f} s)",
                             "≤ 1.3×", data["ratio"] <= 1.3, data["ratio"], 1.3))
        growth = build["generated"] and build["growth"]
        if growth and "marginal_ratio" in growth:
            marginal = growth["marginal_ms"]["amparo"]
            spans = list(marginal)
            rows.append(_row("Build grows linearly: ms per added procedure, last span ÷ first",
                             f"{growth['marginal_ratio']:.2f}× ({marginal[spans[0]]:.0f} ms at {spans[0]}, "
                             f"{marginal[spans[-1]]:.0f} ms at {spans[-1]}; plain {growth.get('plain_marginal_ratio', 0):.2f}×)",
                             "≤ 1.3×", growth["marginal_ratio"] <= 1.3, growth["marginal_ratio"], 1.3))
    browser = results.get("browser")
    if browser:
        size = browser["bytes"]
        ratio = size["quiz_total"] / size["pyodide_core"]
        rows.append(_row("Quiz bytes (gzip) ÷ pyodide.asm.wasm + pyodide.asm.mjs", f"{ratio:.3f}× "
                         f"({size['quiz_total']:,} B vs {size['pyodide_core']:,} B)", "≤ 1.15×", ratio <= 1.15,
                         round(ratio, 3), 1.15))
        for visit in ("cold", "warm"):
            t = browser["timing"][visit]
            limit = t["guide_h1_ms"] + FRAME_MS
            rows.append(_row(f"First question usable ({visit}) vs guide page h1", f"{t['quiz_first_question_ms']:.0f} ms "
                             f"(guide h1 {t['guide_h1_ms']:.0f} ms)", f"≤ guide + 1 frame ({limit:.0f} ms)",
                             t["quiz_first_question_ms"] <= limit, t["quiz_first_question_ms"], round(limit, 1)))
        cold, warm = browser["timing"]["cold"], browser["timing"]["warm"]
        ratio = cold["quiz_engine_ready_ms"] / cold["bare_pyodide_ready_ms"]
        rows.append(_row("Engine ready (cold) ÷ bare loadPyodide() (cold)", f"{ratio:.2f}× "
                         f"({cold['quiz_engine_ready_ms']:.0f} ms vs {cold['bare_pyodide_ready_ms']:.0f} ms)",
                         "≤ 1.1×", ratio <= 1.1, round(ratio, 3), 1.1))
        ratio = warm["quiz_engine_ready_ms"] / cold["quiz_engine_ready_ms"]
        rows.append(_row("Warm start ÷ cold start (engine ready)", f"{ratio:.2f}× "
                         f"({warm['quiz_engine_ready_ms']:.0f} ms vs {cold['quiz_engine_ready_ms']:.0f} ms)",
                         "≤ 0.5×", ratio <= 0.5, round(ratio, 3), 0.5))
        answers = browser["answers"]
        for key, label in (("engine_median_ms", "median"), ("engine_max_ms", "max")):
            if answers[key] is not None:
                rows.append(_row(f"Per answer, engine time ({label} of {answers['count']})", f"{answers[key]:.2f} ms",
                                 "≤ 5 ms", answers[key] <= 5, answers[key], 5))
        rows += _cheap_phone_targets(browser.get("cheap_phone"))
    for target, run in (results.get("tests") or {}).items():
        limit = RUNS[target][2]
        ok = run["exit_status"] == 0
        rows.append(_row(_suite_name(target, run), _duration(run["wall_s"]) + _suite_context(run)
                         + ("" if ok else f" (failed: exit {run['exit_status']})"),
                         f"≤ {_duration(limit)}", ok and run["wall_s"] <= limit, run["wall_s"], limit))
    rows += _readability_targets(results.get("readability"))
    lighthouse = results.get("lighthouse")
    if lighthouse and not lighthouse.get("available"):
        rows.append(_row("Lighthouse", "could not run: " + lighthouse.get("reason", "?").splitlines()[0], "runs", False))
    return rows


def _duration(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def _suite_name(target: str, run: dict) -> str:
    if target == "test-every-page":
        return "`make test` wall time, every page audited (AMPARO_AUDIT_CACHE=off: a clean clone, CI)"
    if target == "test" and "audits_kept_before" in run:
        return (f"`make test` wall time, run again ({run['audits_kept_before']} audits kept from the run "
                "before; audited again where a file changed)")
    return f"`make {target}` wall time"


def _suite_context(run: dict) -> str:
    """The CPU time and the load beside a wall time (older results.json files have neither)."""
    if "cpu_s" not in run:
        return ""
    context = f"{_duration(run['cpu_s'])} CPU on the machine"
    if run.get("load_before"):
        context += f"; load {run['load_before'][0]:.2f} before"
    if run.get("load_after"):
        context += f", {run['load_after'][0]:.2f} after"
    return f" ({context})"


def _readability_targets(found: dict | None) -> list[dict]:
    if not found:
        return []
    if not found.get("available"):
        return [_row("Readability (INFLESZ)", "could not run: " + found.get("reason", "?"), "runs", False)]
    guides = [page for page in found["pages"] if page["kind"] == "guide"]
    lowest = min(guides, key=lambda page: page["inflesz"])
    long = sum(len(page["long_sentences"]) for page in found["pages"] if page["kind"] in ("guide", "quiz"))
    pages = sum(len(page["long_sentences"]) for page in found["pages"] if page["kind"] == "page")
    return [_row("Readability: lowest INFLESZ of a guide", f"{lowest['inflesz']:.1f} ({lowest['page']})",
                 f"≥ {found['target']:.0f}", lowest["inflesz"] >= found["target"], lowest["inflesz"], found["target"]),
            _row(f"Readability: sentences over {found['max_words']} words (guides and quiz; pages: {pages})",
                 str(long), "0", long == 0, long, 0)]


def _readability_markdown(found: dict | None) -> list[str]:
    if not found or not found.get("available"):
        return []
    out = ["**Readability** (INFLESZ / Szigriszt-Pazos, textstat; official names and quotes left out)", ""]
    out += _table(["Page", "Kind", "Words", "INFLESZ", f"Sentences > {found['max_words']} words"],
                  [[page["page"], page["kind"], page["words"], f"{page['inflesz']:.1f}", len(page["long_sentences"])]
                   for page in found["pages"]])
    return out


_VISITS = (("quiz", "cold", "cold"), ("quiz", "warm", "warm"), ("save_data", "cold", "save-data, cold"),
           ("save_data", "warm", "save-data, warm"))


def _cheap_phone_targets(cheap: dict | None) -> list[dict]:
    if not cheap:
        return []
    rows = []
    guide, quiz = cheap["guide"], cheap["quiz"]
    for name, visit, label in _VISITS:
        run = cheap[name][visit]
        rows.append(_row(f"Cheap phone ({label}): every answer's interaction to next paint, result included",
                         f"max {run['max_inp_ms']:.0f} ms (result {run['result_inp_ms']:.0f} ms; "
                         f"{', '.join(f'{v:.0f}' for v in run['inp_ms'])})", "≤ 100 ms",
                         run["max_inp_ms"] <= 100, run["max_inp_ms"], 100))
        rows.append(_row(f"Cheap phone ({label}): date wait, a date in the table's window (answer → dates on screen)",
                         f"{_ms(run['date_wait_ms'])} ms", "≤ 100 ms",
                         run["date_wait_ms"] is not None and run["date_wait_ms"] <= 100, run["date_wait_ms"], 100))
    for visit in ("cold", "warm"):
        run = quiz[visit]
        limit = 1.2 * guide[visit]["h1_ms"]
        rows.append(_row(f"Cheap phone ({visit}): first question vs guide page title", f"{run['first_question_ms']:.0f} ms "
                         f"(guide {guide[visit]['h1_ms']:.0f} ms)", f"≤ 1.2× guide ({limit:.0f} ms)",
                         run["first_question_ms"] <= limit, run["first_question_ms"], round(limit, 1)))
    cold = quiz["cold"]
    limit = guide["cold"]["bytes_before_h1"] + 20 * 1024
    rows.append(_row("Cheap phone (cold): bytes before the first question", f"{cold['bytes_before_question']:,} B "
                     f"(guide before its title {guide['cold']['bytes_before_h1']:,} B)", f"≤ guide + 20 KiB ({limit:,} B)",
                     cold["bytes_before_question"] <= limit, cold["bytes_before_question"], limit))
    for visit in ("cold", "warm"):
        runtime = cheap["save_data"][visit]["runtime_bytes"]
        rows.append(_row(f"Cheap phone, save-data ({visit}): runtime bytes, a date in the window", f"{runtime:,} B",
                         "0 B", runtime == 0, runtime, 0))
    old = cheap.get("old_date")
    if old:
        rows.append(_row("Cheap phone (cold): dates on screen after engine ready and result drawn, a date before the window",
                         f"{_ms(old['dates_after_engine_and_result_ms'])} ms (date wait {_ms(old['date_wait_ms'])} ms)",
                         "≤ 1000 ms", old["dates_after_engine_and_result_ms"] is not None
                         and old["dates_after_engine_and_result_ms"] <= 1000, old["dates_after_engine_and_result_ms"], 1000))
    rows.append(_row("Cheap phone (cold): guide page title on screen", f"{guide['cold']['h1_ms']:.0f} ms", "≤ 1500 ms",
                     guide["cold"]["h1_ms"] <= 1500, guide["cold"]["h1_ms"], 1500))
    return rows


def _cheap_phone_markdown(cheap: dict | None) -> list[str]:
    if not cheap:
        return []
    profile = cheap["profile"]
    out = [f"**Cheap phone** (network {profile['download_kbit_s']} kbit/s down, {profile['upload_kbit_s']} kbit/s up, "
           f"{profile['latency_ms']} ms round trip, CPU ×{profile['cpu_slowdown']} on the page; a reader answering each "
           f"question {cheap['reader_pause_ms'] / 1000:.0f} s after it appears; a start date in the table's window "
           f"({cheap['date_answer']}), and once one before it ({cheap.get('old_date_answer', '–')}); ms since navigation; "
           "interaction to next paint from the browser's Event Timing, \"< 16\" when it reports none)", ""]
    rows = []
    visits = [(label, cheap[name][visit]) for name, visit, label in _VISITS]
    if cheap.get("old_date"):
        visits.append(("a date before the window, cold", cheap["old_date"]))
    for label, run in visits:
        download = run["worker_runtime_download"]
        inp = ", ".join("< 16" if answer["inp_ms"] is None else f"{answer['inp_ms']:.0f}" for answer in run["answers"])
        rows.append([label, _ms(run["first_question_ms"]), inp, ", ".join(f"{w:.0f}" for w in run["waits_ms"]),
                     _ms(run["date_wait_ms"]), _ms(run["engine_ready_ms"]), f"{run['runtime_bytes']:,}",
                     f"{_ms(download['ms'])} (≥ {_ms(download['profile_minimum_ms'])})" if download["bytes"] else "–"])
    out += _table(["Quiz", "First question", "Interaction to next paint, each answer (last: the result)",
                   "Answer → next screen drawn", "Date wait", "Engine ready", "Runtime bytes",
                   "Worker's runtime download, ms (profile minimum)"], rows)
    guide = cheap["guide"]
    out.append(f"Guide page on the same profile: title {_ms(guide['cold']['h1_ms'])} ms cold ({guide['cold']['bytes_before_h1']:,} B "
               f"before it), {_ms(guide['warm']['h1_ms'])} ms warm; the quiz's first question {_ms(cheap['quiz']['cold']['first_question_ms'])} ms "
               f"cold ({cheap['quiz']['cold']['bytes_before_question']:,} B before it). The CPU slowdown reaches the page only: "
               "Chromium refuses it for workers, so the engine computes at this machine's speed (its network is throttled).")
    out.append("")
    return out


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def _ms(value) -> str:
    return "–" if value is None else f"{value:.0f}"


def _kb(value: int | None) -> str:
    return "–" if value is None else f"{value / 1024:,.1f} KiB"


def markdown(results: dict) -> str:
    meta = results["meta"]
    out = [f"Measured {meta['date']} on {meta['machine']['cores']} cores ({meta['machine']['cpu']}), "
           f"load average {meta['machine']['load_before']} before and {meta['machine']['load_after']} after; "
           f"{meta['settings'].get('revision', '?')}; Chromium {results.get('browser', {}).get('chromium', '?')}, "
           f"Pyodide {meta['versions'].get('pyodide')}, {meta.get('duration_s', '?')} s in all.", ""]
    out += _table(["Target", "Measured", "Target", "Result"],
                  [[r["name"], r["measured"], r["target"], r["result"]] for r in results["targets"]])

    build = results.get("build")
    if build:
        out.append(f"**Build time** (`mkdocs build --strict`, {len(build['real']['languages'])} languages, "
                   "median of the runs below; plain = mkdocs-material + mkdocs-static-i18n, same Markdown)")
        out.append("")
        rows = [["real site", build["real"]["guides"], build["real"]["pages_per_language"],
                 f"{build['real']['amparo']['median_s']:.2f} s", f"{build['real']['plain']['median_s']:.2f} s",
                 f"{build['real']['ratio']:.2f}×", "–", "–"]]
        growth = build["growth"]
        for size, data in build["generated"].items():
            rows.append([f"{size} procedures", data["guides"], data["pages_per_language"],
                         f"{data['amparo']['median_s']:.2f} s", f"{data['plain']['median_s']:.2f} s", f"{data['ratio']:.2f}×",
                         f"{growth['per_procedure_ms']['amparo'][size]:.0f} ms",
                         f"{1000 * growth['plugin_overhead_s'][size] / int(size):.0f} ms"])
        out += _table(["Content", "Guides", "Pages per language", "Ours", "Plain", "Ratio", "Ours per procedure",
                       "Our plugin's share per procedure"], rows)
        spans = growth["marginal_ms"]
        if spans["amparo"]:
            out.append("Cost of each added procedure (all languages): ours "
                       + ", ".join(f"{v:.0f} ms ({k})" for k, v in spans["amparo"].items())
                       + "; plain " + ", ".join(f"{v:.0f} ms ({k})" for k, v in spans["plain"].items()) + ".")
        counts = ", ".join(f"{size}: {len(data['amparo']['runs_s'])}" for size, data in build["generated"].items())
        if "leaflets" in build["real"]:
            leaflets = build["real"]["leaflets"]
            out.append(f"Real site with the leaflets' and posters' PDFs ({leaflets['pdfs']}, printed by Chromium while "
                       f"the languages build): {leaflets['with']['median_s']:.2f} s against {leaflets['without']['median_s']:.2f} s "
                       f"without ({100 * leaflets['added']:+.0f} %; runs {leaflets['with']['runs_s']}); with none cached "
                       f"yet (a fresh machine, or every sheet changed): {leaflets['cold_s']:.2f} s "
                       f"({100 * leaflets['cold_added']:+.0f} %). "
                       "Ours and plain above are without them.")
        out.append(f"Runs of each kind: real site {len(build['real']['amparo']['runs_s'])}, procedures {counts}. "
                   f"First build of the real site (empty plugin cache): {build['real']['first_build_s']:.1f} s.")
        out.append("")

    browser = results.get("browser")
    if browser:
        t = browser["timing"]
        out.append(f"**Quiz in Chromium** (ms since navigation start, median of {browser['runs']} runs; "
                   "cold = fresh context, warm = second visit, HTTP cache primed)")
        out.append("")
        rows = [[label, f"{t['cold'][key]:.0f}", f"{t['warm'][key]:.0f}"] for key, label in (
            ("guide_h1_ms", "Guide page: h1 visible"),
            ("guide_dom_content_loaded_ms", "Guide page: DOMContentLoaded"),
            ("quiz_h1_ms", "Quiz: h1 visible"),
            ("quiz_dom_content_loaded_ms", "Quiz: DOMContentLoaded (deferred quiz.js has run)"),
            ("quiz_first_question_ms", "Quiz: first question visible and enabled"),
            ("quiz_engine_ready_ms", "Quiz: engine ready"),
            ("bare_pyodide_ready_ms", "Bare page: loadPyodide() resolved"),
        )]
        out += _table(["", "Cold", "Warm"], rows)
        timeline = {visit: t[visit]["quiz_timeline_ms"] for visit in ("cold", "warm")}
        labels = {"quiz_js_requested": "quiz.js requested", "worker_requested": "worker.mjs requested",
                  "runtime_downloaded": "runtime downloaded (wasm, asm.mjs, stdlib)",
                  "python_started": "loadPyodide() done (wheel requested)",
                  "wheel_installed": "wheel installed (flow requested)", "engine_ready": "engine ready"}
        out.append("Quiz page, engine start-up (Resource Timing of the page and its worker, median):")
        out.append("")
        out += _table(["Step", "Cold", "Warm"], [[labels.get(key, key), _ms(timeline["cold"].get(key)), _ms(timeline["warm"].get(key))]
                                                 for key in timeline["cold"]])
        diagnostics = browser.get("diagnostics") or {}
        steps = {k: v for k, v in (diagnostics.get("worker_steps_ms") or {}).items() if k != "note"}
        if steps:
            out.append("Diagnostic, worker.mjs's steps alone in a bare page (cold, ms since navigation): "
                       + ", ".join(f"{k} {_ms(v)}" for k, v in steps.items()) + ".")
        blocked = diagnostics.get("quiz_without_search_worker_ms") or {}
        if blocked:
            out.append(f"Diagnostic, quiz page with Material's search worker blocked (cold): first question "
                       f"{_ms(blocked.get('first_question'))} ms, engine ready {_ms(blocked.get('engine_ready'))} ms.")
        out.append("")
        b = browser["bytes"]
        names = sorted(set(b["quiz_files"]) | {p for p in b["bare_files"]})
        rows = [[path, f"{b['quiz_files'].get(path, 0):,}" if path in b["quiz_files"] else "–",
                 f"{b['bare_files'][path]:,}" if path in b["bare_files"] else "–"] for path in names]
        rows.append(["**total**", f"**{b['quiz_total']:,}**", f"**{b['bare_total']:,}**"])
        out.append("**Bytes per file** (first visit, encoded body size: gzip where the server compresses)")
        out.append("")
        out += _table(["File", "Quiz (page + worker)", "Bare page"], rows)
        a = browser["answers"]
        engine = (f"engine median {a['engine_median_ms']:.2f} ms, max {a['engine_max_ms']:.2f} ms; "
                  if a["engine_median_ms"] is not None else "")
        out.append(f"**Per answer** ({a['count']} answers over {browser['runs']} runs of the longest path, "
                   f"{len(a['path'])} questions): {engine}answer → next question drawn median {a['drawn_median_ms']:.1f} ms, "
                   f"max {a['drawn_max_ms']:.1f} ms.")
        out.append("")
        rows = []
        for name, data in browser["page_weight"].items():
            first, repeat = data["first"], data["repeat"]
            biggest = ", ".join(f"{path.rsplit('/', 1)[-1] or path} {_kb(size)}" for path, size in data["largest_files"])
            rows.append([f"{name} `{data['path']}`", _kb(first["bytes"]), first["requests"], _kb(repeat["bytes"]),
                         f"{repeat['from_cache']}/{repeat['requests']}", biggest])
        out += _cheap_phone_markdown(browser.get("cheap_phone"))
        out.append("**Page weight** (bytes transferred, gzip; repeat = same browser, HTTP cache primed)")
        out.append("")
        out += _table(["Page", "First visit", "Requests", "Repeat visit", "From cache", "Largest files"], rows)

    lighthouse = results.get("lighthouse")
    if lighthouse:
        if lighthouse.get("available"):
            out.append(f"**Lighthouse** {lighthouse['version']} (default settings: mobile, simulated throttling; "
                       f"{lighthouse['runs_per_page']} run(s) per page)")
            out.append("")
            rows = [[name, *(page["scores"][key] for key in ("performance", "accessibility", "best-practices", "seo"))]
                    for name, page in lighthouse["pages"].items()]
            out += _table(["Page", "Performance", "Accessibility", "Best practices", "SEO"], rows)
        else:
            out.append(f"**Lighthouse could not run:** {lighthouse.get('reason')}")
            out.append("")
    out += _readability_markdown(results.get("readability"))
    return "\n".join(out)


def problems_text(results: dict) -> str:
    lines = []
    browser = results.get("browser") or {}
    for key, label in (("csp_violations", "CSP violations"), ("requests_to_other_hosts", "Requests to other hosts"),
                       ("console", "Console errors and warnings"), ("page_errors", "Uncaught errors"),
                       ("not_found", "Not found (404)")):
        items = (browser.get("problems") or {}).get(key) or []
        lines.append(f"- {label}: " + ("none" if not items else "; ".join(items[:8]) + (" …" if len(items) > 8 else "")))
    lighthouse = results.get("lighthouse") or {}
    for name, page in (lighthouse.get("pages") or {}).items():
        for audit in page["failed_audits"]:
            lines.append(f"- Lighthouse {name}: {audit['category']} — {audit['title']} ({audit['id']})"
                         + (": " + "; ".join(audit["items"][:3]) if audit["items"] else ""))
        for item in page["console_errors"]:
            lines.append(f"- Lighthouse {name}: console — {item}")
        for item in page["inspector_issues"]:
            lines.append(f"- Lighthouse {name}: issue — {item}")
    return "\n".join(lines)
