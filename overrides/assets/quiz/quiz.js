// The live quiz. Answers live only in this page's memory: never in the URL, a cookie or any
// storage. The engine runs in a worker on this device (see worker.mjs).
(function () {
  "use strict";
  const root = document.getElementById("amparo-quiz");
  if (!root) return;

  const words = JSON.parse(document.getElementById("amparo-quiz-words").textContent);
  const firstForm = root.querySelector("form[data-question]");
  const status = root.querySelector(".amparo-quiz__status");
  const progress = status.querySelector("progress");
  const statusText = status.querySelector(".amparo-quiz__status-text");
  const stage = root.querySelector(".amparo-quiz__stage");
  const fallback = root.querySelector(".amparo-quiz__fallback");

  let answers = {};
  let visited = []; // question ids in the order the reader answered them, for "back"
  let worker = null;
  let ready = false;
  let pending = null;
  let requestId = 0;
  let lastResult = null;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  function showFallback(reason) {
    if (worker) worker.terminate();
    worker = null;
    status.hidden = true;
    fallback.hidden = false;
    if (reason) fallback.dataset.reason = reason;
  }

  function today() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function ask() {
    if (!ready) {
      pending = true;
      status.hidden = false;
      return;
    }
    requestId += 1;
    worker.postMessage({ type: "evaluate", id: requestId, answers, today: today() });
  }

  // --- rendering ---------------------------------------------------------------------------

  function focusHeading(container) {
    const heading = container.querySelector("h2, legend");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  function questionForm(question) {
    const fields = [];
    const current = answers[question.id];
    if (question.type === "date") {
      const id = `q-${question.id}-date`;
      fields.push(el("div", { class: "amparo-quiz__date" }, [
        el("label", { for: id, text: words.date_label }),
        el("input", { type: "date", id, name: "date", value: current && current !== "no-se" ? current : null }),
      ]));
    }
    for (const option of question.options || []) {
      const id = `q-${question.id}-${option.value}`;
      fields.push(el("div", { class: "amparo-quiz__option" }, [
        el("input", { type: "radio", name: "answer", id, value: option.value, checked: current === option.value }),
        el("label", { for: id, text: option.label }),
      ]));
    }
    const legend = el("legend", {}, [el("h2", { text: question.text })]);
    const fieldset = el("fieldset", {}, [legend, question.help ? el("p", { class: "amparo-quiz__help", text: question.help }) : null, ...fields]);
    const error = el("p", { class: "amparo-quiz__error", role: "alert", hidden: true, text: words.choose_one });
    const buttons = el("div", { class: "amparo-quiz__buttons" }, [
      el("button", { type: "submit", class: "md-button md-button--primary", text: words.continue }),
      visited.length ? el("button", { type: "button", class: "md-button", "data-action": "back", text: words.back }) : null,
    ]);
    const form = el("form", { "data-question": question.id, "data-type": question.type, novalidate: true }, [fieldset, error, buttons]);
    return form;
  }

  function readAnswer(form) {
    const choice = form.querySelector("input[name=answer]:checked");
    const date = form.querySelector("input[name=date]");
    if (date && date.value) return date.value;
    return choice ? choice.value : null;
  }

  function list(items, className) {
    return el("ul", { class: className }, items.map((item) => el("li", { text: item })));
  }

  function outcomeCard(outcome) {
    const card = el("section", { class: `amparo-outcome amparo-outcome--${outcome.status}`, "aria-labelledby": `outcome-${outcome.procedure}` });
    card.append(el("h3", { id: `outcome-${outcome.procedure}` }, [
      el("span", { class: "amparo-outcome__status", text: words["status_" + outcome.status] + ": " }),
      document.createTextNode(outcome.title),
    ]));
    if (outcome.summary_text) card.append(el("p", { text: outcome.summary_text }));
    if (outcome.conditions && outcome.conditions.length) {
      card.append(el("h4", { text: words.conditions }), list(outcome.conditions));
    }
    if (outcome.reasons && outcome.reasons.length) {
      const reasons = el("ul", { class: "amparo-outcome__reasons" });
      for (const reason of outcome.reasons) {
        const mark = reason.met === true ? words.met : reason.met === false ? words.unmet : words.unknown;
        reasons.append(el("li", {}, [
          el("strong", { text: mark + ": " }), document.createTextNode(reason.text),
          reason.legal_reference ? el("span", { class: "amparo-outcome__law", text: ` (${reason.legal_reference})` }) : null,
        ]));
      }
      card.append(el("h4", { text: words.reasons }), reasons);
    }
    if (outcome.status !== "not_applicable") {
      if (outcome.who_files) card.append(el("h4", { text: words.who_files }), el("p", { text: outcome.who_files }));
      if (outcome.deadlines && outcome.deadlines.length) {
        const deadlines = el("ul", { class: "amparo-outcome__deadlines" });
        for (const deadline of outcome.deadlines) {
          deadlines.append(el("li", {}, [
            el("strong", { text: deadline.label + (deadline.date ? ": " + deadline.date : "") }),
            el("br"), document.createTextNode(deadline.rule),
            deadline.counting ? el("span", { class: "amparo-outcome__counting", text: " " + deadline.counting }) : null,
          ]));
        }
        card.append(el("h4", { text: words.deadlines }), deadlines);
      }
      if (outcome.next_steps && outcome.next_steps.length) {
        const steps = el("ol", {}, outcome.next_steps.map((step) => el("li", { text: step })));
        card.append(el("h4", { text: words.next_steps }), steps);
      }
      if (outcome.documents && outcome.documents.length) card.append(el("h4", { text: words.documents }), list(outcome.documents, "amparo-outcome__documents"));
      if (outcome.family && outcome.family.length) card.append(el("h4", { text: words.family }), list(outcome.family));
      if (outcome.assisted_return) card.append(el("h4", { text: words.assisted_return }), el("p", { text: outcome.assisted_return }));
    }
    if (outcome.page) card.append(el("p", {}, [el("a", { href: root.dataset.siteRoot + outcome.page, text: words.read_guide })]));
    return card;
  }

  function summary(result) {
    if (!result.asked.length) return null;
    const items = result.asked.map((item) => el("li", {}, [
      el("span", { class: "amparo-quiz__asked", text: item.text }), el("br"),
      el("strong", { text: item.answer_label }), document.createTextNode(" "),
      el("button", { type: "button", class: "amparo-quiz__change", "data-change": item.id, "aria-label": `${words.change}: ${item.text}`, text: words.change }),
    ]));
    return el("section", { class: "amparo-quiz__summary", "aria-labelledby": "amparo-quiz-summary" }, [
      el("h2", { id: "amparo-quiz-summary", text: words.your_answers }), el("ul", {}, items),
    ]);
  }

  function render(result) {
    lastResult = result;
    stage.replaceChildren();
    if (result.next) {
      stage.append(questionForm(result.next));
    } else {
      const outcomes = result.outcomes.filter((o) => o.status !== "not_applicable");
      const others = result.outcomes.filter((o) => o.status === "not_applicable");
      const printChoice = el("div", { class: "amparo-quiz__print-choice" }, [
        el("input", { type: "checkbox", id: "amparo-print-answers" }),
        el("label", { for: "amparo-print-answers", text: words.print_answers }),
      ]);
      stage.append(
        el("h2", { class: "amparo-quiz__result-title", text: words.result_title }),
        el("p", { text: outcomes.length ? words.result_intro : words.result_none }),
        ...outcomes.map(outcomeCard),
        others.length ? el("details", { class: "amparo-quiz__others" }, [el("summary", { text: words.others }), ...others.map(outcomeCard)]) : null,
        el("p", { class: "amparo-quiz__disclaimer", text: words.disclaimer }),
        el("div", { class: "amparo-quiz__buttons amparo-quiz__no-print" }, [
          printChoice,
          el("button", { type: "button", class: "md-button md-button--primary", "data-action": "print", text: words.print }),
          el("button", { type: "button", class: "md-button", "data-action": "back", text: words.back }),
          el("button", { type: "button", class: "md-button", "data-action": "restart", text: words.restart }),
        ].filter(Boolean)),
      );
    }
    const answered = summary(result);
    if (answered) stage.append(answered);
    focusHeading(stage);
  }

  // --- events --------------------------------------------------------------------------------

  root.addEventListener("submit", (event) => {
    event.preventDefault(); // never submit: that would put the answer in a URL
    const form = event.target;
    const value = readAnswer(form);
    const error = form.querySelector(".amparo-quiz__error");
    if (!value) {
      error.hidden = false;
      return;
    }
    error.hidden = true;
    answers[form.dataset.question] = value;
    if (visited[visited.length - 1] !== form.dataset.question) visited.push(form.dataset.question);
    if (form === firstForm) firstForm.hidden = true;
    ask();
  });

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.change) {
      const target = button.dataset.change;
      const index = visited.indexOf(target);
      visited = index >= 0 ? visited.slice(0, index) : visited;
      const question = (lastResult.asked.find((item) => item.id === target) || {}).question;
      if (question) {
        stage.replaceChildren(questionForm(question));
        focusHeading(stage);
      }
    } else if (button.dataset.action === "back") {
      const previous = visited.pop();
      if (previous === undefined) return;
      const question = (lastResult.asked.find((item) => item.id === previous) || {}).question;
      if (question) {
        stage.replaceChildren(questionForm(question));
        focusHeading(stage);
      } else if (visited.length === 0) {
        restart();
      }
    } else if (button.dataset.action === "restart") {
      restart();
    } else if (button.dataset.action === "print") {
      const include = document.getElementById("amparo-print-answers");
      root.classList.toggle("amparo-quiz--print-answers", Boolean(include && include.checked));
      window.print();
    }
  });

  function restart() {
    answers = {};
    visited = [];
    lastResult = null;
    stage.replaceChildren();
    firstForm.reset();
    firstForm.hidden = false;
    focusHeading(firstForm);
  }

  // Quick exit (quick-exit.js) announces itself first: forget everything, stop the engine.
  document.addEventListener("amparo:exit", () => {
    answers = {};
    visited = [];
    lastResult = null;
    if (worker) worker.terminate();
    worker = null;
    root.replaceChildren();
  });

  // --- start the engine at once, in the background ------------------------------------------

  firstForm.hidden = false;
  if (typeof Worker === "undefined" || typeof WebAssembly === "undefined") {
    showFallback("no-webassembly");
    return;
  }
  try {
    worker = new Worker(root.dataset.worker, { type: "module" });
  } catch (error) {
    showFallback("no-worker");
    return;
  }
  worker.onerror = () => showFallback("worker-error");
  worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === "progress") {
      const fraction = message.expected ? Math.min(message.received / message.expected, 1) : 0;
      const percent = Math.round((message.stage === "engine" ? 0.95 : 0.9 * fraction) * 100);
      progress.value = percent;
      statusText.textContent = `${words.loading} ${percent} %`;
    } else if (message.type === "ready") {
      ready = true;
      progress.value = 100;
      status.hidden = true;
      root.dataset.engine = "ready";
      if (pending) {
        pending = null;
        ask();
      }
    } else if (message.type === "result" && message.id === requestId) {
      root.dataset.lastEvaluateMs = message.ms.toFixed(2);
      render(message.result);
    } else if (message.type === "failed") {
      showFallback("failed");
    }
  };
  worker.postMessage({
    type: "start",
    base: new URL(root.dataset.runtime, document.baseURI).href,
    flow: root.dataset.flow,
    bytes: Number(root.dataset.bytes),
  });
})();
