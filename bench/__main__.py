"""`make bench` (python -m bench): how fast the site builds and loads, against plain baselines.

A benchmark, not a test: it reports measured values beside their targets and never fails on a
miss. It exits non-zero only when something could not be measured at all (a failed build).

  1. build time of the real site and of 10/50/200 generated procedures, ours vs plain
     mkdocs-material + mkdocs-static-i18n on the same Markdown     (bench/builds.py)
  2. the quiz in Chromium: first question, engine ready, cold/warm, bytes per file, per-answer
     latency, each beside a bare Pyodide page                       (bench/browser.py)
  3. page weight per page type, first and repeat visit              (bench/browser.py)
     and the cheap-phone scenario: a reader on a slow network and CPU, cold,
     warm and saving data                                          (bench/cheap_phone.py)
  4. Lighthouse scores per page type                                (bench/lighthouse.py)
  5. the editors' loops: make check, make test-fast and make test (again, and every page audited),
     wall and CPU time with the load average                       (bench/suite.py)
  6. readability of the Spanish reader text: INFLESZ per page       (bench/readability.py)

Prints Markdown tables and writes bench/results.json (sorted keys, so diffs stay readable).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from . import browser, builds, lighthouse, readability, report, suite
from .serve import CACHE_CONTROL, GZIP_LEVEL

REPO = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


def _node_version() -> str | None:
    try:
        return subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() or None
    except OSError:
        return None


def _pyodide_version() -> str | None:
    package = REPO / "node_modules" / "pyodide" / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"] if package.exists() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-runs", type=int, default=3, help="timed builds of each kind per content size (median)")
    parser.add_argument("--large-runs", type=int, default=1, help="the same, for sizes above 100 procedures")
    parser.add_argument("--sizes", default="10,50,200", help="generated procedure counts, comma-separated ('' for none)")
    parser.add_argument("--browser-runs", type=int, default=5, help="cold + warm visits of each page (median)")
    parser.add_argument("--lighthouse-runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: builds, browser, lighthouse, tests, "
                                                   "readability")
    parser.add_argument("--only", default="", help="comma-separated parts to run, the others skipped (e.g. --only tests)")
    parser.add_argument("--suite", default=",".join(suite.RUNS),
                        help="the make targets the tests part times, comma-separated (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "results.json")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    parser.add_argument("--revision", help="measure the content, docs and theme of this git revision (e.g. HEAD) instead "
                                           "of the working tree; the plugin and engine are always the installed ones")
    args = parser.parse_args(argv)
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    parts = {"builds", "browser", "lighthouse", "tests", "readability"}
    only = {part.strip() for part in args.only.split(",") if part.strip()}
    if only - parts or {part for part in args.suite.split(",") if part} - set(suite.RUNS):
        parser.error(f"--only takes {', '.join(sorted(parts))}; --suite takes {', '.join(suite.RUNS)}")
    if only:
        skip |= parts - only
    suite_targets = [part.strip() for part in args.suite.split(",") if part.strip()]
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]

    started = time.perf_counter()
    results: dict = {"meta": {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"cores": os.cpu_count(), "cpu": _cpu(), "load_before": _load()},
        "versions": {"python": platform.python_version(), "mkdocs": _version("mkdocs"),
                     "mkdocs-material": _version("mkdocs-material"), "mkdocs-static-i18n": _version("mkdocs-static-i18n"),
                     "playwright": _version("playwright"), "node": _node_version(), "pyodide": _pyodide_version(),
                     "lighthouse": lighthouse.version()},
        "settings": {"build_runs": args.build_runs, "large_runs": args.large_runs, "sizes": sizes, "browser_runs": args.browser_runs,
                     "lighthouse_runs": args.lighthouse_runs, "skipped": sorted(skip), "suite": suite_targets,
                     "server": f"bench/serve.py: gzip level {GZIP_LEVEL} (text, JSON, JavaScript, WebAssembly; "
                               f"not zip/wheel), Cache-Control: {CACHE_CONTROL}, ETag, Last-Modified (GitHub Pages' defaults)",
                     "chromium_args": browser.CHROMIUM_ARGS,
                     "clones": "procedures/guides/*.yml copied round-robin under new ids; not added to the nav "
                               "(listed there, every page of both builds would carry a link per clone: "
                               "Material's nav makes that quadratic in both builds alike)",
                     "translations_of_clones": "copied: each PO entry of the original guide again under the clone's msgctxt; "
                                               "complete_languages left as in mkdocs.yml"},
    }}
    work = Path(tempfile.mkdtemp(prefix="amparo-bench-"))
    status = 0
    before = None
    try:
        # Everything measured comes from one copy, taken now: other people may be changing files.
        if args.revision:
            source = builds.extract_revision(REPO, args.revision, work / "source")
            results["meta"]["settings"]["revision"] = subprocess.run(
                ["git", "-C", str(REPO), "rev-parse", "--short", args.revision], capture_output=True, text=True).stdout.strip()
        else:
            before = builds.tree_fingerprint(REPO)
            source = builds.snapshot(REPO, work / "source")
            results["meta"]["settings"]["revision"] = "working tree, copied at the start (" + subprocess.run(
                ["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip() + ")"
        builds.CODE = source
        sys.path.insert(0, str(source))  # quiz.enumerate for the longest path: the same engine
        if "builds" not in skip:
            results["build"], site_dir = builds.run(source, work / "build", sizes, args.build_runs, log, args.large_runs,
                                                    runtime_root=REPO)
        elif "browser" in skip and "lighthouse" in skip:
            site_dir = None   # nothing below needs a built site
        else:
            log("Build: the real site (once, untimed)")
            project = builds.Project(source, work / "build" / "real", work / "build" / "plugin-cache", runtime_root=REPO)
            builds.mkdocs_build(project.config, project.folder / "site")
            site_dir = project.folder / "site"

        server = None
        if "browser" not in skip or "lighthouse" not in skip:
            served = browser.prepare_served(site_dir, work / "served")
            server = browser.Server(served, work / "server-log.jsonl")
        try:
            if "browser" not in skip:
                log("Browser: quiz start-up, cold and warm, against bare Pyodide")
                results["browser"] = browser.run(server, served, args.browser_runs, log)
            if "lighthouse" not in skip:
                log("Lighthouse")
                results["lighthouse"] = lighthouse.run(server.url, work / "lighthouse", args.lighthouse_runs, log)
        finally:
            if server is not None:
                server.close()
        if "readability" not in skip:
            log("Readability: INFLESZ of the Spanish pages")
            results["readability"] = readability.run(source)
        if "tests" not in skip:
            results["tests"] = suite.run(REPO, log, suite_targets)
    except (builds.BuildFailed, browser.BenchError) as error:
        log(f"\nCould not measure: {error}")
        results["error"] = str(error)
        status = 1
    finally:
        if args.keep:
            log(f"Temporary files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    if before is not None:
        results["meta"]["settings"]["tree_changed_during_run"] = builds.tree_fingerprint(REPO) != before
    results["meta"]["machine"]["load_after"] = _load()
    results["meta"]["duration_s"] = round(time.perf_counter() - started)
    results["targets"] = report.targets(results)
    results["problems_summary"] = report.problems_text(results)
    args.output.write_text(json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    if status == 0:
        print(report.markdown(results))
        print("Problems noticed while measuring:")
        print(results["problems_summary"])
    print(f"\nWrote {args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output} "
          f"in {results['meta']['duration_s']} s.")
    return status


if __name__ == "__main__":
    sys.exit(main())
