"""The quiz in Chromium: answered privately on the device, from the first question to a printable
result, with nothing sent anywhere and nothing stored; every screen at once from the build's table, the
engine only for dates; and a static version without JavaScript."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, Guard
from test_accessibility import AXE, TAGS

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


def open_quiz(open_context, path: str = QUIZ):
    """A fresh browser context on the quiz, its engine ready."""
    context, guard = open_context()
    page = context.new_page()
    page.goto(path)
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


def answer_the_date(page, date: str = "2025-06-02") -> None:
    page.get_by_label("Fecha (día, mes y año)").fill(date)
    page.get_by_role("button", name="Continuar").click()


def fee_deadline(page):
    """The fee's deadline in the likely permit's result (the one the date starts)."""
    return page.locator(".amparo-outcome--likely .amparo-outcome__deadlines li").filter(has_text="pagar la tasa")


def test_with_the_runtime_blocked_a_date_result_says_calmly_that_dates_cannot_be_computed(open_context):
    context, guard = open_context()
    page = context.new_page()
    page.route(RUNTIME, lambda route: route.abort())
    page.goto(QUIZ)
    for label in SPAIN_TRAFFICKING:
        answer(page, label)
    answer_the_date(page)
    expect(result_heading(page)).to_be_focused()
    note = page.locator(".amparo-quiz__dates")
    expect(note).to_have_text(re.compile("^Este dispositivo no puede calcular las fechas"))
    expect(note).to_have_attribute("role", "status")
    deadlines = fee_deadline(page)
    expect(deadlines).to_contain_text("Cómo se cuenta")
    expect(deadlines.locator(".amparo-outcome__date")).to_be_hidden()
    assert not guard.foreign and not guard.csp


def test_a_date_result_reached_before_the_engine_is_ready_shows_the_date_when_it_is(open_context):
    context, guard = open_context()
    page = context.new_page()
    held = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(QUIZ)
    for label in SPAIN_TRAFFICKING:
        answer(page, label)
    answer_the_date(page)
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
    # Ten business days from Monday 2 June 2025, filled in where the reader is: no focus jump.
    expect(fee.locator(".amparo-outcome__date")).to_have_text("16/06/2025", timeout=60_000)
    expect(note).to_be_hidden()
    expect(result_heading(page)).to_be_focused()
    assert not guard.foreign and not guard.csp


SAVE_DATA = "Object.defineProperty(Navigator.prototype, 'connection', { get: () => ({ saveData: true }) });"


def test_saving_data_downloads_nothing_of_the_runtime_before_a_date(open_context):
    context, guard = open_context()
    context.add_init_script(SAVE_DATA)
    page = context.new_page()
    runtime: list[str] = []
    page.on("request", lambda request: runtime.append(request.url) if "/assets/quiz/runtime/" in request.url else None)
    page.goto(QUIZ, wait_until="load")
    choice = page.get_by_label(re.compile(r"^Ahorrar datos: descargar la calculadora de fechas \(\d+,\d\u00a0MB\)"))
    expect(choice).to_be_checked()
    for label in SPAIN_TRAFFICKING:
        answer(page, label)
    # Said first, in MB, before anything is downloaded.
    expect(page.locator("[data-save-data-note]")).to_have_text(re.compile(r"descargará \d+,\d\u00a0MB al continuar con una fecha"))
    page.wait_for_timeout(1000)  # time the runtime would have had to start downloading
    assert runtime == [], runtime
    expect(page.locator("#amparo-quiz")).to_have_attribute("data-engine", "off")
    answer_the_date(page)
    fee = fee_deadline(page)
    expect(fee.locator(".amparo-outcome__date")).to_have_text("16/06/2025", timeout=60_000)
    assert runtime, "the runtime was not downloaded for the date"
    assert not guard.foreign and not guard.csp


def test_complete_change_print_and_leave_without_a_trace(open_context, server):
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
    date = page.get_by_label("Fecha (día, mes y año)")
    date.fill("2099-01-01")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("alert")).to_have_text("Elige una respuesta para seguir.")
    date.fill("2025-06-02")
    page.get_by_role("button", name="Continuar").click()

    expect(result_heading(page)).to_be_focused()
    e38 = page.locator(".amparo-outcome").filter(has_text="España: permiso para víctimas de trata")
    expect(e38.locator(".amparo-outcome__status")).to_have_text("Probable:")
    # Ten business days from Monday 2 June 2025.
    expect(e38.locator(".amparo-outcome__deadlines li").filter(has_text="pagar la tasa")).to_contain_text("16/06/2025")
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
    expect(e38.locator(".amparo-outcome__deadlines")).to_contain_text("16/06/2025")

    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()

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

    # Quick exit: the answers go with the page, and Back does not bring them back.
    neutral = page.locator("[data-amparo-exit-url]").get_attribute("data-amparo-exit-url")
    with page.expect_request(neutral):
        for _ in range(3):
            page.keyboard.press("Shift")
    for _ in range(50):
        if not page.url.startswith(server):
            break
        page.wait_for_timeout(100)
    page.go_back()
    assert urlsplit(page.url).path == "/"
    expect(page.locator(".amparo-outcome")).to_have_count(0)


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
    page, guard = open_quiz(open_context)
    answer(page, "En Chile")
    answer(page, "No, soy de otro país")
    expect(page.get_by_role("heading", name=re.compile("obligado, engañado o amenazado"))).to_be_focused()
    page.get_by_role("button", name="Atrás").click()
    expect(page.get_by_label("No, soy de otro país")).to_be_checked()
    page.get_by_role("button", name="Atrás").click()
    expect(page.get_by_label("En Chile")).to_be_checked()


def test_english_quiz_is_in_english(open_context):
    page, guard = open_quiz(open_context, "/en" + QUIZ)
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


def test_the_reader_can_choose_to_save_data_and_the_download_stops(open_context):
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
    expect(page.locator("[data-save-data-note]")).to_be_visible()
    assert runtime == [], runtime
    answer_the_date(page)
    fee = fee_deadline(page)
    expect(fee.locator(".amparo-outcome__date")).to_have_text("16/06/2025", timeout=60_000)
    assert runtime
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
