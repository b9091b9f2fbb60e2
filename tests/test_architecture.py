"""The layers hold: no import cycles, MkDocs only in its adapter, an engine of the standard library;
and the browser tests are where `make test-fast` leaves them out."""

from __future__ import annotations

import ast
import re
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


def test_the_import_contract_lists_the_layers():
    # The layers, lowest last, as CONTRIBUTING's map of the code shows them; each is a sub-package.
    import tomllib

    contracts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    layers = next(contract["layers"] for contract in contracts if contract["type"] == "layers")
    assert layers[-5:] == ["review", "publish", "render", "i18n", "content"]
    for layer in layers[-5:]:
        assert (REPO / "amparo" / layer / "__init__.py").exists(), layer
    # Every module of amparo/ is in a layer, or is one of the modules on top.
    top = {name for layer in layers[:-5] for name in layer.split(" | ")}
    loose = {path.stem for path in (REPO / "amparo").glob("*.py")} - {"__init__"}
    assert loose == top, loose ^ top


# A function longer than this does several jobs: split it along them.
MAX_FUNCTION_LINES = 60


def test_no_function_of_the_build_is_longer_than_60_lines():
    too_long = []
    for path in sorted((REPO / "amparo").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.name} has {length} lines")
    assert not too_long, "\n".join(too_long)


def test_the_engine_imports_only_the_standard_library():
    # It runs in the reader's browser under Pyodide, which has nothing else.
    graph = grimp.build_graph("quiz", include_external_packages=True, cache_dir=None)
    imported = {module for engine_module in graph.find_children("quiz")
                for module in graph.find_modules_directly_imported_by(engine_module)}
    outside = {module.split(".")[0] for module in imported if not module.startswith("quiz")}
    assert outside <= set(sys.stdlib_module_names), outside - set(sys.stdlib_module_names)
    assert outside, "the graph found no import at all: the check would pass on anything"


# Where code lives: what an organisation adopting the generator runs, and never edits.
CODE = [*(REPO / "amparo").rglob("*.py"), *(REPO / "amparo" / "templates").iterdir(), *(REPO / "quiz").glob("*.py"),
        *(path for path in (REPO / "overrides").rglob("*") if path.suffix in (".html", ".js", ".mjs", ".css"))]


def test_no_code_names_a_country_a_permit_or_a_source_of_the_content():
    # The content declares them (procedures/countries.yml, guides/, sources.yml): code that named
    # one would be a rule a new country's editors cannot change. Read from the content, so a
    # country or guide added later is looked for too.
    from amparo.content.loader import load_content

    content = load_content(REPO / "procedures", REPO / "procedures" / "sources")
    names = {guide.id for guide in content.guides} | set(content.sources)
    for country in content.countries:
        names |= {country.code, country.quiz_answer, str(country.name), str(country.in_country)}
    assert len(names) > 10 and any(country.code in names for country in content.countries)
    found = []
    for path in CODE:
        text = path.read_text(encoding="utf-8", errors="replace")
        for name in names:
            for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                found.append(f"{path.relative_to(REPO)}:{text[: match.start()].count(chr(10)) + 1}: {name}")
    assert not found, "code names the content's countries, permits or sources:\n" + "\n".join(sorted(found))


def test_every_test_under_tests_browser_is_a_browser_test():
    # `make test-fast` skips the folder unread (--ignore): a test there that is not a browser test
    # would never run in the editors' loop.
    for module in sorted((REPO / "tests/browser").glob("test_*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        marks = [node for node in tree.body if isinstance(node, ast.Assign)
                 and any(isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets)]
        assert [ast.unparse(mark.value) for mark in marks] == ["pytest.mark.browser"], module.name
