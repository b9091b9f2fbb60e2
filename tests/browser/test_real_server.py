"""The built site served by a real nginx configured from its `_headers` file: the headers arrive,
nothing is blocked (the quiz still runs its engine under the header policy), and "remove all
traces" empties the browser's HTTP cache of the site, through Clear-Site-Data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from amparo.publish.nginx_config import parse_headers
from browser_helpers import Guard, answer_first_question_with_the_engine
from nginx_server import NGINX, nginx
from test_site_search import a_word_of, search_as_a_phone_keyboard_does

pytestmark = pytest.mark.browser

PAGES = ["/", "/cuestionario/", "/seguridad/", "/ar/", "/en/guias/espana-victimas-trata/", "/no-such-page/"]
STYLESHEET = re.compile(r"^GET (/assets/stylesheets/main\.[0-9a-f]+\.min\.css) (\d{3}) inm=\"(.*?)\" ims=\"(.*?)\"$")


@pytest.fixture(scope="module")
def served(site_dir, tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: apt-get install --no-install-recommends nginx (make test does it)")
    with nginx(site_dir, tmp_path_factory.mktemp("nginx")) as (url, log):
        yield url, log


@pytest.fixture(scope="module")
def expected(site_dir):
    rules = dict(parse_headers((site_dir / "_headers").read_text(encoding="utf-8")))
    return {name.lower(): value for name, value in rules["/*"]}


@pytest.fixture
def context(browser, served):
    url, _ = served
    context = browser.new_context(base_url=url)
    failures: list[str] = []
    responses = []
    # ERR_ABORTED is a request cut short by the next navigation (the search worker's scripts, say);
    # what a policy or a wrong type blocks fails otherwise (ERR_BLOCKED_BY_CSP, ERR_BLOCKED_BY_ORB…).
    context.on("requestfailed", lambda request: request.failure == "net::ERR_ABORTED"
               or failures.append(f"{request.url}: {request.failure}"))
    context.on("response", lambda response: responses.append(response))
    yield context, failures, responses
    context.close()


def test_the_headers_arrive_and_nothing_is_blocked(context, expected, served, site_dir):
    context, failures, responses = context
    guard = Guard(served[0])
    guard.attach(context)   # records any request to another host (which fails)
    # Every file from nginx, none from the browser's cache (a route turns it off): each response
    # read below is one nginx sent, with its headers.
    context.route("**/*", lambda route: route.continue_())
    page = context.new_page()
    for path in PAGES:
        response = page.goto(path)
        assert response.status == (404 if path == "/no-such-page/" else 200), path
    # The quiz's engine (a module worker compiling WebAssembly) runs under the header's policy.
    answer_first_question_with_the_engine(page)
    assert len(responses) > 20
    for response in responses:
        headers = response.all_headers()
        assert response.status < 400 or response.url.endswith("/no-such-page/"), response.url
        for name, value in expected.items():
            assert headers.get(name) == value, f"{response.url}: {name}"
    wasm = next(site_dir.rglob("*.wasm")).relative_to(site_dir).as_posix()
    served_wasm = context.request.get("/" + wasm)
    assert served_wasm.headers["content-type"] == "application/wasm"
    assert served_wasm.headers["content-security-policy"] == expected["content-security-policy"]
    assert not guard.csp, guard.csp
    assert not guard.foreign, guard.foreign
    assert not failures, failures


def test_search_works_under_the_header_policy(context, served):
    """The search worker and its language scripts load under the policy the server sends (a
    worker gets the headers of its own response, not the page's meta tag): an Arabic word of the
    page, arriving as a phone keyboard sends it, finds the page."""
    context, failures, responses = context
    guard = Guard(served[0])
    guard.attach(context)
    page = context.new_page()
    page.goto("/ar/guias/espana-victimas-trata/")
    word = a_word_of(page.locator("h1").inner_text(), "ar")
    assert "/ar/guias/espana-victimas-trata/" in search_as_a_phone_keyboard_does(page, word)
    assert not guard.csp, guard.csp
    assert not failures, failures


def _stylesheet_requests(log, since: int) -> list[tuple[str, int, bool]]:
    """(path, status, sent validators) of the main stylesheet's requests after line `since`."""
    found = []
    for line in log.read_text(encoding="utf-8").splitlines()[since:]:
        match = STYLESHEET.match(line)
        if match:
            found.append((match.group(1), int(match.group(2)), match.group(3) != "-" or match.group(4) != "-"))
    return found


def _lines(log) -> int:
    return len(log.read_text(encoding="utf-8").splitlines())


def test_remove_all_traces_empties_the_http_cache(context, served):
    # No request routing here: Playwright turns the HTTP cache off while it routes requests.
    context, failures, responses = context
    url, log = served
    start = _lines(log)
    page = context.new_page()
    page.goto("/guias/espana-victimas-trata/")
    assert _stylesheet_requests(log, start), "the page loads the theme's stylesheet"

    # A new tab (a new renderer, so nothing in its memory): the stylesheet comes from the HTTP
    # cache, so it is not asked for again, or only revalidated.
    page.close()
    before = _lines(log)
    page = context.new_page()
    page.goto("/seguridad/")
    assert all(validated for _, _, validated in _stylesheet_requests(log, before)), "the cache should hold it"

    with page.expect_response("**/clear-site-data.txt") as cleared:
        page.get_by_role("button", name="Borrar todo rastro").click()
    assert cleared.value.all_headers()["clear-site-data"] == '"cache", "cookies", "storage"'
    expect(page.locator(".amparo-offline__state")).to_have_text("Listo: esta guía ya no guarda nada en este navegador.")

    page.close()
    after = _lines(log)
    page = context.new_page()
    page.goto("/guias/chile-victimas-trata/")
    requests = _stylesheet_requests(log, after)
    assert requests and all(status == 200 and not validated for _, status, validated in requests), \
        f"the stylesheet should come afresh, with nothing cached to revalidate: {requests}"
    assert not failures, failures
    assert all(response.url.startswith(url + "/") for response in responses), "only the site's own host"
