"""A plain install (not editable) of the package builds the site: everything the build reads at
run time (templates, the standard-library module list, the engine) ships inside the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import copy_project

REPO = Path(__file__).resolve().parents[1]
UV = REPO / ".tools/bin/uv"
# What `pip install .` reads: the package, and what its metadata names.
PACKAGE_FILES = ("pyproject.toml", "README.md", "amparo", "quiz")

# A fresh environment, then the whole site built by it: `make test` only.
pytestmark = [pytest.mark.skipif(not UV.exists(), reason="uv is installed by `make` into .tools/"), pytest.mark.whole_site]


def run(*command, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=600,
                            env=env or {**os.environ, "UV_PYTHON_DOWNLOADS": "never"})
    assert result.returncode == 0, f"{' '.join(map(str, command))}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_a_plain_install_into_a_fresh_environment_builds_the_site(tmp_path):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    # The dependencies exactly as locked, hash-checked; then the package itself, built as a wheel
    # from a copy of its files (so no build folder is left in the repository, and nothing but
    # what the package ships can be found).
    requirements = tmp_path / "requirements.txt"
    run(UV, "export", "--frozen", "--no-emit-project", "--output-file", requirements, cwd=REPO)
    run(UV, "pip", "install", "--python", python, "--require-hashes", "-r", requirements, cwd=tmp_path)
    source = tmp_path / "source"
    source.mkdir()
    for name in PACKAGE_FILES:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, source / name)
    constraints = tmp_path / "build-constraints.txt"
    pins = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["uv"]["build-constraint-dependencies"]
    constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
    run(UV, "pip", "install", "--python", python, "--no-deps", "--build-constraint", constraints, source, cwd=tmp_path)
    shutil.rmtree(source)

    # A project with content but no code, and no build cache: the installed package does it all.
    project = tmp_path / "project"
    project.mkdir()
    copy_project(project)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    located = run(python, "-c", "import amparo, quiz; print(amparo.__file__); print(quiz.__file__)", cwd=project, env=env)
    assert all(Path(line).is_relative_to(venv) for line in located.stdout.split()), located.stdout
    run(venv / "bin" / "amparo", "build", cwd=project, env=env)
    site = project / "site"
    for page in ("index.html", "guias/espana-victimas-trata/index.html", "en/guias/espana-victimas-trata/index.html",
                 "cuestionario/index.html", "cuestionario/sencillo/index.html"):
        assert (site / page).is_file(), page
    assert any((site / "assets/quiz/runtime").glob("*.whl"))
    assert (site / "assets/quiz/runtime/python_stdlib.zip").is_file()
