"""One build, one local server and one Chromium for the whole browser suite.

Every request to a host other than the local server is aborted and recorded: the site must
work, and must be tested, without reaching anywhere else.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 667}

# Records securitypolicyviolation events in the console, next to Chromium's own CSP messages.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("Content Security Policy violation: " + e.violatedDirective + " " + e.blockedURI);
}, true);
"""


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    # AMPARO_MKDOCS_CONFIG lets the suite run against another configuration (e.g. a trimmed one).
    config = os.environ.get("AMPARO_MKDOCS_CONFIG", str(REPO / "mkdocs.yml"))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", config, "--site-dir", str(out)],
        cwd=REPO, capture_output=True, text=True, env=env, timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return out


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def server(site_dir):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site_dir)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Guard:
    """Aborts and records requests to other hosts; collects CSP messages from the console."""

    def __init__(self, base_url: str):
        self.netloc = urlsplit(base_url).netloc
        self.foreign: list[str] = []
        self.csp: list[str] = []

    def route(self, route):
        url = route.request.url
        if urlsplit(url).netloc == self.netloc:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def console(self, message):
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def attach(self, context):
        context.route("**/*", self.route)
        context.add_init_script(CSP_LISTENER)
        context.on("console", self.console)
        return context


@pytest.fixture
def open_context(browser, server):
    """Factory: a fresh, guarded browser context (own history, own storage)."""
    contexts = []

    def make(**options):
        guard = Guard(server)
        context = browser.new_context(base_url=server, **options)
        guard.attach(context)
        contexts.append(context)
        return context, guard

    yield make
    for context in contexts:
        context.close()


def built_pages(site_dir: Path) -> list[str]:
    """URL paths of every HTML page in the built site, both languages."""
    paths = []
    for file in sorted(site_dir.rglob("*.html")):
        relative = file.relative_to(site_dir).as_posix()
        paths.append("/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative))
    return paths
