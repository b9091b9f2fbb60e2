"""The whole build, as editors and CI run it: safe on errors, stable for `mkdocs serve`."""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from amparo.publish.generated_pages import STUB_MARKER
from tests.conftest import copy_project

# Every test here runs MkDocs over the whole site: `make test` runs them, `make test-fast` does not.
pytestmark = pytest.mark.whole_site

# The tests that share the module's built project run on one process, so it is built once
# (`make test` runs tests on two); the tests that build a project of their own run anywhere.
shares_the_build = pytest.mark.xdist_group("build")


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=project, capture_output=True, text=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("built"))
    result = run(project, "-m", "amparo.cli", "build")
    assert result.returncode == 0, result.stderr[-3000:]
    return project


@shares_the_build
def test_every_page_in_both_languages_with_a_policy(built):
    site = built / "site"
    for page in ("guias/espana-victimas-trata", "guias/chile-victimas-trafico", "guias/comparar", "guias/glosario", "seguridad", "privacidad", ""):
        for prefix in ("", "en/"):
            html = (site / prefix / page / "index.html").read_text(encoding="utf-8")
            assert html.count('http-equiv="Content-Security-Policy"') == 1, prefix + page
    assert "Content-Security-Policy" in (site / "_headers").read_text()


@shares_the_build
def test_stubs_are_markers_and_not_rewritten(built):
    stub = built / "docs" / "guias" / "espana-victimas-trata.md"
    assert stub.read_text(encoding="utf-8").startswith(STUB_MARKER)
    before = stub.stat().st_mtime_ns
    result = run(built, "-m", "mkdocs", "build", "--strict", "--site-dir", str(built / "other-site"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert stub.stat().st_mtime_ns == before


@shares_the_build
@pytest.mark.parametrize("command", [["-m", "amparo.cli", "build"], ["-m", "mkdocs", "build", "--strict"]])
def test_a_content_error_fails_and_leaves_the_previous_site(built, command):
    guide = built / "procedures" / "guides" / "espana-victimas-trata.yml"
    original = guide.read_text(encoding="utf-8")
    sentinel = built / "site" / "index.html"
    before = sentinel.read_bytes()
    guide.write_text(re.sub(r"(?m)^summary:", "sumario:", original, count=1), encoding="utf-8")
    try:
        result = run(built, *command)
    finally:
        guide.write_text(original, encoding="utf-8")
    assert result.returncode != 0
    assert re.search(r"procedures/guides/espana-victimas-trata\.yml:\d+: sumario is not a known field", result.stderr), result.stderr[-2000:]
    assert sentinel.read_bytes() == before
    assert (built / "site" / "en" / "index.html").exists()


def test_serve_rebuilds_once_when_content_changes(project):
    """`mkdocs serve` must pick up a YAML change, and must not keep rebuilding after it."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    lines: queue.Queue[str] = queue.Queue()
    # A reader thread, so waiting for output can time out even when the server prints nothing.
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout], daemon=True).start()
    log: list[str] = []

    def wait_for(pattern: str, count: int, limit: float) -> bool:
        deadline = time.monotonic() + limit
        while sum(1 for entry in log if pattern in entry) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                log.append(lines.get(timeout=remaining))
            except queue.Empty:
                return False
        return True

    try:
        assert wait_for("Serving on", 1, 120), "".join(log)
        guide = project / "procedures" / "guides" / "espana-victimas-trata.yml"
        guide.write_text(guide.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert wait_for("Documentation built", 2, 120), "".join(log)
        # A loop would rebuild again and again on its own; one more build here means a loop.
        assert not wait_for("Documentation built", 3, 15), "".join(log)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_an_old_source_is_a_warning_not_a_failure(project, tmp_path):
    """An old source must be checked, but must not stop an urgent fix from being published."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("      complete_languages: [en]\n",
                            "      complete_languages: [en]\n      today: '2026-11-23'\n      max_source_age_months: 12\n")
    assert "today: '2026-11-23'" in config
    (project / "mkdocs-old-sources.yml").write_text(config, encoding="utf-8")
    result = run(project, "-m", "mkdocs", "build", "--strict", "--config-file", "mkdocs-old-sources.yml",
                 "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"WARNING -  amparo: source 'es-hoja-38' was last updated 18 months ago \(more than 12\)", result.stderr)
    assert "cl-sermig" not in result.stderr  # no date, nothing to count
    page = (tmp_path / "site" / "guias" / "espana-victimas-trata" / "index.html").read_text(encoding="utf-8")
    assert "Puede haber cambiado" in page
