"""Every dependency is the one that was reviewed: Python packages only from uv.lock, hash-checked;
the runtime the site serves is the npm package's, byte for byte, as package-lock.json records it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from amparo.publish.engine_bundle import RUNTIME_FILES, STDLIB_NAME, _KEEP_DOCSTRINGS, strip_docs
from amparo.render.quiz_pages import RUNTIME_FOLDER

REPO = Path(__file__).resolve().parents[1]
UV = REPO / ".tools/bin/uv"
PYODIDE = "node_modules/pyodide"

# The built site is made once per test process: keep its two users on one process.
uses_the_site = pytest.mark.xdist_group("site")
needs_uv = pytest.mark.skipif(not UV.exists(), reason="uv is installed by `make` into .tools/")


def uv(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", **env}
    return subprocess.run([str(UV), *args], cwd=cwd, capture_output=True, text=True, env=environment, timeout=300)


@pytest.fixture(scope="module")
def pyodide_tarball(tmp_path_factory) -> tuple[bytes, str]:
    """The package as npm publishes it (from npm's cache after `npm ci`), and its recorded integrity."""
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"][PYODIDE]
    folder = tmp_path_factory.mktemp("pack")
    result = subprocess.run(["npm", "pack", f"pyodide@{entry['version']}", "--pack-destination", str(folder),
                             "--silent", "--prefer-offline"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    (tarball,) = folder.glob("*.tgz")
    return tarball.read_bytes(), entry["integrity"]


def package_files(tarball: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
        return {member.name.removeprefix("package/"): archive.extractfile(member).read()
                for member in archive.getmembers() if member.isfile()}


def test_the_pyodide_package_is_the_one_package_lock_records(pyodide_tarball):
    tarball, integrity = pyodide_tarball
    algorithm, _, expected = integrity.partition("-")
    assert algorithm == "sha512"
    assert base64.b64encode(hashlib.sha512(tarball).digest()).decode() == expected


def test_the_installed_runtime_is_the_package_byte_for_byte(pyodide_tarball):
    files = package_files(pyodide_tarball[0])
    for name in (*RUNTIME_FILES, STDLIB_NAME, "pyodide-lock.json"):
        assert (REPO / PYODIDE / name).read_bytes() == files[name], f"{PYODIDE}/{name} differs from the npm package"


@uses_the_site
def test_the_served_runtime_is_the_package_byte_for_byte(site_dir, pyodide_tarball):
    files = package_files(pyodide_tarball[0])
    served = site_dir / RUNTIME_FOLDER
    for name in RUNTIME_FILES:
        assert (served / name).read_bytes() == files[name], f"the site serves another {name} than the npm package's"
    # The standard library is trimmed: fewer modules, docstrings and comments stripped. Every module
    # served is the package's, put through that one transformation and nothing else.
    with zipfile.ZipFile(io.BytesIO(files[STDLIB_NAME])) as original, zipfile.ZipFile(served / STDLIB_NAME) as trimmed:
        names = trimmed.namelist()
        assert names, "the served standard library is empty"
        for name in names:
            source = original.read(name)
            expected = source if name.startswith(_KEEP_DOCSTRINGS) else strip_docs(source)
            assert trimmed.read(name) == expected, f"{STDLIB_NAME}: {name} is not the package's"


@needs_uv
def test_the_lock_agrees_with_pyproject(tmp_path):
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(REPO / name, tmp_path / name)
    assert uv("lock", "--check", cwd=tmp_path).returncode == 0, "uv.lock is out of date: run `make lock`"
    pyproject = tmp_path / "pyproject.toml"
    declared = pyproject.read_text(encoding="utf-8")
    changed = declared.replace("dependencies = [", 'dependencies = [\n    "six>=1.16",', 1)
    assert changed != declared
    pyproject.write_text(changed, encoding="utf-8")
    result = uv("lock", "--check", cwd=tmp_path)
    assert result.returncode != 0, "a dependency added to pyproject.toml but not to the lock must fail"


def test_every_locked_package_has_a_hash():
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    for package in lock["package"]:
        if package.get("source", {}).get("editable") or package.get("source", {}).get("virtual"):
            continue
        artifacts = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        assert artifacts and all(a.get("hash", "").startswith("sha256:") for a in artifacts), package["name"]


@needs_uv
def test_an_install_with_a_tampered_hash_fails(tmp_path):
    """What `make` runs (`uv sync --locked`), on the real lock with one hash changed: it refuses."""
    package = "mergedeep"   # small, pure Python, and one of ours (through MkDocs)
    lock = (REPO / "uv.lock").read_text(encoding="utf-8")
    others = [p["name"] for p in tomllib.loads(lock)["package"] if p["name"] not in (package, "amparo")]
    start = lock.index(f'\nname = "{package}"\n')
    # The wheel's hash: that is the file uv downloads and installs.
    hash_at = lock.index('hash = "sha256:', lock.index("wheels = [", start)) + len('hash = "sha256:')
    flipped = "0" if lock[hash_at] != "0" else "1"
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    skip = [argument for name in others for argument in ("--no-install-package", name)]
    sync = ["sync", "--locked", "--no-install-project", "--all-extras", "--no-cache", "--python", sys.executable, *skip]
    env = {"UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv")}

    (tmp_path / "uv.lock").write_text(lock, encoding="utf-8")
    honest = uv(*sync, cwd=tmp_path, **env)
    assert honest.returncode == 0, honest.stderr
    shutil.rmtree(tmp_path / "venv")

    (tmp_path / "uv.lock").write_text(lock[:hash_at] + flipped + lock[hash_at + 1:], encoding="utf-8")
    tampered = uv(*sync, cwd=tmp_path, **env)
    assert tampered.returncode != 0, "an install from a lock with a wrong hash must fail"
    assert "hash" in tampered.stderr.lower(), tampered.stderr


def _workflow_steps():
    import yaml

    for path in sorted((REPO / ".github/workflows").glob("*.yml")):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job_name, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                yield path.name, job_name, step


def test_every_action_is_pinned_by_commit():
    import re

    uses = [(name, job, step["uses"]) for name, job, step in _workflow_steps() if "uses" in step]
    assert uses, "the workflow uses no action: this test would check nothing"
    for name, job, action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), f"{name}: job {job} uses {action!r}, not a commit"


def test_dependabot_proposes_updates_for_every_locked_ecosystem():
    import yaml

    config = yaml.safe_load((REPO / ".github/dependabot.yml").read_text(encoding="utf-8"))
    updates = {(u["package-ecosystem"], u["directory"]): u for u in config["updates"]}
    assert {("uv", "/"), ("pip", "/"), ("npm", "/"), ("npm", "/bench"), ("github-actions", "/")} <= set(updates)
    for update in updates.values():
        assert update["schedule"]["interval"] == "weekly" and update.get("groups"), update
