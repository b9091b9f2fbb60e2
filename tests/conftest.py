import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from amparo.publish.generated_pages import QUIZ_SCREENS

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# The builds the tests make of broken or changed copies print no PDFs (seconds each); the
# site every browser test uses does (site_dir, below), and tests/browser/test_print.py checks them.
os.environ.setdefault("AMPARO_PDF", "off")


def pytest_collection_modifyitems(items):
    """A test that needs the built site (site_dir, directly or through another fixture) audits the
    whole site: `make test` runs it, `make test-fast` does not (-m "not whole_site")."""
    for item in items:
        if "site_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.whole_site)


def pytest_sessionstart(session):
    """Make the build's cache once, before the test processes start: otherwise each of them
    compresses the same standard library at the same moment (seconds each)."""
    if hasattr(session.config, "workerinput"):
        return
    from amparo.publish.engine_bundle import bundle
    from amparo.plugin import QUIZ_DIR

    runtime = REPO / "node_modules/pyodide"
    if (runtime / "pyodide.asm.wasm").exists():
        cache = REPO / ".cache/amparo"
        bundle(runtime, QUIZ_DIR, cache / "quiz-runtime", cache)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project to break on purpose: content, pages, theme and configuration."""
    return copy_project(tmp_path)


def copy_project(tmp_path: Path) -> Path:
    for name in ("mkdocs.yml", "procedures", "docs", "overrides", "node_modules"):
        source = REPO / name
        if not source.exists():
            continue
        if name == "node_modules":
            (tmp_path / name).symlink_to(source)
        elif source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("guias", "imprimir", "__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    link_build_cache(tmp_path)
    return tmp_path


@pytest.fixture
def build_cache(tmp_path) -> Path:
    """The build's cache, for a copy of the project made by the test itself."""
    return link_build_cache(tmp_path)


def link_build_cache(root: Path) -> Path:
    """The build's cache (the trimmed standard library, the quiz's screens: seconds to make), when
    a build has made it: keyed by what it was made from, so a copy gives the same bytes, sooner."""
    cache, target = REPO / ".cache/amparo", root / ".cache/amparo"
    if cache.is_dir() and not target.exists():
        # Linked, not copied: the build replaces a cache file (write_atomically), never writes into one.
        # The printed PDFs only where the build prints them: hundreds of files to link, and to delete after.
        screens = QUIZ_SCREENS.folder(cache)
        skipped = [".*.partial", screens.name] + (["pdf"] if os.environ.get("AMPARO_PDF") == "off" else [])
        shutil.copytree(cache, target, ignore=shutil.ignore_patterns(*skipped), copy_function=_link_or_copy)
        # The quiz's screens are shared, not linked: those a copy makes (a language whose broken
        # catalog falls back to Spanish, a changed quiz word) are found again by the next copy and
        # the next run, instead of being made again by every one (a second each).
        screens.mkdir(parents=True, exist_ok=True)
        QUIZ_SCREENS.folder(target).parent.mkdir(parents=True, exist_ok=True)
        QUIZ_SCREENS.folder(target).symlink_to(screens, target_is_directory=True)
    return target


def _link_or_copy(source, target):
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The real site, built once for the whole run: the test processes (pytest-xdist) share one
    build, made by whichever asks first while the others wait for it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent   # the run's folder, above each process's own
    out, built, failed = shared / "site", shared / "site.built", shared / "site.failed"
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # released when the file closes
        if not built.exists() and not failed.exists():
            message = _build_site(out)
            if message:
                failed.write_text(message, encoding="utf-8")
            else:
                built.touch()
    if failed.exists():
        pytest.fail(failed.read_text(encoding="utf-8"))
    return out


def _build_site(out: Path) -> str | None:
    """Builds the site into `out`; returns what went wrong, if anything."""
    # AMPARO_MKDOCS_CONFIG lets the suite run against another configuration (e.g. a trimmed one).
    config = os.environ.get("AMPARO_MKDOCS_CONFIG", str(REPO / "mkdocs.yml"))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", AMPARO_PDF="on" if CHROMIUM.exists() else "off")
    shutil.rmtree(out, ignore_errors=True)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", config, "--site-dir", str(out)],
            cwd=REPO, capture_output=True, text=True, env=env, timeout=600,
        )
    except subprocess.TimeoutExpired:
        return "mkdocs build took more than 600 s"
    return None if result.returncode == 0 else f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
