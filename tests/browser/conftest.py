"""One build, one local server and one Chromium for the whole browser suite.

Every request to a host other than the local server fails and is recorded: the site must
work, and must be tested, without reaching anywhere else.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, Guard, pages_of_language
from site_visit import kept_findings, visit

REPO = Path(__file__).resolve().parents[2]


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


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser drops connections when a test navigates away: not a failure


@pytest.fixture(scope="session")
def server(site_dir):
    httpd = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site_dir)))
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


@pytest.fixture(scope="module")
def reading_page(browser, server):
    """Factory: reading_page(**context options) → (page, guard), one guarded page per set of
    options, kept for the module's tests that only look at what pages show, each after its own
    goto(). A fresh browser context costs the CPU of about five page loads in a warm one, and the
    browser suite is bound by CPU. A test that changes what the browser keeps (history it walks,
    storage, a service worker, the clock) takes open_context instead."""
    opened = {}

    def page_for(**options):
        key = repr(sorted(options.items()))
        if key not in opened:
            guard = Guard(server)
            context = browser.new_context(base_url=server, **options)
            guard.attach(context)
            opened[key] = (context.new_page(), guard)
        page, guard = opened[key]
        guard.foreign.clear()
        guard.csp.clear()
        return page, guard

    yield page_for
    for page, _ in opened.values():
        page.context.close()


@pytest.fixture(scope="session")
def visit_language(browser, server, site_dir):
    """visit_language(language): what the whole-site audits found on that language's pages, each
    page loaded once for all three (site_visit.py), or what an earlier run found on it if nothing
    it was found from has changed (audit_cache.py); the tests that read it share an xdist group
    per language (browser_helpers.EVERY_LANGUAGE), so one process visits each language once."""
    visits = {}
    cache = kept_findings(browser, server, site_dir)

    def findings(language):
        if language not in visits:
            visits[language] = visit(browser, server, pages_of_language(site_dir, language), cache)
        return visits[language]

    return findings
