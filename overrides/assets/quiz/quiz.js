// The live quiz. Answers live only in this page's memory: never in the URL, a cookie or any
// storage. The engine runs on this device, in a worker (worker.mjs); this file only draws.
(function () {
  "use strict";
  const root = document.getElementById("amparo-quiz");
  if (!root) return;

  const words = JSON.parse(document.getElementById("amparo-quiz-words").textContent);
  const firstForm = root.querySelector("form[data-question]");
  const status = root.querySelector(".amparo-quiz__status");
  const progress = status.querySelector("progress");
  const stage = root.querySelector(".amparo-quiz__stage");
  const fallback = root.querySelector(".amparo-quiz__fallback");

  let answers = {};
  let worker = null;
  let ready = false;
  let waiting = null; // the answers to evaluate once the engine is ready
  let requestId = 0;
  let submitted = null; // the question just answered: shown again only if its answer was refused

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  function without(id) {
    const copy = Object.assign({}, answers);
    delete copy[id];
    return copy;
  }

  function today() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function showFallback() {
    if (worker) worker.terminate();
    worker = null;
    ready = false;
    status.hidden = true;
    firstForm.hidden = true;
    stage.replaceChildren();
    fallback.hidden = false;
    root.dataset.engine = "failed";
  }

  function evaluate(request) {
    if (!worker) return;
    if (!ready) {
      waiting = request; // the progress bar under the question shows how long is left
      return;
    }
    requestId += 1;
    worker.postMessage({ type: "evaluate", id: requestId, answers: request, today: today() });
  }

  // --- drawing ---------------------------------------------------------------------------------

  function focusHeading() {
    const heading = stage.querySelector("h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  function questionForm(question, refused) {
    const current = answers[question.id];
    const fields = [];
    if (question.type === "date") {
      const id = `q-${question.id}-date`;
      fields.push(el("div", { class: "amparo-quiz__date" }, [
        el("label", { for: id, text: words["date-input"] }),
        el("input", { type: "date", id, name: "date", max: question.max,
                      value: current && current !== "no-se" ? current : null }),
      ]));
    }
    for (const option of question.options) {
      const id = `q-${question.id}-${option.value}`;
      fields.push(el("div", { class: "amparo-quiz__option" }, [
        el("input", { type: "radio", name: "answer", id, value: option.value, checked: current === option.value }),
        el("label", { for: id, text: option.label }),
      ]));
    }
    const legend = el("legend", {}, [el("h2", { text: question.text })]);
    const help = question.help ? el("p", { class: "amparo-quiz__help", text: question.help }) : null;
    return el("form", { "data-question": question.id, "data-type": question.type, method: "dialog", novalidate: true }, [
      el("fieldset", {}, [legend, help, ...fields]),
      el("p", { class: "amparo-quiz__error", role: "alert", hidden: !refused, text: words["choose-one"] }),
      el("div", { class: "amparo-quiz__buttons" }, [
        el("button", { type: "submit", class: "md-button md-button--primary", text: words.continue }),
        question.previous ? el("button", { type: "button", class: "md-button", "data-back": question.previous, text: words.back }) : null,
      ]),
    ]);
  }

  function list(items, tag) {
    return el(tag || "ul", {}, items.map((item) => el("li", { text: item })));
  }

  function outcomeCard(outcome) {
    const heading = `amparo-outcome-${outcome.procedure}`;
    const card = el("section", { class: `amparo-outcome amparo-outcome--${outcome.status}`, "aria-labelledby": heading }, [
      el("h3", { id: heading }, [
        el("span", { class: "amparo-outcome__status", text: words["status-" + outcome.status.replace("_", "-")] + ": " }),
        document.createTextNode(outcome.title),
      ]),
    ]);
    if (outcome.summary_text) card.append(el("p", { text: outcome.summary_text }));
    if (outcome.conditions.length) card.append(el("h4", { text: words.conditions }), list(outcome.conditions));
    if (outcome.reasons.length) {
      const marks = { true: words.met, false: words.unmet, null: words.unknown };
      // Usually every reason has the permit's own legal reference: say it once, then.
      const references = [...new Set(outcome.reasons.map((reason) => reason.legal_reference))];
      const shared = references.length === 1 ? references[0] : null;
      card.append(el("h4", { text: words.reasons }), el("ul", {}, outcome.reasons.map((reason) => el("li", {}, [
        el("strong", { text: marks[String(reason.met)] + ": " }), document.createTextNode(reason.text),
        shared ? null : el("span", { class: "amparo-outcome__law", text: ` (${reason.legal_reference})` }),
      ]))));
      if (shared) card.append(el("p", { class: "amparo-outcome__law", text: `${words["legal-reference"]}: ${shared}` }));
    }
    if (outcome.status !== "not_applicable") {
      if (outcome.who_files) card.append(el("h4", { text: words["who-files"] }), el("p", { text: outcome.who_files }));
      if (outcome.deadlines.length) {
        card.append(el("h4", { text: words.deadlines }), el("ul", { class: "amparo-outcome__deadlines" }, outcome.deadlines.map((deadline) => el("li", {}, [
          el("strong", { text: deadline.label + ": " }),
          el("span", { class: "amparo-outcome__date", text: deadline.date_text || words["deadline-no-date"] }),
          el("br"), document.createTextNode(deadline.rule + " "),
          el("span", { class: "amparo-outcome__counting", text: `${words.counting}: ${deadline.counting}` }),
        ]))));
      }
      if (outcome.next_steps.length) card.append(el("h4", { text: words["next-steps"] }), list(outcome.next_steps, "ol"));
      if (outcome.documents.length) card.append(el("h4", { text: words.documents }), list(outcome.documents));
      if (outcome.family.length) card.append(el("h4", { text: words.family }), list(outcome.family));
      if (outcome.assisted_return) card.append(el("h4", { text: words["assisted-return"] }), el("p", { text: outcome.assisted_return }));
    }
    card.append(el("p", {}, [el("a", { href: root.dataset.siteRoot + outcome.page, text: `${words["read-guide"]}: ${outcome.title}` })]));
    return card;
  }

  function answersSummary(asked) {
    return el("section", { class: "amparo-quiz__summary", "aria-labelledby": "amparo-quiz-summary" }, [
      el("h2", { id: "amparo-quiz-summary", text: words["your-answers"] }),
      el("dl", {}, asked.flatMap((item) => [
        el("dt", { text: item.text }),
        el("dd", {}, [
          document.createTextNode(item.answer_label + " "),
          el("button", { type: "button", class: "amparo-quiz__change", "data-change": item.id,
                         "aria-label": `${words.change}: ${item.text}`, text: words.change }),
        ]),
      ])),
    ]);
  }

  function results(result) {
    const applies = result.outcomes.filter((o) => o.status !== "not_applicable");
    const others = result.outcomes.filter((o) => o.status === "not_applicable");
    const includeAnswers = el("input", { type: "checkbox", id: "amparo-print-answers" });
    includeAnswers.addEventListener("change", () => root.classList.toggle("amparo-quiz--print-answers", includeAnswers.checked));
    const last = result.asked.length ? result.asked[result.asked.length - 1].id : null;
    return [
      el("h2", { class: "amparo-quiz__result-title", text: words["result-title"] }),
      el("p", { text: applies.length ? words["result-intro"] : words["none-applies"] }),
      ...applies.map(outcomeCard),
      others.length ? el("details", { class: "amparo-quiz__others" }, [el("summary", { text: words.others }), ...others.map(outcomeCard)]) : null,
      el("p", { class: "amparo-quiz__disclaimer", text: words.disclaimer }),
      answersSummary(result.asked),
      el("div", { class: "amparo-quiz__buttons amparo-quiz__no-print" }, [
        el("div", { class: "amparo-quiz__print-choice" }, [includeAnswers, el("label", { for: "amparo-print-answers", text: words["print-answers"] })]),
        el("button", { type: "button", class: "md-button md-button--primary", "data-action": "print", text: words.print }),
        last ? el("button", { type: "button", class: "md-button", "data-back": last, text: words.back }) : null,
        el("button", { type: "button", class: "md-button", "data-action": "restart", text: words["start-again"] }),
      ]),
    ];
  }

  function render(result) {
    firstForm.hidden = true;
    root.classList.remove("amparo-quiz--print-answers");
    const refused = result.next && result.next.id === submitted;
    submitted = null;
    stage.replaceChildren(...(result.next ? [questionForm(result.next, refused)] : results(result)).filter(Boolean));
    root.dataset.done = String(result.done);
    focusHeading();
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
    evaluate(answers);
  });

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    // Back and change both ask that question again; every other answer is kept.
    const again = button.dataset.back || button.dataset.change;
    if (again) {
      evaluate(without(again));
    } else if (button.dataset.action === "restart") {
      answers = {};
      stage.replaceChildren();
      firstForm.reset();
      firstForm.hidden = false;
      firstForm.querySelector("h2").focus();
    } else if (button.dataset.action === "print") {
      window.print();
    }
  });

  // Quick exit (quick-exit.js) announces itself before leaving: forget everything, stop the engine.
  document.addEventListener("amparo:exit", () => {
    answers = {};
    waiting = null;
    if (worker) worker.terminate();
    worker = null;
    root.replaceChildren();
  });

  // --- the engine starts at once, in the background ------------------------------------------

  root.querySelector(".amparo-quiz__no-script").hidden = true;
  firstForm.hidden = false;
  firstForm.querySelector("h2").setAttribute("tabindex", "-1");
  if (typeof Worker === "undefined" || typeof WebAssembly === "undefined") {
    showFallback();
    return;
  }
  try {
    worker = new Worker(root.dataset.worker, { type: "module" });
  } catch (error) {
    showFallback();
    return;
  }
  root.dataset.engine = "loading";
  status.hidden = false;
  worker.onerror = showFallback;
  worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === "progress") {
      // Downloading is most of the wait; starting Python takes the last few percent.
      const fraction = message.expected ? Math.min(message.received / message.expected, 1) : 0;
      const percent = Math.round((message.stage === "engine" ? 0.97 : 0.95 * fraction) * 100);
      progress.value = percent;
      progress.textContent = `${percent} %`;
    } else if (message.type === "ready") {
      ready = true;
      status.hidden = true;
      root.dataset.engine = "ready";
      if (waiting) {
        const request = waiting;
        waiting = null;
        evaluate(request);
      }
    } else if (message.type === "result" && message.id === requestId) {
      root.dataset.lastEvaluateMs = message.ms.toFixed(2);
      render(message.result);
    } else if (message.type === "failed") {
      showFallback();
    }
  };
  worker.postMessage({
    type: "start",
    base: new URL(root.dataset.runtime, document.baseURI).href,
    flow: root.dataset.flow,
    bytes: Number(root.dataset.bytes),
  });
})();
