// The quiz engine in a module worker: Pyodide runs our Python engine here, on the reader's
// device. Nothing is sent anywhere: answers arrive by postMessage and results go back the same
// way. The page can terminate this worker at any moment (quick exit) and everything is gone.

let runtimeBase = "";
let expectedBytes = 0;
let receivedBytes = 0;
let run = null;

function report(stage, extra = {}) {
  postMessage({ type: "progress", stage, received: receivedBytes, expected: expectedBytes, ...extra });
}

// Count the bytes of the runtime's downloads as they arrive, for an honest progress bar. The
// counting reads a copy: Pyodide gets the browser's own response, which the browser can keep
// compiled in its cache for the next visit.
const plainFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = async (resource, options) => {
  const response = await plainFetch(resource, options);
  // Pyodide passes strings, URL objects or Requests.
  const url = String(resource instanceof Request ? resource.url : resource);
  if (!response.body || !url.startsWith(runtimeBase)) return response;
  count(response.clone().body.getReader());
  return response;
};

async function count(reader) {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    receivedBytes += value.byteLength;
    report("download");
  }
}

async function start({ base, flow, bytes }) {
  runtimeBase = base;
  expectedBytes = bytes;
  report("download");
  const { loadPyodide } = await import(base + "pyodide.mjs");
  const pyodide = await loadPyodide({
    indexURL: base,
    stdLibURL: base + "python_stdlib.zip",
    lockFileURL: base + "amparo-lock.json",
    packageBaseUrl: base,
  });
  report("engine");
  // loadPackage checks the wheel's sha256 against our lockfile before installing it.
  // loadPackage reports a failure (a wrong hash, a missing file) here, and still resolves.
  const problems = [];
  await pyodide.loadPackage("amparo-quiz", { messageCallback: () => {}, errorCallback: (text) => problems.push(text) });
  if (problems.length) throw new Error(problems.join("; "));
  const flowText = await (await plainFetch(base + flow)).text();
  run = pyodide.pyimport("quiz.browser").evaluator(flowText);
  postMessage({ type: "ready" });
}

onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === "start") {
      await start(message);
    } else if (message.type === "evaluate") {
      const started = performance.now();
      const result = JSON.parse(run(JSON.stringify(message.answers), message.today));
      postMessage({ type: "result", id: message.id, result, ms: performance.now() - started });
    }
  } catch (error) {
    postMessage({ type: "failed", reason: String(error && error.message ? error.message : error) });
  }
};
