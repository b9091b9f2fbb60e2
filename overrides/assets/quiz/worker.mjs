// The quiz engine in a module worker: Pyodide runs our Python engine here, on the reader's
// device, to compute the reader's own dates (every other screen comes from the build's table).
// Nothing is sent anywhere: answers arrive by postMessage and results go back the same way. The
// page can terminate this worker at any moment (quick exit) and everything is gone.

let run = null;

async function start({ base, flow }) {
  const { loadPyodide } = await import(base + "pyodide.mjs");
  const pyodide = await loadPyodide({
    indexURL: base,
    stdLibURL: base + "python_stdlib.zip",
    lockFileURL: base + "amparo-lock.json",
    packageBaseUrl: base,
  });
  // loadPackage checks the wheel's sha256 against our lockfile before installing it.
  // loadPackage reports a failure (a wrong hash, a missing file) here, and still resolves.
  const problems = [];
  await pyodide.loadPackage("amparo-quiz", { messageCallback: () => {}, errorCallback: (text) => problems.push(text) });
  if (problems.length) throw new Error(problems.join("; "));
  const flowText = await (await fetch(base + flow)).text();
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
