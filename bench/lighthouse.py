"""Lighthouse scores per page type: npm `lighthouse` from bench/node_modules (`npm --prefix bench
ci`), with Debian's Chromium (CHROME_PATH) and the benchmark's headless flags, default settings:
the mobile form factor with simulated throttling. If it cannot run, the reason is reported and
everything else still is."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

from .browser import CHROMIUM, CHROMIUM_ARGS, PAGES

CLI = Path(__file__).with_name("node_modules") / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index", "total-byte-weight")


def version() -> str | None:
    package = CLI.parent.parent / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"] if package.exists() else None


def run(base_url: str, work: Path, runs: int, log) -> dict:
    node = shutil.which("node")
    if not CLI.exists():
        return {"available": False, "reason": "Lighthouse is not installed: run `npm --prefix bench ci` (make bench does)"}
    if node is None:
        return {"available": False, "reason": "node is not on PATH"}
    if not Path(CHROMIUM).exists():
        return {"available": False, "reason": f"{CHROMIUM} is missing"}
    work.mkdir(parents=True, exist_ok=True)
    pages = {}
    for name, path in PAGES.items():
        reports = []
        for index in range(runs):
            report_file = work / f"{name}-{index}.json"
            command = [node, str(CLI), base_url + path, "--output=json", f"--output-path={report_file}", "--quiet",
                       f"--chrome-flags={' '.join(CHROMIUM_ARGS)}", "--only-categories=" + ",".join(CATEGORIES),
                       "--disable-full-page-screenshot"]
            try:
                finished = subprocess.run(command, capture_output=True, text=True, timeout=300,
                                          env={**os.environ, "CHROME_PATH": CHROMIUM})
            except subprocess.TimeoutExpired:
                return {"available": False, "reason": f"Lighthouse took more than 300 s on {path}"}
            if finished.returncode != 0 or not report_file.exists():
                tail = "\n".join((finished.stdout + finished.stderr).strip().splitlines()[-8:])
                return {"available": False, "reason": f"Lighthouse failed on {path} (exit {finished.returncode}): {tail}"}
            report = json.loads(report_file.read_text(encoding="utf-8"))
            if report.get("runtimeError"):
                return {"available": False, "reason": f"Lighthouse on {path}: {report['runtimeError'].get('message')}"}
            reports.append(report)
        pages[name] = _summary(path, reports)
        scores = pages[name]["scores"]
        log(f"    {name}: " + ", ".join(f"{key} {scores[key]}" for key in CATEGORIES))
    return {"available": True, "version": version(), "runs_per_page": runs,
            "settings": "default (mobile form factor, simulated throttling), " + " ".join(CHROMIUM_ARGS), "pages": pages}


def _summary(path: str, reports: list[dict]) -> dict:
    scores = {key: round(statistics.median(100 * (r["categories"][key]["score"] or 0) for r in reports)) for key in CATEGORIES}
    metrics = {}
    for key in METRICS:
        values = [r["audits"][key].get("numericValue") for r in reports if key in r["audits"]]
        values = [v for v in values if v is not None]
        if values:
            metrics[key] = round(statistics.median(values), 3 if key == "cumulative-layout-shift" else 0)
    # What cost points outside performance (the same in every run: take the first).
    report = reports[0]
    failed = []
    for key in CATEGORIES[1:]:
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"].get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                items = (audit.get("details") or {}).get("items") or []
                failed.append({"category": key, "id": ref["id"], "title": audit.get("title"),
                               "items": [_item(item) for item in items[:5]]})
    console = [_item(item) for item in ((report["audits"].get("errors-in-console", {}).get("details") or {}).get("items") or [])]
    issues = [_item(item) for item in ((report["audits"].get("inspector-issues", {}).get("details") or {}).get("items") or [])]
    return {"path": path, "scores": scores, "metrics": metrics, "failed_audits": failed,
            "console_errors": console, "inspector_issues": issues}


def _item(item: dict) -> str:
    node = item.get("node") or (item["source"] if isinstance(item.get("source"), dict) else {})
    reasons = [sub.get("reason") for sub in ((item.get("subItems") or {}).get("items") or []) if sub.get("reason")]
    if node.get("snippet") and reasons:
        return f"{node['snippet']} ({'; '.join(reasons)})"
    for value in (node.get("snippet"), item.get("description"), item.get("url"), item.get("issueType"),
                  item.get("source") if isinstance(item.get("source"), str) else None, node.get("selector")):
        if value:
            text = str(value)
            return text if len(text) <= 200 else text[:197] + "…"
    return json.dumps(item, ensure_ascii=False)[:200]
