// The live quiz. Answers live only in this page's memory: never in the URL, a cookie or any
// storage. Every screen was rendered when the site was built (amparo/quiz_page.py): the first
// question is in the page, the others in a state table that loads behind it, so each answer is
// shown at once. This file shows those screens and fills in what only this device can know: the
// reader's own dates, computed by the engine in a worker (worker.mjs). It builds no markup.
(function () {
  "use strict";
  const root = document.getElementById("amparo-quiz");
  if (!root) return;

  const words = JSON.parse(document.getElementById("amparo-quiz-words").textContent);
  let firstForm = root.querySelector("form[data-question]");
  const stage = root.querySelector(".amparo-quiz__stage");
  const fallback = root.querySelector(".amparo-quiz__fallback");
  const saveDataChoice = root.querySelector(".amparo-quiz__save-data-choice");
  const saveDataBox = saveDataChoice.querySelector("input");

  let answers = {};
  let table = null; // the state table: {states: [[screen, {answer: state}]], keys, screens, pieces, dates, answers}
  let waiting = null; // the answers to show once the table has arrived
  let current = null; // where the answers lead: {screen, question (null on a result), path, view}
  let submitted = null; // the question just answered: shown again only if its answer was refused
  let worker = null;
  let engine = "off"; // off | loading | ready | failed | exited
  let requestId = 0;

  function setEngine(state) {
    engine = state;
    root.dataset.engine = state;
  }

  function today() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function without(id) {
    const copy = Object.assign({}, answers);
    delete copy[id];
    return copy;
  }

  function isDate(question, value) {
    return table.dates.includes(question) && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && value <= today();
  }

  function formatDate(value) {
    return words["date-format"].replace("{day}", value.slice(8, 10)).replace("{month}", value.slice(5, 7)).replace("{year}", value.slice(0, 4));
  }

  function attribute(name, value) {
    return `[${name}="${CSS.escape(value)}"]`;
  }

  // --- where the answers lead: the table, walked as the engine reads the answers ----------------

  // From the first question, follow each answer that counts; the first question without one is
  // the one to ask. A date leads where "no-se" does: dates change deadlines, never the way on.
  function locate(view) {
    let state = 0;
    const path = [];
    for (;;) {
      const [screen, next] = table.states[state];
      const key = table.keys[screen];
      if (key.startsWith("r:")) return { screen, question: null, path };
      const question = key.split(":")[1];
      const value = view[question];
      let to = typeof value === "string" && Object.prototype.hasOwnProperty.call(next, value) ? next[value] : undefined;
      if (to === undefined && isDate(question, value)) to = next["no-se"];
      if (to === undefined) return { screen, question, path };
      path.push(question);
      state = to;
    }
  }

  // The engine names its screen (quiz.engine.screen_key), as the table's keys do: written once, in Python.
  function screenKey(result) {
    return result.key;
  }

  // --- showing a screen -------------------------------------------------------------------------

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html; // the build's own markup, from this site
    return template.content;
  }

  function show(view) {
    if (!table) {
      waiting = view; // the table is on its way: it is small and started loading with the page
      return;
    }
    view = view || answers;
    draw(Object.assign(locate(view), { view }));
  }

  function draw(where) {
    current = where;
    const refused = where.question !== null && where.question === submitted;
    submitted = null;
    if (firstForm) {
      firstForm.remove(); // the table has the same screen; two would repeat its ids
      firstForm = null;
    }
    root.classList.remove("amparo-quiz--print-answers");
    // Its lines, each kept once in the table (QuizRenderer.screen_html does the same).
    const screen = fragment(table.screens[where.screen].map((piece) => table.pieces[piece]).join("\n"));
    if (where.question === null) screen.append(answersPart(where.path));
    stage.replaceChildren(screen);
    root.dataset.done = String(where.question === null);
    if (where.question !== null) fillQuestion(refused);
    else showDates(null);
    const heading = stage.querySelector("h2");
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    // On a phone the new screen starts at its heading, under the header: a result's first permit
    // is then on the first screen, not below the quiz's introduction.
    heading.scrollIntoView({ block: "start" });
    confirm();
  }

  function fillQuestion(refused) {
    const form = stage.querySelector("form");
    const value = answers[current.question];
    for (const input of form.querySelectorAll("input[name=answer]")) input.checked = input.value === value;
    const date = form.querySelector("input[name=date]");
    if (date) {
      date.max = today();
      if (value && value !== "no-se") date.value = value;
      // Saving data: the engine is downloaded only for a date, and the reader is told first.
      form.querySelector("[data-save-data-note]").hidden = !(savingData() && engine === "off");
    }
    form.querySelector(".amparo-quiz__error").hidden = !refused;
  }

  // The reader's answers after a result: the rows of the questions that count, with their answers.
  function answersPart(path) {
    const part = fragment(table.answers);
    for (const question of path) {
      const row = part.querySelector(attribute("data-summary", question));
      row.hidden = false;
      const value = answers[question];
      const label = row.querySelector(attribute("data-value", value)) || row.querySelector('[data-value=""]');
      if (label.dataset.value === "") label.textContent = formatDate(value);
      label.hidden = false;
    }
    part.querySelector("[data-back]").dataset.back = path[path.length - 1];
    return part;
  }

  // The deadlines of dates the reader gave: the engine's dates when it has them; until then, each
  // deadline's rule and "calculating your dates on this device" where its date will be. The list
  // is a polite live region: the dates are announced when they appear, and the focus stays.
  function showDates(result) {
    const note = stage.querySelector(".amparo-quiz__dates");
    if (!note) return;
    const spans = [...stage.querySelectorAll(".amparo-outcome__date")]
      .filter((span) => isDate(span.dataset.dateQuestion, answers[span.dataset.dateQuestion]));
    if (!spans.length) return;
    // The reader gave a date: the deadlines it sets are what she came for, so they are open.
    for (const span of spans) span.closest("details").open = true;
    if (result) {
      for (const outcome of result.outcomes) {
        for (const deadline of outcome.deadlines) {
          const span = stage.querySelector(`${attribute("data-procedure", outcome.procedure)} ${attribute("data-deadline", deadline.id)}`);
          if (span && deadline.date_text) {
            span.textContent = deadline.date_text;
            span.hidden = false;
          }
        }
      }
      note.hidden = true;
      root.dataset.dates = "shown";
      return;
    }
    if (engine === "failed") {
      // One calm sentence for the whole result; each deadline still says how it is counted.
      for (const span of spans) span.hidden = true;
      note.textContent = words["dates-unavailable"];
      note.hidden = false;
      root.dataset.dates = "unavailable";
      return;
    }
    // Where each date will be, said there, so the reader knows it is coming.
    for (const span of spans) span.textContent = words["dates-calculating"];
    root.dataset.dates = "calculating";
    startEngine(); // saving data: now, and only now, there is a date to compute
  }

  // The engine confirms each screen; should it ever read the answers otherwise than the table
  // (a test makes sure it does not with our content), the engine's reading is shown.
  function confirm() {
    if (engine !== "ready" || !current) return;
    requestId += 1;
    worker.postMessage({ type: "evaluate", id: requestId, answers: current.view, today: today() });
  }

  function engineResult(result) {
    const key = screenKey(result);
    if (key !== table.keys[current.screen]) {
      const screen = table.keys.indexOf(key);
      root.dataset.engineDiffered = "true";
      if (screen < 0) {
        showFallback();
        return;
      }
      draw({ screen, question: result.next ? result.next.id : null, path: result.asked.map((item) => item.id), view: current.view });
      return;
    }
    if (result.done) showDates(result);
  }

  function showFallback() {
    stopEngine("failed");
    if (firstForm) firstForm.hidden = true;
    stage.replaceChildren();
    fallback.hidden = false;
    root.dataset.tableState = "failed";
  }

  // --- the engine: only for dates ---------------------------------------------------------------

  function savingData() {
    return saveDataBox.checked;
  }

  function stopEngine(state) {
    if (worker) worker.terminate();
    worker = null;
    setEngine(state);
  }

  function engineFailed() {
    stopEngine("failed");
    if (current && current.question === null) showDates(null); // one calm sentence, no dead end
  }

  function startEngine() {
    if (engine !== "off") return;
    if (typeof Worker === "undefined" || typeof WebAssembly === "undefined") {
      engineFailed();
      return;
    }
    try {
      worker = new Worker(root.dataset.worker, { type: "module" });
    } catch (error) {
      engineFailed();
      return;
    }
    setEngine("loading");
    worker.onerror = engineFailed;
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === "ready") {
        setEngine("ready");
        confirm();
      } else if (message.type === "result" && message.id === requestId) {
        root.dataset.lastEvaluateMs = message.ms.toFixed(2);
        engineResult(message.result);
      } else if (message.type === "failed") {
        engineFailed();
      }
    };
    worker.postMessage({ type: "start", base: new URL(root.dataset.runtime, document.baseURI).href, flow: root.dataset.flow });
  }

  // The browser sets up its date field the first time it lays one out: on a slow phone, a wait
  // of tens of milliseconds after the answer before a date question. Done once now, out of
  // sight, while the reader reads the first question.
  function warmDateField() {
    if (!table.dates.length) return;
    const probe = document.createElement("input");
    probe.type = "date";
    probe.className = "amparo-quiz__probe";
    probe.setAttribute("inert", "");
    probe.setAttribute("aria-hidden", "true");
    probe.tabIndex = -1;
    root.append(probe);
    probe.getBoundingClientRect();
    requestAnimationFrame(() => probe.remove());
  }

  // --- what the reader does -------------------------------------------------------------------

  function readAnswer(form) {
    const date = form.querySelector("input[name=date]");
    if (date && date.value) return date.value;
    const choice = form.querySelector("input[name=answer]:checked");
    return choice ? choice.value : null;
  }

  root.addEventListener("submit", (event) => {
    event.preventDefault(); // a submitted form would put the answer in the address
    const form = event.target;
    const value = readAnswer(form);
    const error = form.querySelector(".amparo-quiz__error");
    error.hidden = Boolean(value);
    if (!value) return;
    answers[form.dataset.question] = value;
    submitted = form.dataset.question;
    show(answers);
  });

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    // Back and change both ask that question again; every other answer is kept.
    const again = button.dataset.back || button.dataset.change;
    if (again) {
      show(without(again));
    } else if (button.dataset.action === "restart") {
      answers = {};
      show(answers);
    } else if (button.dataset.action === "print") {
      window.print();
    }
  });

  root.addEventListener("change", (event) => {
    if (event.target.id === "amparo-print-answers") {
      root.classList.toggle("amparo-quiz--print-answers", event.target.checked);
    } else if (event.target === saveDataBox) {
      if (!savingData()) startEngine();
      else if (engine === "loading" && root.dataset.dates !== "calculating") stopEngine("off"); // stop the download
    }
  });

  // Printing shows every part of the result (amparo.css does it too, for browsers that print
  // closed disclosures as closed); afterwards the reader finds them as she left them.
  let openedForPrint = [];
  window.addEventListener("beforeprint", () => {
    openedForPrint = [...stage.querySelectorAll("details:not([open])")];
    for (const details of openedForPrint) details.open = true;
  });
  window.addEventListener("afterprint", () => {
    for (const details of openedForPrint) details.open = false;
    openedForPrint = [];
  });

  // Quick exit (quick-exit.js) announces itself before leaving: forget everything, stop the engine.
  document.addEventListener("amparo:exit", () => {
    answers = {};
    waiting = null;
    table = null;
    stopEngine("exited"); // and never started again
    root.replaceChildren();
  });

  // --- start: the first question at once, the table behind it, the engine after the page -------

  // The page's own small script has already shown the first question (quiz_page.py); again
  // here, in case a cached page is older than this file.
  root.querySelector(".amparo-quiz__no-script").hidden = true;
  firstForm.hidden = false;
  firstForm.querySelector("h2").setAttribute("tabindex", "-1");
  const connection = navigator.connection;
  saveDataBox.checked = Boolean(connection && connection.saveData);
  saveDataChoice.hidden = false;
  setEngine("off");
  fetch(root.dataset.table)
    .then((response) => {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then((loaded) => {
      if (!document.body.contains(root) || !root.firstChild) return; // left by quick exit meanwhile
      table = loaded;
      root.dataset.tableState = "ready";
      warmDateField();
      if (waiting) {
        const view = waiting;
        waiting = null;
        show(view);
      }
    })
    .catch(showFallback);
  // By default the engine downloads after the page, whatever the answers: a download at a date
  // question would tell a network observer that the reader reached one (see the safety page).
  const startUnlessSaving = () => {
    if (!savingData()) startEngine();
  };
  if (document.readyState === "complete") startUnlessSaving();
  else window.addEventListener("load", startUnlessSaving);
})();
