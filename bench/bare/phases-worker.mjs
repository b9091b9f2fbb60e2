// See phases.mjs. The same calls as overrides/assets/quiz/worker.mjs, each one timed.
onmessage = async (event) => {
  const { runtime, flow } = event.data;
  const marks = { origin: performance.timeOrigin, start: performance.now() };
  try {
    const { loadPyodide } = await import(runtime + "pyodide.mjs");
    marks.imported = performance.now();
    const pyodide = await loadPyodide({
      indexURL: runtime,
      stdLibURL: runtime + "python_stdlib.zip",
      lockFileURL: runtime + "amparo-lock.json",
      packageBaseUrl: runtime,
    });
    marks.loadPyodide = performance.now();
    await pyodide.loadPackage("amparo-quiz", { messageCallback: () => {} });
    marks.loadPackage = performance.now();
    const flowText = await (await fetch(runtime + flow)).text();
    marks.flowFetched = performance.now();
    pyodide.globals.set("AMPARO_FLOW", flowText);
    const run = pyodide.runPython(
      "import json\nfrom quiz import evaluate\n_flow = json.loads(AMPARO_FLOW)\ndel AMPARO_FLOW\n" +
        "def _run(answers, today):\n    return json.dumps(evaluate(_flow, json.loads(answers), today))\n_run",
    );
    marks.engineImported = performance.now();
    run("{}", "2025-01-01");
    marks.firstEvaluate = performance.now();
    postMessage({ marks });
  } catch (error) {
    postMessage({ error: String(error && error.message ? error.message : error) });
  }
};
