// Added to every page the benchmark opens (Playwright's add_init_script, which the pages' CSP
// does not apply to). It only watches: times are performance.now(), milliseconds since the
// navigation started, written as data-bench-* attributes on <html> for bench/browser.py.
//
// - data-bench-h1: the first frame after the page's <h1> is in the document and visible
//   (requestAnimationFrame runs once render-blocking styles have loaded: the frame it is painted);
// - data-bench-question: the same for the quiz's first question form, visible and enabled;
// - data-bench-engine: when #amparo-quiz gets data-engine="ready";
// - data-bench-renders: how many times the quiz has drawn a new question or result;
// - data-bench-dates: when the reader's computed dates are on screen (#amparo-quiz data-dates="shown").
//
// And, for every interaction (a tap, a key), the browser's own Event Timing entries (type
// "event", with an interactionId): from the input to the next paint, as Interaction to Next Paint
// counts it. Entries under 16 ms are not reported by the browser (its lowest threshold).
(() => {
  "use strict";
  const state = { submits: [], renders: [], csp: [], events: [] };
  Object.defineProperty(window, "__amparoBench", { value: state });
  if (typeof PerformanceObserver !== "undefined" && PerformanceObserver.supportedEntryTypes.includes("event")) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (!entry.interactionId) continue;
        state.events.push({ id: entry.interactionId, name: entry.name, start: entry.startTime, duration: entry.duration,
                            processingStart: entry.processingStart, processingEnd: entry.processingEnd });
      }
    }).observe({ type: "event", buffered: true, durationThreshold: 16 });
  }
  const html = () => document.documentElement;
  const shown = (el) => el && !el.hidden && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  let waitingH1 = false;
  let waitingQuestion = false;
  let stageWatched = null;

  function onFrame(name) {
    requestAnimationFrame(() => { html().dataset[name] = performance.now().toFixed(1); });
  }

  function check() {
    if (!waitingH1) {
      const h1 = document.querySelector("h1");
      if (shown(h1)) { waitingH1 = true; onFrame("benchH1"); }
    }
    const root = document.getElementById("amparo-quiz");
    if (!root) return;
    if (!waitingQuestion) {
      const form = root.querySelector("form[data-question]");
      if (shown(form) && !form.querySelector(":disabled")) { waitingQuestion = true; onFrame("benchQuestion"); }
    }
    if (root.dataset.engine === "ready" && !html().dataset.benchEngine) {
      html().dataset.benchEngine = performance.now().toFixed(1);
    }
    if (root.dataset.dates === "shown" && !html().dataset.benchDates) onFrame("benchDates");
    const stage = root.querySelector(".amparo-quiz__stage");
    if (stage && stage !== stageWatched) {
      stageWatched = stage;
      // A new screen: a question's form or a result's heading added (the reader's answers,
      // appended below a result after its paint, are not a screen of their own).
      const isScreen = (node) => node.nodeType === 1 && node.matches("form, h2");
      new MutationObserver((records) => {
        if (records.some((record) => [...record.addedNodes].some(isScreen))) {
          state.renders.push(performance.now());
          html().dataset.benchRenders = String(state.renders.length);
        }
      }).observe(stage, { childList: true });
    }
  }

  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["hidden", "data-engine", "data-dates", "disabled", "class"],
  });
  document.addEventListener("DOMContentLoaded", check);
  document.addEventListener("submit", () => state.submits.push(performance.now()), true);
  document.addEventListener("securitypolicyviolation", (event) => {
    state.csp.push(`${event.violatedDirective} ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
  }, true);
})();
