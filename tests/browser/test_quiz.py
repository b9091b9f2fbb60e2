"""The quiz in Chromium: answered privately on the device, from the first question to a printable
result, with nothing sent anywhere and nothing stored; every screen at once from the build's table, the
engine only for dates; and a static version without JavaScript."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, SAVE_DATA, Guard, go_back, settle
from quiz import evaluate
from site_visit import axe_report

pytestmark = pytest.mark.browser

QUIZ = "/cuestionario/"
# A victim of trafficking in Spain, identified by the police, unsure about the rest, whose
# application was admitted: an answer to each question, as the reader sees it.
SPAIN_TRAFFICKING = ["En España", "No, soy de otro país", "Sí", "No lo sé", "Sí", "No, o no lo sé",
                     "Presenté la solicitud y me la admitieron a trámite"]
PRINT_SPY = "window.print = () => { document.documentElement.dataset.printed = String(Number(document.documentElement.dataset.printed || 0) + 1); };"


def answer(page, label: str) -> None:
    stage = page.locator("#amparo-quiz form:visible")
    stage.get_by_label(label, exact=True).check()
    stage.get_by_role("button", name="Continuar").click()


def engine_ready(page) -> None:
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "ready", timeout=60_000)


def open_quiz(open_context, path: str = QUIZ, saving_data: bool = False):
    """A fresh browser context on the quiz, its engine ready; or, for a path without a date, as a
    phone that saves data, where the quiz does not download the engine (browser_helpers.SAVE_DATA)."""
    context, guard = open_context()
    if saving_data:
        context.add_init_script(SAVE_DATA)
    page = context.new_page()
    page.goto(path)
    if not saving_data:
        engine_ready(page)
    return page, guard


def storage_is_empty(page, context) -> None:
    stored = page.evaluate("""async () => [localStorage.length, sessionStorage.length, document.cookie,
                                           (await indexedDB.databases()).length, (await caches.keys()).length]""")
    assert stored == [0, 0, "", 0, 0]
    assert context.cookies() == []


RUNTIME = "**/assets/quiz/runtime/**"
# A victim of trafficking in Chile who says yes to each question: choices only, no date asked.
CHILE_TRAFFICKING = ["En Chile", "No, soy de otro país", "Sí", "Sí", "Sí", "Sí"]


def result_heading(page):
    return page.get_by_role("heading", name="Lo que puede ser para ti")


def test_every_answer_is_shown_at_once_while_the_engine_is_still_loading(open_context):
    context, guard = open_context()
    page = context.new_page()
    held = []
    # Hold the runtime back: no answer may wait for it.
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(QUIZ)
    expect(page.locator("#amparo-quiz form[data-question='pais']")).to_be_visible()
    for label in CHILE_TRAFFICKING:
        answer(page, label)
    expect(result_heading(page)).to_be_focused()
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "loading")
    expect(page.locator(".amparo-outcome--likely")).to_have_count(2)
    # The full result, as the static version has it: steps and documents too.
    expect(page.locator(".amparo-outcome--likely").first.locator("summary", has_text="Pasos")).to_be_visible()
    for route in held:
        route.continue_()
    page.unroute("**/pyodide.asm.wasm")
    engine_ready(page)
    expect(result_heading(page)).to_be_focused()
    assert page.locator("#amparo-quiz").get_attribute("data-engine-differed") is None
    assert not guard.foreign and not guard.csp


@pytest.mark.parametrize("saving_data", [False, True], ids=["engine after the page", "saving data"])
def test_an_answer_given_before_the_table_has_come_counts_when_it_comes(open_context, saving_data):
    # On a slow network the first question is on screen (the page's own script shows it) seconds
    # before the table: her first answer must not be lost, nor throw.
    context, guard = open_context()
    if saving_data:
        context.add_init_script(SAVE_DATA)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    held = []
    page.route("**/assets/quiz/table.es.json", lambda route: held.append(route))
    page.goto(QUIZ)
    answer(page, "En España")
    settle(page, lambda: held, "the table asked for")
    assert page.locator("#amparo-quiz").get_attribute("data-table-state") != "ready"
    for route in held:
        route.continue_()
    expect(page.get_by_role("heading", name="¿Tienes la nacionalidad del país donde estás?")).to_be_visible()
    assert not errors, errors
    assert not guard.foreign and not guard.csp


# Holds the engine's answers to the page until the reader's next answer has drawn its screen,
# then delivers them in that same task: a check that arrives just after she moved on.
HOLD_ENGINE = """(() => {
  const held = [];
  let holding = false;
  const handler = Object.getOwnPropertyDescriptor(Worker.prototype, "onmessage");
  Object.defineProperty(Worker.prototype, "onmessage", { configurable: true,
    get() { return handler.get.call(this); },
    set(listener) {
      handler.set.call(this, (event) => {
        if (holding && event.data && event.data.type === "result") held.push(() => listener(event));
        else listener(event);
      });
    } });
  window.__holdEngine = () => { holding = true; };
  window.__held = () => held.length;
  window.addEventListener("submit", () => {
    if (!held.length) return;
    holding = false;
    held.splice(0).forEach((deliver) => deliver());
  });
})();"""


def test_the_engines_check_of_a_screen_she_has_left_never_brings_it_back(open_context):
    context, guard = open_context()
    context.add_init_script(HOLD_ENGINE)
    page = context.new_page()
    page.goto(QUIZ)
    engine_ready(page)
    page.evaluate("() => window.__holdEngine()")
    answer(page, "En Chile")
    for _ in range(100):  # the check of the screen she now sees, sent after its paint, held
        if page.evaluate("() => window.__held()"):
            break
        page.wait_for_timeout(50)
    else:
        pytest.fail("the engine was never asked to check the screen")
    answer(page, "No, soy de otro país")  # her next screen; then the late check arrives
    expect(page.get_by_role("heading", name=re.compile("obligado, engañado o amenazado"))).to_be_focused()
    page.wait_for_timeout(500)
    expect(page.get_by_role("heading", name=re.compile("obligado, engañado o amenazado"))).to_be_visible()
    assert page.locator("#amparo-quiz").get_attribute("data-engine-differed") is None
    assert not guard.foreign and not guard.csp


def test_with_the_runtime_blocked_a_choices_only_path_reaches_the_full_result(open_context):
    context, guard = open_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    blocked: list[str] = []
    page.route(RUNTIME, lambda route: (blocked.append(route.request.url), route.abort()))
    page.goto(QUIZ)
    for label in CHILE_TRAFFICKING:
        answer(page, label)
    expect(result_heading(page)).to_be_visible()
    likely = page.locator(".amparo-outcome--likely")
    expect(likely).to_have_count(2)
    expect(likely.first.locator("summary", has_text="Documentos")).to_be_visible()
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "failed")
    assert blocked, "the runtime was never asked for: the test blocked nothing"
    # Back and change still work without the engine.
    page.locator(".amparo-quiz__summary > summary").click()
    page.locator(".amparo-quiz__summary").get_by_role("button", name=re.compile("^Cambiar: ¿En qué país")).click()
    expect(page.get_by_label("En Chile", exact=True)).to_be_checked()
    page.get_by_role("button", name="Continuar").click()
    expect(result_heading(page)).to_be_focused()
    expect(page.locator(".amparo-quiz__fallback")).to_be_hidden()
    assert errors == [] and not guard.foreign and not guard.csp


def in_the_window() -> date:
    """A Monday about two months ago: inside the date table's window of a site built today."""
    day = date.today() - timedelta(days=60)
    return day - timedelta(days=day.weekday())


def before_the_window() -> date:
    """A day long before any build's window: only the engine on the device computes it."""
    return date(date.today().year - 10, 3, 15)


def type_date(page, day: date | tuple[str, str, str]) -> None:
    """Types the date into the date question's fields, as she would: day, month and year, each
    labelled, whatever their order on the page."""
    form = page.locator("#amparo-quiz form:visible")
    parts = (str(day.day), str(day.month), str(day.year)) if isinstance(day, date) else day
    for label, text in zip(("Día", "Mes", "Año"), parts):
        form.get_by_label(label, exact=True).fill(text)


def answer_the_date(page, day: date | None = None) -> None:
    type_date(page, day or in_the_window())
    page.get_by_role("button", name="Continuar").click()


def fee_deadline(page):
    """The fee's deadline in the likely permit's result (the one the date starts)."""
    return page.locator(".amparo-outcome--likely .amparo-outcome__deadlines li").filter(has_text="pagar la tasa")


@pytest.fixture(scope="module")
def fee_date(site_dir):
    """The fee's deadline from `day` as the engine writes it in Spanish (the served flow)."""
    flow = json.loads((site_dir / "assets/quiz/runtime/flow.es.json").read_text(encoding="utf-8"))

    def text(day: date, language_flow: dict = flow) -> str:
        answers = {"pais": "espana", "nacionalidad": "no", "explotacion": "si", "red": "no-se", "identificacion": "si",
                   "colaboracion": "no-se", "tramite": "admitida", "fecha-admision": day.isoformat()}
        outcome = evaluate(language_flow, answers, date.today().isoformat())["outcomes"][0]
        return next(limit["date_text"] for limit in outcome["deadlines"] if limit["id"] == "tasa")

    return text


def test_with_the_runtime_blocked_a_date_in_the_window_shows_its_computed_deadline(open_context, fee_date):
    context, guard = open_context()
    page = context.new_page()
    blocked: list[str] = []
    page.route(RUNTIME, lambda route: (blocked.append(route.request.url), route.abort()))
    page.goto(QUIZ)
    for label in SPAIN_TRAFFICKING:
        answer(page, label)
    answer_the_date(page, in_the_window())
    expect(result_heading(page)).to_be_focused()
    # The table's date, the engine's own: not "this device cannot compute the dates".
    expect(fee_deadline(page).locator(".amparo-outcome__date")).to_have_text(fee_date(in_the_window()))
    expect(page.locator(".amparo-quiz__dates")).to_be_hidden()
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "failed")
    assert blocked, "the runtime was never asked for: the test blocked nothing"
    # Her answer, as she gave it, in the summary.
    page.locator(".amparo-quiz__summary > summary").click()
    expect(page.locator("[data-summary='fecha-admision'] [data-value='']")).to_have_text(
        in_the_window().strftime("%d/%m/%Y"))
    assert not guard.foreign and not guard.csp


def test_with_the_runtime_blocked_a_date_result_says_calmly_that_dates_cannot_be_computed(open_context):
    context, guard = open_context()
    page = context.new_page()
    page.route(RUNTIME, lambda route: route.abort())
    page.goto(QUIZ)
    for label in SPAIN_TRAFFICKING:
        answer(page, label)
    answer_the_date(page, before_the_window())  # a day only the engine on the device can count from
    expect(result_heading(page)).to_be_focused()
    note = page.locator(".amparo-quiz__dates")
    expect(note).to_have_text(re.compile("^Este dispositivo no puede calcular las fechas"))
    expect(note).to_have_attribute("role", "status")
    deadlines = fee_deadline(page)
    expect(deadlines).to_contain_text("Cómo se cuenta")
    expect(deadlines.locator(".amparo-outcome__date")).to_be_hidden()
    assert not guard.foreign and not guard.csp


def test_a_date_outside_the_window_gets_its_deadline_from_the_engine_when_it_is_ready(open_context, fee_date):
    context, guard = open_context()
    page = context.new_page()
    held = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(QUIZ)
    for label in SPAIN_TRAFFICKING:
        answer(page, label)
    answer_the_date(page, before_the_window())
    # At once: each deadline's rule, and where its date will be, that it is being calculated.
    expect(result_heading(page)).to_be_focused()
    fee = fee_deadline(page)
    expect(fee).to_contain_text("Cómo se cuenta")
    expect(fee.locator(".amparo-outcome__date")).to_have_text("Calculando tus fechas en este dispositivo…")
    assert fee.locator("xpath=..").get_attribute("aria-live") == "polite"
    # A deadline still ahead of her (the card, after the fee) is its rule, with no date being calculated.
    card = page.locator(".amparo-outcome--likely").first
    expect(card.locator(".amparo-outcome__date")).to_have_count(1)
    expect(card.locator(".amparo-outcome__deadlines")).to_contain_text("tarjeta de identidad de extranjero (TIE)")
    note = page.locator(".amparo-quiz__dates")
    for route in held:
        route.continue_()
    page.unroute("**/pyodide.asm.wasm")
    # Ten business days from that day, from the engine, filled in where the reader is: no focus jump.
    expect(fee.locator(".amparo-outcome__date")).to_have_text(fee_date(before_the_window()), timeout=60_000)
    expect(note).to_be_hidden()
    expect(result_heading(page)).to_be_focused()
    assert page.locator("#amparo-quiz").get_attribute("data-engine-differed") is None
    assert not guard.foreign and not guard.csp


def test_saving_data_downloads_nothing_of_the_runtime_before_a_date(open_context, fee_date):
    context, guard = open_context()
    context.add_init_script(SAVE_DATA)
    page = context.new_page()
    runtime: list[str] = []
    page.on("request", lambda request: runtime.append(request.url) if "/assets/quiz/runtime/" in request.url else None)
    page.goto(QUIZ, wait_until="load")
    choice = page.get_by_label(re.compile(r"^Ahorrar datos: no descargar la calculadora de fechas \(\d+,\d\u00a0MB\)"))
    expect(choice).to_be_checked()
    for label in SPAIN_TRAFFICKING:
        answer(page, label)
    page.wait_for_timeout(1000)  # time the runtime would have had to start downloading
    assert runtime == [], runtime
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "off")
    # A date in the table's window: its deadline at once, and not a byte of the runtime.
    answer_the_date(page, in_the_window())
    expect(fee_deadline(page).locator(".amparo-outcome__date")).to_have_text(fee_date(in_the_window()))
    page.wait_for_timeout(1000)
    assert runtime == [], runtime
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "off")

    # A date before the window: said first, in MB, before anything is downloaded…
    page.locator(".amparo-quiz__summary > summary").click()
    page.get_by_role("button", name=re.compile("^Cambiar: ¿Qué día admitieron")).click()
    type_date(page, before_the_window())
    page.get_by_role("button", name="Continuar").click()
    note = page.locator("[data-save-data-note]")
    expect(note).to_have_text(re.compile(r"tiene que descargar \d+,\d\u00a0MB\. Pulsa «Continuar»"))
    page.wait_for_timeout(1000)
    assert runtime == [], runtime
    # …and downloaded only if she continues with it.
    page.get_by_role("button", name="Continuar").click()
    fee = fee_deadline(page)
    expect(fee.locator(".amparo-outcome__date")).to_have_text(fee_date(before_the_window()), timeout=60_000)
    assert runtime, "the runtime was not downloaded for the date"
    assert not guard.foreign and not guard.csp


def test_complete_change_print_and_leave_without_a_trace(open_context, server, fee_date):
    context, guard = open_context()
    context.add_init_script(PRINT_SPY)
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto("/")
    page.goto(QUIZ)
    engine_ready(page)
    loaded = len(urls)

    for label in SPAIN_TRAFFICKING:
        answer(page, label)
    # A date after today is refused, and said so; a real one gives a computed deadline.
    type_date(page, date.today() + timedelta(days=2))
    page.get_by_role("button", name="Continuar").click()
    expect(page.locator("#amparo-quiz form:visible .amparo-quiz__error")).to_have_text(
        "Esa fecha es posterior a hoy. Escribe una fecha de hoy o de antes.")
    answer_the_date(page, in_the_window())
    fee = fee_date(in_the_window())

    expect(result_heading(page)).to_be_focused()
    e38 = page.locator(".amparo-outcome").filter(has_text="España: permiso para víctimas de trata")
    expect(e38.locator(".amparo-outcome__status")).to_have_text("Probable:")
    # Ten business days from that Monday.
    expect(e38.locator(".amparo-outcome__deadlines li").filter(has_text="pagar la tasa")).to_contain_text(fee)
    expect(e38).to_contain_text("Tus plazos")
    e37 = page.locator(".amparo-outcome").filter(has_text="colaborar con las autoridades")
    expect(e37.locator(".amparo-outcome__status")).to_have_text("Posible, si…:")

    # Change an earlier answer: the others still apply, so the result comes straight back.
    summary = page.locator(".amparo-quiz__summary")
    summary.locator("> summary").click()
    summary.get_by_role("button", name="Cambiar: ¿La policía te ha identificado como víctima de trata?").click()
    expect(page.get_by_label("Sí", exact=True)).to_be_checked()
    answer(page, "No, o no lo sé")
    expect(e38.locator(".amparo-outcome__status")).to_have_text("Posible, si…:")
    expect(e38).to_contain_text("El primer paso es que la policía te identifique como víctima de trata")
    expect(e38.locator(".amparo-outcome__deadlines")).to_contain_text(fee)

    report = axe_report(page)
    assert report is None, report

    # Printing leaves the answers out unless the reader asks for them.
    page.get_by_role("button", name="Imprimir", exact=True).click()
    assert page.locator("html").get_attribute("data-printed") == "1"
    page.emulate_media(media="print")
    expect(summary).to_be_hidden()
    expect(e38).to_be_visible()
    page.emulate_media(media="screen")
    page.get_by_label("Imprimir también mis respuestas").check()
    page.emulate_media(media="print")
    expect(summary).to_be_visible()
    page.emulate_media(media="screen")

    # Nothing left the device: not in an address, not in storage, not to another host.
    assert urls[loaded:] == [], "requests after the engine was ready"
    for url in urls + [page.url]:
        parts = urlsplit(url)
        assert not parts.query and not parts.fragment, url
        assert parts.netloc == urlsplit(server).netloc, url
    assert urlsplit(page.url).path == QUIZ
    storage_is_empty(page, context)
    assert not guard.foreign and not guard.csp

    # Quick exit: the answers go with the page, and Back does not bring them back, however many
    # of the quiz's screens are behind it in the history.
    leave_quickly_and_come_back(page, server)


# What a quiz page shows each time it is shown (pageshow: loaded again, or restored from the
# back/forward cache before it leaves again), said on the console before the page's own handlers run.
SHOWN_SPY = """if (!window.amparoShownSpy) {
  window.amparoShownSpy = true;
  window.addEventListener("pageshow", (event) => console.log("amparo-shown " + JSON.stringify({
    path: location.pathname, persisted: event.persisted,
    outcomes: document.querySelectorAll(".amparo-outcome").length,
    checked: document.querySelectorAll("#amparo-quiz input:checked").length})));
}"""


def leave_quickly_and_come_back(page, server) -> None:
    """Shift three times, then Back, and Back again: no answer comes back. The quiz's address is
    shown again at least once (loaded afresh, or restored and leaving again), never with an answer."""
    shown: list[dict] = []
    page.on("console", lambda m: m.text.startswith("amparo-shown ") and shown.append(json.loads(m.text[13:])))
    page.context.add_init_script(SHOWN_SPY)   # a page loaded again
    page.evaluate(SHOWN_SPY)                  # this very page, if the cache restores it
    neutral = page.locator("[data-amparo-exit-url]").get_attribute("data-amparo-exit-url")
    with page.expect_request(neutral):
        page.locator("body").click(position={"x": 5, "y": 200})
        for _ in range(3):
            page.keyboard.press("Shift")
    for _ in range(50):
        if not page.url.startswith(server):
            break
        page.wait_for_timeout(100)
    assert not page.url.startswith(server), page.url
    for _ in range(2):
        go_back(page)
        page.wait_for_timeout(300)
        if page.url.startswith(server) and urlsplit(page.url).path == QUIZ:
            # The quiz's address again: the quiz from its start, or the page leaving again.
            expect(page.locator(".amparo-outcome")).to_have_count(0)
            expect(page.locator("#amparo-quiz input:checked")).to_have_count(0)
    quiz_shown = [state for state in shown if state["path"] == QUIZ]
    assert quiz_shown, f"Back never showed the quiz's address again: {shown}"
    assert all(state["outcomes"] == 0 and state["checked"] == 0 for state in quiz_shown), quiz_shown


def test_quick_exit_stops_the_engine_and_forgets_the_answers(open_context):
    page, guard = open_quiz(open_context)
    answer(page, "En Chile")
    expect(page.get_by_role("heading", name="¿Tienes la nacionalidad del país donde estás?")).to_be_visible()
    workers = [worker.url for worker in page.workers]
    assert any(url.endswith("/assets/quiz/worker.mjs") for url in workers), workers
    neutral = page.locator("[data-amparo-exit-url]").get_attribute("data-amparo-exit-url")
    page.route(neutral, lambda route: route.fulfill(status=204))  # stay to look at what is left
    page.locator("button[data-amparo-exit]").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bamparo-exiting\b"))
    for _ in range(50):
        if not any(worker.url.endswith("/assets/quiz/worker.mjs") for worker in page.workers):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the quiz engine's worker is still running after the quick exit")
    assert page.evaluate("document.body.innerText.trim()") == ""


def test_back_returns_to_the_previous_question_with_its_answer(open_context):
    page, guard = open_quiz(open_context, saving_data=True)
    answer(page, "En Chile")
    answer(page, "No, soy de otro país")
    expect(page.get_by_role("heading", name=re.compile("obligado, engañado o amenazado"))).to_be_focused()
    page.get_by_role("button", name="Atrás").click()
    expect(page.get_by_label("No, soy de otro país")).to_be_checked()
    page.get_by_role("button", name="Atrás").click()
    expect(page.get_by_label("En Chile")).to_be_checked()


def test_english_quiz_is_in_english(open_context):
    page, guard = open_quiz(open_context, "/en" + QUIZ, saving_data=True)
    form = page.locator("#amparo-quiz form:visible")
    form.get_by_label("In Chile").check()
    form.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Do you have the nationality of the country you are in?")).to_be_visible()
    assert not guard.foreign and not guard.csp


def _walk_static_version(page) -> None:
    static = page.locator("#amparo-static")
    for label in ("En Chile", "No, soy de otro país", "Sí", "Sí", "Sí", "Sí"):
        static.locator(".amparo-static__state:visible").get_by_role("link", name=label, exact=True).click()
    result = static.locator(".amparo-static__state:visible")
    expect(result.get_by_role("heading", name="Lo que puede ser para ti")).to_be_visible()
    expect(result.locator(".amparo-outcome--likely")).to_have_count(2)
    expect(result.locator(".amparo-outcome--likely").first).to_contain_text("Chile")
    # Fragments only, and opaque: the address never spells an answer.
    assert re.fullmatch(r"#r\d+", urlsplit(page.url).fragment and "#" + urlsplit(page.url).fragment), page.url
    assert not urlsplit(page.url).query


def test_the_reader_can_choose_to_save_data_and_the_download_stops(open_context, fee_date):
    context, guard = open_context()
    page = context.new_page()
    held = []
    runtime: list[str] = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(QUIZ, wait_until="load")
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "loading")
    choice = page.get_by_label(re.compile("^Ahorrar datos"))
    expect(choice).not_to_be_checked()
    choice.check()
    # The download under way stops: its worker ends, and nothing more of the runtime is asked for.
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "off")
    for _ in range(50):
        if not any(worker.url.endswith("/assets/quiz/worker.mjs") for worker in page.workers):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the engine's worker still runs after the reader chose to save data")
    page.unroute("**/pyodide.asm.wasm")  # the held request went with its worker
    page.on("request", lambda request: runtime.append(request.url) if "/assets/quiz/runtime/" in request.url else None)
    for label in SPAIN_TRAFFICKING:
        answer(page, label)
    answer_the_date(page, in_the_window())
    # Her deadline from the table, and still nothing of the runtime.
    expect(fee_deadline(page).locator(".amparo-outcome__date")).to_have_text(fee_date(in_the_window()))
    page.wait_for_timeout(1000)
    assert runtime == [], runtime
    assert not guard.foreign and not guard.csp


def test_should_the_table_ever_differ_from_the_engine_the_engine_is_shown(open_context):
    # A table in which "In Chile" leads where "In another country" does (a result): the engine,
    # once ready, says which question really comes next, and that one is shown.
    context, guard = open_context()
    page = context.new_page()

    def wrong(route):
        table = route.fetch().json()
        first = table["states"][0][1]
        first["chile"] = first["otro"]
        route.fulfill(json=table)

    page.route("**/assets/quiz/table.es.json", wrong)
    page.goto(QUIZ)
    engine_ready(page)
    answer(page, "En Chile")
    chile_question = page.get_by_role("heading", name="¿Tienes la nacionalidad del país donde estás?")
    expect(chile_question).to_be_visible()
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine-differed", "true")
    expect(page.locator("#amparo-quiz form:visible")).to_have_attribute("data-question", "nacionalidad")
    assert not guard.foreign and not guard.csp


def test_without_webassembly_the_quiz_still_reaches_the_full_result(browser, server):
    # A second Chromium without a JIT, so without WebAssembly, as in hardened browsers (lockdown modes).
    no_wasm = browser.browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--js-flags=--jitless"])
    try:
        context = no_wasm.new_context(base_url=server)
        guard = Guard(server)
        guard.attach(context)
        page = context.new_page()
        page.goto(QUIZ)
        assert page.evaluate("typeof WebAssembly") == "undefined"
        for label in CHILE_TRAFFICKING:
            answer(page, label)
        expect(result_heading(page)).to_be_focused()
        expect(page.locator(".amparo-outcome--likely")).to_have_count(2)
        expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "failed")
        expect(page.locator(".amparo-quiz__fallback")).to_be_hidden()
        assert not guard.foreign and not guard.csp
    finally:
        no_wasm.close()


def test_without_javascript_the_static_version_works(open_context):
    context, guard = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(QUIZ)
    expect(page.locator("#amparo-quiz form[data-question]")).to_be_hidden()
    notice = page.locator(".amparo-quiz__no-script")
    expect(notice).to_be_visible()
    notice.get_by_role("link").click()
    _walk_static_version(page)
    assert not guard.foreign


# --- Back and Forward: the quiz's screens in the browser's history ------------------------------

HISTORY_STATE = "() => [history.state, location.href, history.length]"
ENTRY_INDEX = "() => navigation.currentEntry.index"
SETTLED = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100)))"


def wait_for_entry(page, index: int) -> None:
    """The quiz adds a screen's history entry once the screen is painted: wait for entry `index`."""
    settle(page, lambda: page.evaluate(ENTRY_INDEX) == index, f"the history at entry {index}")


def test_back_and_forward_step_through_the_questions_with_nothing_of_the_answers_in_the_history(open_context, server):
    context, guard = open_context()
    page = context.new_page()
    page.goto("/")
    page.goto(QUIZ)
    quiz_url = page.url
    before = page.evaluate("() => history.length")
    questions = []
    for label in CHILE_TRAFFICKING[:3]:
        questions.append(page.locator("#amparo-quiz form:visible").get_attribute("data-question"))
        answer(page, label)
    fourth = page.locator("#amparo-quiz form:visible")
    expect(fourth).not_to_have_attribute("data-question", questions[-1])
    # One more entry per new screen (each added once its screen is painted).
    entries = before + 3
    settle(page, lambda: page.evaluate("() => history.length") == entries, f"{entries} history entries")

    def on_screen(question: str, checked: str) -> None:
        form = page.locator("#amparo-quiz form:visible")
        expect(form).to_have_attribute("data-question", question)
        expect(form.get_by_label(checked, exact=True)).to_be_checked()
        expect(form.locator("h2")).to_be_focused()
        state, url, length = page.evaluate(HISTORY_STATE)
        # The same address, no state, no new entry: nothing of the answers in the history.
        assert (state, url, length) == (None, quiz_url, entries)

    page.go_back()
    on_screen(questions[2], CHILE_TRAFFICKING[2])
    page.go_back()
    on_screen(questions[1], CHILE_TRAFFICKING[1])
    page.go_forward()
    on_screen(questions[2], CHILE_TRAFFICKING[2])
    # Changing an answer after stepping back starts a new way on, as any page would.
    third = page.evaluate(ENTRY_INDEX)
    answer(page, CHILE_TRAFFICKING[2])
    expect(page.locator("#amparo-quiz form:visible")).to_have_attribute("data-question", fourth.get_attribute("data-question"))
    wait_for_entry(page, third + 1)  # the new way's entry, in place of the old fourth screen's
    # Back from the first question leaves the quiz for the page before it.
    for _ in range(4):
        page.go_back()
    assert urlsplit(page.url).path == "/", page.url
    assert not urlsplit(quiz_url).query and not urlsplit(quiz_url).fragment
    storage_is_empty(page, context)
    assert not guard.foreign and not guard.csp


# Her answer and a Back in the same moment, before the browser painted the new screen (and so
# before its entry was added): the browser's Back, or the quiz's own «Atrás».
ANSWER_THEN_BACK = """(way) => {
  const visible = (selector) => [...document.querySelectorAll(selector)].find((element) => element.offsetParent !== null);
  visible("#amparo-quiz form").requestSubmit();
  if (way === "browser") history.back();
  else visible("#amparo-quiz button[data-back]").click();
}"""


@pytest.mark.parametrize("way", ["browser", "quiz"])
def test_a_back_taken_at_once_after_an_answer_keeps_the_screens_and_the_history_agreeing(open_context, server, way):
    context, guard = open_context()
    page = context.new_page()
    page.goto("/")
    page.goto(QUIZ)
    first = page.evaluate(ENTRY_INDEX)
    questions = []
    for label in CHILE_TRAFFICKING[:3]:
        questions.append(page.locator("#amparo-quiz form:visible").get_attribute("data-question"))
        if len(questions) < 3:
            answer(page, label)
    wait_for_entry(page, first + 2)
    page.locator("#amparo-quiz form:visible").get_by_label(CHILE_TRAFFICKING[2], exact=True).check()
    page.evaluate(ANSWER_THEN_BACK, way)
    page.evaluate(SETTLED)
    # Whichever screen the Back landed on, each Back after it shows the one before, and the
    # Back after the first question leaves the quiz: no Back is lost, none skips a screen.
    shown = page.locator("#amparo-quiz form:visible").get_attribute("data-question")
    assert shown in questions, shown
    for question in reversed(questions[: questions.index(shown)]):
        page.go_back()
        expect(page.locator("#amparo-quiz form:visible")).to_have_attribute("data-question", question)
    page.go_back()
    expect(page).to_have_url(f"{server}/")
    assert not guard.foreign and not guard.csp


def test_the_quizs_own_back_button_and_the_browsers_back_stay_one_history(open_context):
    page, guard = open_quiz(open_context)
    answer(page, "En Chile")
    answer(page, "No, soy de otro país")
    page.get_by_role("button", name="Atrás").click()
    expect(page.get_by_label("No, soy de otro país")).to_be_checked()
    # «Atrás» was a step back in the history: Forward returns to the question after it.
    page.go_forward()
    expect(page.get_by_role("heading", name=re.compile("obligado, engañado o amenazado"))).to_be_focused()


def test_quick_exit_after_several_screens_brings_no_answer_back(open_context, server):
    context, guard = open_context()
    page = context.new_page()
    page.goto(QUIZ)
    for label in CHILE_TRAFFICKING:
        answer(page, label)
    expect(result_heading(page)).to_be_focused()
    leave_quickly_and_come_back(page, server)


# --- Leaving: nothing lost by surprise -----------------------------------------------------------


def open_language_menu_and_choose(page, language: str) -> None:
    page.locator(".md-select > button").click()
    page.locator(f"a.md-select__link[hreflang='{language}']").click()


def test_the_language_switch_warns_first_that_the_answers_will_be_erased(open_context):
    context, guard = open_context()
    page = context.new_page()
    page.goto(QUIZ)
    # No answer yet: nothing to lose, no warning.
    open_language_menu_and_choose(page, "en")
    expect(page).to_have_url(re.compile("/en/cuestionario/$"))
    open_language_menu_and_choose(page, "es")
    expect(page).to_have_url(re.compile("(?<!/en)/cuestionario/$"))
    for label in CHILE_TRAFFICKING[:3]:
        answer(page, label)
    question = page.locator("#amparo-quiz form:visible").get_attribute("data-question")
    open_language_menu_and_choose(page, "en")
    warning = page.locator(".amparo-quiz__leave")
    expect(warning).to_be_visible()
    expect(warning.locator("p")).to_have_text("Si sales de esta página o cambias de idioma, se borran tus respuestas.")
    expect(warning.get_by_role("button", name="Seguir con mis respuestas")).to_be_focused()
    assert urlsplit(page.url).path == QUIZ
    # She stays: the same question, her answers kept (Back still shows the one before).
    warning.get_by_role("button", name="Seguir con mis respuestas").click()
    expect(warning).to_be_hidden()
    expect(page.locator("#amparo-quiz form:visible")).to_have_attribute("data-question", question)
    page.go_back()
    expect(page.get_by_label(CHILE_TRAFFICKING[2], exact=True)).to_be_checked()
    # She leaves: the other language, and her answers gone with the page.
    open_language_menu_and_choose(page, "en")
    warning.get_by_role("link", name="Salir y borrar mis respuestas").click()
    expect(page).to_have_url(re.compile("/en/cuestionario/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.go_back()
    expect(page.locator("#amparo-quiz input:checked")).to_have_count(0)
    assert not guard.foreign and not guard.csp


def test_a_guide_link_in_the_result_warns_first(open_context):
    page, guard = open_quiz(open_context, saving_data=True)
    for label in CHILE_TRAFFICKING:
        answer(page, label)
    page.locator(".amparo-outcome--likely").first.get_by_role("link", name="Leer la guía completa").click()
    warning = page.locator(".amparo-quiz__leave")
    expect(warning).to_be_visible()
    assert urlsplit(page.url).path == QUIZ
    # Not modal: the quick exit stays within reach while she decides.
    expect(page.locator("button[data-amparo-exit]")).to_be_enabled()
    page.keyboard.press("Escape")
    expect(warning).to_be_hidden()
    expect(result_heading(page)).to_be_visible()
    assert not guard.foreign and not guard.csp


# --- Dates as she says them ----------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en-US", "ar"])
def test_a_date_typed_day_month_year_is_kept_whatever_the_browsers_locale(open_context, fee_date, locale):
    # An en-US browser orders a native date field month/day/year, an Arabic one otherwise: these
    # fields follow the page's language, and what she types is what is kept.
    context, guard = open_context(locale=locale)
    page = context.new_page()
    page.goto(QUIZ)
    for label in SPAIN_TRAFFICKING:
        answer(page, label)
    day = in_the_window() + timedelta(days=12)  # a day number above 12: no month has it
    form = page.locator("#amparo-quiz form:visible")
    form.get_by_label("Día", exact=True).click()
    page.keyboard.type(str(day.day))
    page.keyboard.press("Tab")
    page.keyboard.type(f"{day.month:02d}")
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.year))
    page.keyboard.press("Enter")
    expect(result_heading(page)).to_be_focused()
    page.locator(".amparo-quiz__summary > summary").click()
    expect(page.locator("[data-summary='fecha-admision'] [data-value='']")).to_have_text(day.strftime("%d/%m/%Y"))
    expect(fee_deadline(page).locator(".amparo-outcome__date")).to_have_text(fee_date(day))
    assert not guard.foreign and not guard.csp


def test_the_arabic_quiz_takes_arabic_digits_and_says_an_impossible_date_in_arabic(open_context, site_dir, fee_date):
    flow = json.loads((site_dir / "assets/quiz/runtime/flow.ar.json").read_text(encoding="utf-8"))
    words = flow["strings"]
    context, guard = open_context(locale="ar", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/ar" + QUIZ)
    expect(page.locator("#amparo-quiz")).to_have_css("direction", "rtl")
    for question, value in [("pais", "espana"), ("nacionalidad", "no"), ("explotacion", "si"), ("red", "no-se"),
                            ("identificacion", "si"), ("colaboracion", "no-se"), ("tramite", "admitida")]:
        form = page.locator(f"#amparo-quiz form[data-question='{question}']:visible")
        form.locator(f"input[name=answer][value='{value}']").check()
        form.locator("button[type=submit]").click()
    form = page.locator("#amparo-quiz form[data-question='fecha-admision']:visible")
    fields = form.locator(".amparo-quiz__date input")
    # Day, month, year: in the order Arabic writes a date (right to left on the screen).
    assert fields.evaluate_all("fields => fields.map((f) => f.name)") == ["day", "month", "year"]
    boxes = [field.bounding_box() for field in fields.all()]
    assert boxes[0]["x"] > boxes[1]["x"] > boxes[2]["x"], boxes
    for field in fields.all():
        assert field.get_attribute("inputmode") == "numeric"
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    year = str(in_the_window().year)
    for name, text in (("day", "31"), ("month", "2"), ("year", year)):
        form.locator(f"input[name={name}]").fill(text.translate(arabic))
    form.locator("button[type=submit]").click()
    expect(form.locator(".amparo-quiz__error")).to_have_text(words["date-impossible"])
    expect(form.locator("input[name=day]")).to_have_attribute("aria-invalid", "")
    page.screenshot(path="/tmp/amparo-quiz-date-ar-390x844.png")
    form.locator("input[name=day]").fill(str(in_the_window().day).translate(arabic))
    form.locator("input[name=month]").fill(str(in_the_window().month).translate(arabic))
    form.locator("button[type=submit]").click()
    expect(page.locator(".amparo-quiz__result-title")).to_be_focused()
    expect(fee := page.locator(".amparo-outcome--likely [data-deadline='tasa']").first).to_be_visible()
    expect(fee).to_have_text(fee_date(in_the_window(), flow))
    assert not guard.foreign and not guard.csp


def test_the_static_quiz_keeps_her_place_across_the_language_switch(open_context):
    # Its place is the address's fragment, the same screen id in every language.
    context, guard = open_context()
    page = context.new_page()
    page.goto(QUIZ + "sencillo/")
    static = page.locator("#amparo-static")
    for label in ("En Chile", "No, soy de otro país"):
        static.locator(".amparo-static__state:visible").get_by_role("link", name=label, exact=True).click()
    fragment = urlsplit(page.url).fragment
    assert re.fullmatch(r"s\d+", fragment), page.url
    open_language_menu_and_choose(page, "en")
    expect(page).to_have_url(re.compile(f"/en/cuestionario/sencillo/#{fragment}$"))
    expect(page.locator(f"#{fragment}")).to_be_visible()
    expect(page.locator(f"#{fragment} h2")).not_to_have_text(re.compile("¿"))
    assert not guard.foreign and not guard.csp
