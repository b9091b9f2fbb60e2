"""The editors' loops, as a developer runs them, in this checkout, with what is already installed:
`make check` (an editor's first feedback), `make test-fast` (everything but the browser and the
whole-site audits) and `make test` (everything) twice: as a developer runs it again, with what the
whole-site visit found on the pages kept from the run before (tests/browser/audit_cache.py: only
pages whose files changed are audited again), and as a clean clone or CI runs it, every page
audited (`AMPARO_AUDIT_CACHE=off`).

Timed as whole commands, once each, after the install step has run (so the figures are the tests',
not pip's or apt's). Beside each wall time: the CPU time the whole machine spent meanwhile (user +
system, from /proc/stat: on an idle machine, the command's) and the load average before and after,
because a wall time on a busy machine says little: on two idle cores the wall time is at least
CPU ÷ 2, and a load above the number of cores means the command waited for other people's work.
(Not the command's children's CPU from getrusage: Chromium's renderers are not among them, so it
left out most of the browser tests' CPU and made `make test` look half idle when it was not.) A run that fails is
reported with its exit status, not hidden: a benchmark of a red suite means nothing.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

# Each timed run: the make target, the settings it runs with, and its limit in seconds. `make check`
# must answer while the editor still looks at the file; the two test loops as issue 24 asks.
RUNS = {"check": ("check", {}, 10), "test-fast": ("test-fast", {}, 60), "test": ("test", {}, 8 * 60),
        "test-every-page": ("test", {"AMPARO_AUDIT_CACHE": "off"}, 8 * 60)}
KEPT_AUDITS = Path(".cache") / "site-audit"


def _load() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def _machine_cpu() -> float | None:
    """Seconds of CPU the whole machine has worked since it started (user, nice, system, irq, softirq)."""
    try:
        first_line = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq = map(int, first_line.split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _timed(repo: Path, run: str) -> dict:
    target, settings, _ = RUNS[run]
    kept_before = sum(1 for _ in (repo / KEPT_AUDITS).rglob("*.json"))   # pages, and other audits' keys
    load_before, cpu_before = _load(), _machine_cpu()
    started = time.perf_counter()
    result = subprocess.run(["make", "--no-print-directory", target], cwd=repo, capture_output=True, text=True,
                            env={**os.environ, **settings})
    seconds = time.perf_counter() - started
    cpu_after = _machine_cpu()
    tail = (result.stdout + result.stderr).strip().splitlines()[-1:] or [""]
    timed = {"wall_s": round(seconds, 1), "load_before": load_before, "load_after": _load(),
             "exit_status": result.returncode, "last_line": tail[0][:200], "settings": settings}
    if target == "test":
        timed["audits_kept_before"] = kept_before
    if cpu_before is not None and cpu_after is not None:
        timed["cpu_s"] = round(cpu_after - cpu_before, 1)
    return timed


def run(repo: Path, log, targets: list[str] | None = None) -> dict:
    log("Test suite: installing first (untimed)")
    subprocess.run(["make", "--no-print-directory", ".venv/.installed", "node_modules/pyodide/pyodide.mjs"],
                   cwd=repo, capture_output=True)
    results = {}
    for target in targets or list(RUNS):
        log(f"Test suite: {target} {RUNS[target][:2]}")
        results[target] = _timed(repo, target)
        run_ = results[target]
        log(f"  {run_['wall_s']} s wall, {run_.get('cpu_s', '?')} s CPU on the machine, "
            f"load {run_['load_before']} → {run_['load_after']}")
    return results
