// Diagnostic, not a measurement of the site: runs the steps of overrides/assets/quiz/worker.mjs
// (the same files and options, in a module worker) and times each one, to say where the quiz's
// start-up goes. Reads ?flow=flow.es.json. Times are ms since this page's navigation started.
const runtime = new URL("../assets/quiz/runtime/", import.meta.url).href;
const flow = new URLSearchParams(location.search).get("flow") || "flow.es.json";
const created = performance.now();
const worker = new Worker(new URL("phases-worker.mjs", import.meta.url), { type: "module" });
worker.onmessage = (event) => {
  const { marks, error } = event.data;
  const html = document.documentElement;
  if (error) {
    html.dataset.failed = error;
  } else {
    // The worker's clock starts when the worker does; shift it onto the page's clock.
    const offset = marks.origin - performance.timeOrigin;
    const shifted = {};
    for (const [name, value] of Object.entries(marks)) if (name !== "origin") shifted[name] = +(value + offset).toFixed(1);
    shifted.workerCreated = +created.toFixed(1);
    html.dataset.phases = JSON.stringify(shifted);
  }
  document.getElementById("status").textContent = error ? "failed" : "done";
};
worker.postMessage({ runtime, flow });
