"""Shared by the browser tests: what is allowed to load, and where the pages are."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from amparo.content.loader import load_content
from amparo.project import read_project

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
    # Every request to another host goes to a proxy that is not there, and fails: nothing leaves the
    # machine, whatever a page asks for (the local server, on the loopback address, is never
    # proxied). Guard records each such request.
    "--proxy-server=http://127.0.0.1:9",
]
DESKTOP = {"width": 1280, "height": 800}
# A reader whose phone asks to save data (Android's Data Saver): the quiz then downloads its date
# calculator (Pyodide, 3-4 s of CPU in a fresh browser) only for a date. For the tests whose paths
# have no date: the engine's own tests keep the default, which downloads it after the page.
SAVE_DATA = "Object.defineProperty(Navigator.prototype, 'connection', { get: () => ({ saveData: true }) });"
MOBILE = {"width": 375, "height": 667}
REPO = Path(__file__).resolve().parents[2]
# Every language the site is built in, with its path prefix: Spanish at the root.
_PROJECT = read_project(REPO / "mkdocs.yml")
ALL_LANGUAGES = {language: "" if language == _PROJECT.default_language else f"/{language}" for language in _PROJECT.languages}
# Every language, for the three whole-site audits that share one visit of its pages (conftest's
# visit_language): a language's tests run in one test process (--dist loadgroup), which visits once.
def visited(languages) -> list:
    """`languages` as test parameters, each in its language's xdist group: a test that reads a
    language's visit runs in the process that made it."""
    return [pytest.param(language, marks=pytest.mark.xdist_group(f"visit-{language}")) for language in languages]


EVERY_LANGUAGE = visited(ALL_LANGUAGES)
# The source, the complete translation and the right-to-left one: for the heavier tests.
LANGUAGES = {language: ALL_LANGUAGES[language] for language in ("es", "en", "ar")}
# Every guide of the content, in the site's order: a guide added later is tested too.
GUIDES = [guide.id for guide in load_content(_PROJECT.content_dir, _PROJECT.sources_dir).guides]

# Reports securitypolicyviolation events to the console, next to Chromium's own CSP messages.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("Content Security Policy violation: " + e.violatedDirective + " " + e.blockedURI);
}, true);
"""


class Guard:
    """Records the requests to other hosts (which fail: CHROMIUM_ARGS' proxy) and the CSP messages
    from the console."""

    def __init__(self, base_url: str):
        address = urlsplit(base_url)
        self.local = f"{address.scheme}://{address.netloc}/"
        self.foreign: list[str] = []
        self.csp: list[str] = []

    def request(self, request):
        if not request.url.startswith(self.local):
            self.foreign.append(request.url)

    def console(self, message):
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def attach(self, context):
        # Watched, not routed: a route would turn the browser's cache off for the whole context,
        # and every page would load its styles and scripts again (half the CPU of a page load).
        context.on("request", self.request)
        context.add_init_script(CSP_LISTENER)
        context.on("console", self.console)
        return context


def built_pages(site_dir: Path) -> list[str]:
    """URL paths of every HTML page in the built site, both languages."""
    paths = []
    for file in sorted(site_dir.rglob("*.html")):
        relative = file.relative_to(site_dir).as_posix()
        paths.append("/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative))
    return paths


def pages_of_language(site_dir: Path, language: str) -> list[str]:
    """The built pages under one language's prefix; the source language has every other page, so
    the languages together cover the whole site, each page once (a whole-site audit splits by
    language to run on several processes)."""
    others = [prefix + "/" for code, prefix in ALL_LANGUAGES.items() if prefix and code != language]
    prefix = ALL_LANGUAGES[language]
    return [path for path in built_pages(site_dir)
            if (path.startswith(prefix + "/") if prefix else not path.startswith(tuple(others)))]


def answer_first_question_with_the_engine(page) -> None:
    """Open the quiz, wait for its engine, and answer the first question: the engine ran."""
    from playwright.sync_api import expect

    page.goto("/cuestionario/")
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "ready", timeout=60_000)
    form = page.locator("#amparo-quiz form:visible")
    form.get_by_label("En Chile").check()
    form.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", name="¿Tienes la nacionalidad del país donde estás?")).to_be_visible()


def open_search(page):
    """Material shows the search box in the header on wide screens, behind a button on phones."""
    toggle = page.locator("label.md-header__button[for='__search']")
    if toggle.is_visible():
        toggle.click()
    search = page.locator(".md-search__input")
    search.click()
    return search


def settle(page, condition, what: str = "condition") -> None:
    """Wait, up to 5 s, for `condition()` to hold: for what the page does a moment after an event."""
    for _ in range(50):
        if condition():
            return
        page.wait_for_timeout(100)
    pytest.fail(f"{what} not met within 5 s")


def go_back(page) -> None:
    """The browser's Back. Just after the quick exit the tab may be moving between two renderer
    processes (the neutral page is another site): Chromium then refuses Playwright's request for the
    history ("Not attached to an active page", before any navigation; 1 run in about 15 here). Asked
    again a moment later, it goes back: the same Back, not a second one."""
    for attempt in range(3):
        try:
            page.go_back()
            return
        except PlaywrightError as error:
            if "Not attached to an active page" not in str(error) or attempt == 2:
                raise
            page.wait_for_timeout(200)
