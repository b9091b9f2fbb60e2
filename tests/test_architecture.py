"""The layers hold: no import cycles, MkDocs only in its adapter, an engine of the standard library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_import_contracts_hold():
    # The contracts are in pyproject.toml ([tool.importlinter]).
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_engine_imports_only_the_standard_library():
    # It runs in the reader's browser under Pyodide, which has nothing else.
    graph = grimp.build_graph("quiz", include_external_packages=True, cache_dir=None)
    imported = {module for engine_module in graph.find_children("quiz")
                for module in graph.find_modules_directly_imported_by(engine_module)}
    outside = {module.split(".")[0] for module in imported if not module.startswith("quiz")}
    assert outside <= set(sys.stdlib_module_names), outside - set(sys.stdlib_module_names)
    assert outside, "the graph found no import at all: the check would pass on anything"
