"""The test suite's wall time: `make test` (everything) and `make test-fast` (everything but the
browser), as a developer runs them, in this checkout, with what is already installed.

Timed as whole commands, once each, after the install step has run (so the figures are the tests',
not pip's or apt's). A run that fails is reported with its exit status, not hidden: a benchmark of a
red suite means nothing.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

TARGETS_S = {"test": 8 * 60, "test-fast": 60}


def _timed(repo: Path, target: str) -> dict:
    started = time.perf_counter()
    result = subprocess.run(["make", "--no-print-directory", target], cwd=repo, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    tail = (result.stdout + result.stderr).strip().splitlines()[-1:] or [""]
    return {"wall_s": round(seconds, 1), "exit_status": result.returncode, "last_line": tail[0][:200]}


def run(repo: Path, log) -> dict:
    log("Test suite: installing first (untimed)")
    subprocess.run(["make", "--no-print-directory", ".venv/.installed", "node_modules/pyodide/pyodide.mjs"],
                   cwd=repo, capture_output=True)
    results = {}
    for target in ("test-fast", "test"):
        log(f"Test suite: make {target}")
        results[target] = _timed(repo, target)
    return results
