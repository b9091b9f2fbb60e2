// The live quiz. Answers live only in this page's memory: never in the URL, a cookie, any storage
// or a history entry's state. Every screen was rendered when the site was built
// (amparo/render/quiz_pages.py): the first question is in the page, the others in a state table that
// loads behind it, so each answer is shown at once. The same table holds the reader's dates for
// every start date in a window around the build's day, computed by the engine at build time.
// This file shows those screens and those dates; only a date outside the window needs the
// engine here, in a worker (worker.mjs), which also checks every screen and date it shows.
// It builds no markup and does no date arithmetic of its own.
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
  let leaveDialog = null; // comes with the table: before it, she has at most one answer to lose

  let answers = {};
  // The state table: {states: [[screen, {answer: state}]], keys, screens, pieces, dates, answers,
  // leave, words, window: {months, text, deadlines}} (QuizRenderer.table).
  let table = null;
  let waiting = null; // the view to show once the table has arrived
  let current = null; // what is on screen: {state, screen, question (null on a result), path, view}
  let submitted = null; // the question just answered: shown again only if its answer was refused
  let worker = null;
  let engine = "off"; // off | loading | ready | failed | exited
  let requestId = 0;

  // Back and Forward: each new screen is a history entry with this page's address and no state
  // (history.pushState(null, "")); what each entry shows is kept here, in memory, and goes with
  // the answers. views[0] is the page as it opened.
  let views = [{}];
  let position = 0;
  let unrecorded = 0; // new screens whose history entry is not added yet (see go)
  const firstEntry = entryIndex();
  if ("scrollRestoration" in history) history.scrollRestoration = "manual"; // each screen scrolls to its heading

  // Screens the next answer can lead to, parsed while the reader reads (screen number → fragment).
  const prepared = new Map();
  let preparedAnswers = null;

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

  function hasAnswers() {
    return Object.keys(answers).length > 0;
  }

  function attribute(name, value) {
    return `[${name}="${CSS.escape(value)}"]`;
  }

  // --- the reader's dates: the table's window -------------------------------------------------

  // A date answer: a day she gave (YYYY-MM-DD, checked when she gave it), not "no-se". Before the
  // table has come (only the first question is on screen then), the question's form says whether
  // it asks a day.
  function isDate(question, value) {
    if (typeof value !== "string" || value === "no-se") return false;
    if (table) return table.dates.includes(question);
    const form = root.querySelector(`form[data-question="${CSS.escape(question)}"]`);
    return Boolean(form && dateFields(form).length);
  }

  // The day's place in the table's days, or -1 outside the window.
  function dayIndex(value) {
    const month = table.window.months[value.slice(0, 7)];
    const day = Number(value.slice(8, 10));
    return month && day >= 1 && day <= month[1] ? month[0] + day - 1 : -1;
  }

  // The day as the engine writes it, from the table (or as she gave it, outside the window,
  // until the engine has written it).
  function dayText(value) {
    const index = dayIndex(value);
    return index < 0 ? value : table.window.text[index];
  }

  // The table's text for one deadline's date, or null (outside the window, or not in the table).
  function deadlineText(question, procedure, deadline, value) {
    const index = dayIndex(value);
    const limits = (table.window.deadlines[question] || {})[procedure] || {};
    const offsets = limits[deadline];
    if (index < 0 || !offsets || offsets[index] === null || offsets[index] === undefined) return null;
    return table.window.text[index + offsets[index]];
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
      if (key.startsWith("r:")) return { state, screen, question: null, path };
      const question = key.split(":")[1];
      const value = view[question];
      let to = typeof value === "string" && Object.prototype.hasOwnProperty.call(next, value) ? next[value] : undefined;
      if (to === undefined && isDate(question, value)) to = next["no-se"];
      if (to === undefined) return { state, screen, question, path };
      path.push(question);
      state = to;
    }
  }

  // --- showing a screen -------------------------------------------------------------------------

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html; // the build's own markup, from this site
    return template.content;
  }

  function screenHtml(screen) {
    // Its lines, each kept once in the table (QuizRenderer.screen_html does the same).
    return table.screens[screen].map((piece) => table.pieces[piece]).join("\n");
  }

  function takeScreen(screen) {
    const ready = prepared.get(screen);
    prepared.delete(screen);
    return ready || fragment(screenHtml(screen));
  }

  function takeAnswers() {
    const ready = preparedAnswers;
    preparedAnswers = null;
    return ready || fragment(table.answers);
  }

  // Parsing a screen is most of the work of showing it: the screens the next answer can lead to
  // are parsed now, one at a time when the page is idle, so that the answer only puts one in place.
  function prepareNext() {
    if (!current || current.question === null || current.state === null) return;
    const later = [...new Set(Object.values(table.states[current.state][1]).map((state) => table.states[state][0]))];
    for (const screen of prepared.keys()) if (!later.includes(screen)) prepared.delete(screen);
    const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 50));
    const drawn = current;
    const next = () => {
      if (current !== drawn || !table) return;
      const screen = later.find((candidate) => !prepared.has(candidate));
      if (screen !== undefined) {
        prepared.set(screen, fragment(screenHtml(screen)));
        idle(next);
      } else if (!preparedAnswers && later.some((candidate) => table.keys[candidate].startsWith("r:"))) {
        preparedAnswers = fragment(table.answers);
      }
    };
    idle(next);
  }

  function show(view) {
    if (!table) {
      waiting = view; // the table is on its way: it is small and started loading with the page
      return;
    }
    draw(Object.assign(locate(view), { view }));
  }

  // What the frame that answers her tap does not need waits until that frame is painted.
  function afterPaint(callback) {
    requestAnimationFrame(() => setTimeout(callback, 0));
  }

  // A new screen by the reader's doing: a history entry of its own, so that Back returns here.
  // (Adding it makes the browser record the page's state, tens of milliseconds on a slow phone:
  // done once the new screen is painted.)
  function go(view) {
    view = Object.assign({}, view);
    views.length = position + 1;
    views.push(view);
    position += 1;
    show(view);
    unrecorded += 1;
    afterPaint(() => {
      if (unrecorded === 0) return; // a Back came first: that screen has no entry (see popstate)
      unrecorded -= 1;
      history.pushState(null, "");
    });
  }

  function draw(where) {
    current = where;
    requestId += 1; // the engine's check of the screen before is no longer wanted
    const refused = where.question !== null && where.question === submitted;
    submitted = null;
    if (firstForm) {
      firstForm.remove(); // the table has the same screen; two would repeat its ids
      firstForm = null;
    }
    root.classList.remove("amparo-quiz--print-answers");
    stage.replaceChildren(takeScreen(where.screen));
    root.dataset.done = String(where.question === null);
    if (where.question !== null) fillQuestion(refused);
    else showDates(null);
    const heading = stage.querySelector("h2");
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    // On a phone the new screen starts at its heading, under the header: a result's first permit
    // is then on the first screen, not below the quiz's introduction.
    heading.scrollIntoView({ block: "start" });
    // Below the result, her answers and its buttons; then the engine's check: after the paint.
    afterPaint(() => {
      if (current !== where) return;
      if (where.question === null) stage.append(answersPart(where.path, where.view));
      confirm();
      prepareNext();
    });
  }

  function fillQuestion(refused) {
    const form = stage.querySelector("form");
    const value = answers[current.question];
    for (const input of form.querySelectorAll("input[name=answer]")) input.checked = input.value === value;
    if (isDate(current.question, value)) {
      const parts = { year: value.slice(0, 4), month: String(Number(value.slice(5, 7))), day: String(Number(value.slice(8, 10))) };
      for (const field of dateFields(form)) field.value = parts[field.name];
    }
    form.querySelector(".amparo-quiz__error").hidden = !refused;
  }

  // The reader's answers after a result: the rows of the questions that count, with their answers.
  function answersPart(path, view) {
    const part = takeAnswers();
    for (const question of path) {
      const row = part.querySelector(attribute("data-summary", question));
      row.hidden = false;
      const value = view[question];
      const label = row.querySelector(attribute("data-value", value)) || row.querySelector('[data-value=""]');
      if (label.dataset.value === "") label.textContent = dayText(value);
      label.hidden = false;
    }
    part.querySelector("[data-back]").dataset.back = path[path.length - 1];
    return part;
  }

  // The deadlines of dates the reader gave: from the table, at once, for a day in its window;
  // the engine's (`result`) when it has them. Otherwise each deadline's rule and "calculating
  // your dates on this device" where its date will be. The list is a polite live region: dates
  // that arrive later are announced, and the focus stays.
  function showDates(result) {
    const note = stage.querySelector(".amparo-quiz__dates");
    if (!note) return;
    const view = current.view;
    const spans = [...stage.querySelectorAll(".amparo-outcome__date")]
      .filter((span) => isDate(span.dataset.dateQuestion, view[span.dataset.dateQuestion]));
    if (!spans.length) return;
    // The reader gave a date: the deadlines it sets are what she came for, so they are open.
    for (const span of spans) span.closest("details").open = true;
    const where = (span) => [span.dataset.dateQuestion, span.closest("[data-procedure]").dataset.procedure, span.dataset.deadline];
    if (result) {
      for (const span of spans) {
        const [question, procedure, deadline] = where(span);
        const outcome = result.outcomes.find((item) => item.procedure === procedure);
        const found = outcome && outcome.deadlines.find((item) => item.id === deadline);
        if (!found || !found.date_text) continue;
        // Should the engine ever read a date otherwise than the table, the engine's is shown.
        if (span.dataset.from === "table" && span.textContent !== found.date_text) root.dataset.engineDiffered = "true";
        span.textContent = found.date_text;
        span.dataset.from = "engine";
        span.hidden = false;
      }
      for (const asked of result.asked) {
        const label = stage.querySelector(`${attribute("data-summary", asked.id)} [data-value=""]`);
        if (label && isDate(asked.id, asked.answer)) label.textContent = asked.answer_label;
      }
      note.hidden = true;
      root.dataset.dates = "shown";
      return;
    }
    const missing = [];
    for (const span of spans) {
      const [question, procedure, deadline] = where(span);
      const text = deadlineText(question, procedure, deadline, view[question]);
      if (text === null) {
        missing.push(span);
        continue;
      }
      span.textContent = text;
      span.dataset.from = "table";
      span.hidden = false;
    }
    if (!missing.length) {
      note.hidden = true;
      root.dataset.dates = "shown";
      return;
    }
    if (engine === "failed") {
      // One calm sentence for the whole result; each deadline still says how it is counted.
      for (const span of missing) span.hidden = true;
      note.textContent = words["dates-unavailable"];
      note.hidden = false;
      root.dataset.dates = "unavailable";
      return;
    }
    // Where each date will be, said there, so the reader knows it is coming.
    for (const span of missing) span.textContent = words["dates-calculating"];
    root.dataset.dates = "calculating";
    startEngine(); // saving data: she was told the size, and continued
  }

  // The engine confirms each screen; should it ever read the answers otherwise than the table
  // (a test makes sure it does not with our content), the engine's reading is shown.
  function confirm() {
    if (engine !== "ready" || !current) return;
    requestId += 1;
    worker.postMessage({ type: "evaluate", id: requestId, answers: current.view, today: today() });
  }

  function engineResult(result) {
    // The engine names its screen (quiz.engine.screen_key), as the table's keys do: written once, in Python.
    const key = result.key;
    if (key !== table.keys[current.screen]) {
      const screen = table.keys.indexOf(key);
      root.dataset.engineDiffered = "true";
      if (screen < 0) {
        showFallback();
        return;
      }
      draw({ state: null, screen, question: result.next ? result.next.id : null,
             path: result.asked.map((item) => item.id), view: current.view });
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

  // --- the engine: for dates outside the window, and to check --------------------------------

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

  // --- what the reader gives: a choice, or a date in three fields -----------------------------

  function dateFields(form) {
    return [...form.querySelectorAll(".amparo-quiz__date input")];
  }

  // Digits as her keyboard may type them (Arabic-Indic, Persian, full-width), as 0-9.
  function digits(text) {
    return text.trim().replace(/[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/g, (digit) => {
      const code = digit.charCodeAt(0);
      return String(code - (code >= 0xff10 ? 0xff10 : code >= 0x06f0 ? 0x06f0 : 0x0660));
    });
  }

  // A real day of the calendar (months and days that do not exist roll over in a Date).
  function realDay(year, month, day) {
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }

  // {value} or {error: the sentence to show, fields: the fields to fix}. "No lo sé" checked wins:
  // typing a date unchecks it.
  function readAnswer(form) {
    const choice = form.querySelector("input[name=answer]:checked");
    const fields = dateFields(form);
    const typed = Object.fromEntries(fields.map((field) => [field.name, digits(field.value)]));
    if (!choice && fields.length && Object.values(typed).some(Boolean)) {
      const wrong = fields.filter((field) => !/^\d+$/.test(typed[field.name]) || (field.name === "year" && typed.year.length !== 4));
      if (wrong.length) return { error: words["date-incomplete"], fields: wrong };
      const [year, month, day] = [typed.year, typed.month, typed.day].map(Number);
      if (typed.day.length > 2 || typed.month.length > 2 || !realDay(year, month, day)) return { error: words["date-impossible"], fields };
      const value = `${typed.year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
      if (value > today()) return { error: words["date-future"], fields };
      return { value };
    }
    return choice ? { value: choice.value } : { error: words["choose-one"], fields: [] };
  }

  function showError(form, read) {
    const error = form.querySelector(".amparo-quiz__error");
    error.hidden = !read.error;
    for (const field of dateFields(form)) field.toggleAttribute("aria-invalid", Boolean(read.error) && read.fields.includes(field));
    if (!read.error) return;
    error.textContent = read.error;
    if (read.fields.length) read.fields[0].focus();
  }

  // Saving data, a date outside the window and no engine yet: she is told the size first, and
  // the engine is downloaded only if she continues with that date. Before the table has come,
  // only the first question can be answered, and nothing is known of its dates: a date is asked
  // about first, as one outside the window.
  function mustAskFirst(form, value) {
    if (!isDate(form.dataset.question, value) || !savingData() || engine !== "off" || (table && dayIndex(value) >= 0)) return false;
    if (form.dataset.asked === value) return false;
    form.dataset.asked = value;
    form.querySelector("[data-save-data-note]").hidden = false;
    return true;
  }

  root.addEventListener("submit", (event) => {
    event.preventDefault(); // a submitted form would put the answer in the address
    const form = event.target;
    const read = readAnswer(form);
    showError(form, read);
    if (read.error || mustAskFirst(form, read.value)) return;
    answers[form.dataset.question] = read.value;
    submitted = form.dataset.question;
    go(answers);
  });

  // Both views show the same question, after the same answers.
  function sameQuestion(one, other) {
    const [a, b] = [locate(one), locate(other)];
    return a.question !== null && a.question === b.question && a.path.every((question) => one[question] === other[question]);
  }

  // «Atrás» to the screen just before: the browser's Back, or, while the screen on show has no
  // entry yet (see go), a step back without one.
  function stepBack() {
    if (unrecorded === 0) return history.back();
    unrecorded -= 1;
    position -= 1;
    submitted = null;
    show(views[position]);
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    // Back and change both ask that question again; every other answer is kept.
    const again = button.dataset.back || button.dataset.change;
    if (again) {
      const view = without(again);
      // «Atrás» to the screen just before is the browser's Back: the two stay one history.
      if (button.dataset.back && table && position > 0 && sameQuestion(views[position - 1], view)) stepBack();
      else go(view);
    } else if (button.dataset.action === "restart") {
      answers = {};
      go(answers);
    } else if (button.dataset.action === "print") {
      window.print();
    } else if (button.hasAttribute("data-stay")) {
      leaveDialog.close();
    }
  });

  // The browser's Back and Forward: the entry's screen, with its answer selected.
  window.addEventListener("popstate", () => {
    // A Back taken before the newest screens' entries were added left the last entry there was:
    // those screens get no entry, so what is shown and the history keep agreeing afterwards.
    const skipped = unrecorded;
    unrecorded = 0;
    const index = entryIndex();
    // Where the Navigation API is missing (few browsers now), a step is taken to be a step back.
    const target = index === null ? position - skipped - 1 : index - firstEntry;
    position = Math.max(0, Math.min(target, views.length - 1));
    submitted = null;
    if (leaveDialog && leaveDialog.open) leaveDialog.close();
    show(views[position] || {});
  });

  function entryIndex() {
    const navigation = window.navigation;
    return navigation && navigation.currentEntry ? navigation.currentEntry.index : null;
  }

  root.addEventListener("input", (event) => {
    if (!event.target.closest(".amparo-quiz__date")) return;
    for (const choice of event.target.form.querySelectorAll("input[name=answer]")) choice.checked = false;
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

  // --- leaving: nothing lost by surprise ----------------------------------------------------------

  // A link that leaves this page (the guides, the header, the language menu, search results)
  // would lose her answers: she is told first, in one sentence, and chooses. In-page links,
  // new tabs and the quick exit go as they are.
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest && event.target.closest("a[href]");
    if (!leaveDialog || !link || !hasAnswers() || leaveDialog.contains(link) || link.hasAttribute("data-amparo-exit")) return;
    if (link.target && link.target !== "_self") return;
    const url = new URL(link.href, document.baseURI);
    if (url.origin === location.origin && url.pathname === location.pathname && url.search === location.search) return;
    event.preventDefault();
    leaveDialog.querySelector("[data-leave]").href = link.href;
    leaveDialog.show(); // not modal: the quick exit stays within reach
    leaveDialog.querySelector("[data-stay]").focus();
  }, true);

  function setUpLeaving() {
    root.append(fragment(table.leave));
    leaveDialog = root.querySelector(".amparo-quiz__leave");
    leaveDialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape") leaveDialog.close();
    });
    // She chose to leave: her answers go now, before the page does (a page the browser keeps
    // to show again on Back must not bring them back).
    leaveDialog.querySelector("[data-leave]").addEventListener("click", () => {
      forget();
      show({});
    });
  }

  function forget() {
    answers = {};
    views = [{}];
    position = 0;
    waiting = null;
    prepared.clear();
    preparedAnswers = null;
    if (leaveDialog && leaveDialog.open) leaveDialog.close();
  }

  // Quick exit (quick-exit.js) announces itself before leaving: forget everything, stop the engine.
  document.addEventListener("amparo:exit", () => {
    forget();
    table = null;
    leaveDialog = null;
    stopEngine("exited"); // and never started again
    root.replaceChildren();
  });

  // --- start: the first question at once, the table behind it, the engine after the page -------

  // The page's own small script has already shown the first question (render/quiz_pages.py); again
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
      Object.assign(words, table.words);
      // The styles of what comes after the first question (quiz.css): fetched now, so that
      // neither the first question nor any other page waits for them.
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = root.dataset.style;
      document.head.append(style);
      setUpLeaving();
      root.dataset.tableState = "ready";
      if (waiting) {
        const view = waiting;
        waiting = null;
        show(view);
      } else {
        current = Object.assign(locate({}), { view: {} }); // the first question, already on screen
        prepareNext();
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
