// The quiz engine under Pyodide in Node, loaded the way the browser worker loads it
// (overrides/assets/quiz/worker.mjs): the runtime, the standard library, our lockfile and our
// wheel all come from one bundle directory made by `amparo.publish.engine_bundle.bundle`.
//
//   node amparo/publish/pyodide_engine.mjs BUNDLE_DIR CASES.json [--report REPORT.json]
//
// CASES.json is {flow, cases: [{answers, today}]}. Prints one JSON array: evaluate(flow, answers,
// today) for each case, in order, all in one Pyodide session. --report writes what the run
// loaded: the sha256 of the standard library Pyodide ran on, and every module in sys.modules
// (for `amparo bundle measure`). Exits 1, with the reason on stderr, on any failure.

import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const PACKAGE = "amparo-quiz";
const LOCKFILE = "amparo-lock.json";
const STDLIB = "python_stdlib.zip";



function usage() {
  return "usage: node amparo/publish/pyodide_engine.mjs BUNDLE_DIR CASES.json [--report REPORT.json]";
}

function parseArguments(argv) {
  const positional = [];
  let reportPath = null;
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === "--report") {
      reportPath = argv[++index];
      if (!reportPath) throw new Error(usage());
    } else {
      positional.push(argv[index]);
    }
  }
  if (positional.length !== 2) throw new Error(usage());
  return { bundleDir: path.resolve(positional[0]), casesPath: positional[1], reportPath };
}

function sha256(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}

// A browser checks the wheel against the lockfile's sha256 (fetch `integrity`); Pyodide in Node
// ignores that hash, so check it here, or a wrong lockfile would pass this test and fail readers.
async function checkWheelAgainstLockfile(base) {
  const lock = JSON.parse(await readFile(base + LOCKFILE, "utf8"));
  const entry = lock.packages[PACKAGE];
  if (!entry) throw new Error(`${LOCKFILE} does not list ${PACKAGE}`);
  const actual = sha256(await readFile(base + entry.file_name));
  if (actual !== entry.sha256) {
    throw new Error(`${entry.file_name} has sha256 ${actual}, but ${LOCKFILE} says ${entry.sha256}`);
  }
}

async function startEngine(base, flowText) {
  const { loadPyodide } = await import(pathToFileURL(base + "pyodide.mjs").href);
  // In Node every one of these is a file path: Pyodide reads the lockfile with fs.readFile, which
  // does not take file:// URLs.
  const pyodide = await loadPyodide({
    indexURL: base,
    stdLibURL: base + STDLIB,
    lockFileURL: base + LOCKFILE,
    packageBaseUrl: base,
    // stdout carries only the results.
    stdout: (line) => process.stderr.write(line + "\n"),
    stderr: (line) => process.stderr.write(line + "\n"),
  });
  const failures = [];
  await pyodide.loadPackage(PACKAGE, {
    messageCallback: () => {},
    errorCallback: (message) => failures.push(message),
  });
  // loadPackage reports a failure through errorCallback and resolves anyway.
  if (failures.length || !(PACKAGE in pyodide.loadedPackages)) {
    throw new Error(`loadPackage("${PACKAGE}") failed: ${failures.join("\n") || "not loaded"}`);
  }
  // The same entry point the browser's worker uses.
  return { pyodide, run: pyodide.pyimport("quiz.browser").evaluator(flowText) };
}

async function writeReport(pyodide, reportPath) {
  const stdlibInPyodide = pyodide.runPython(
    "import sys\n[entry for entry in sys.path if entry.endswith('.zip')][0]",
  );
  const modules = pyodide.runPython("import sys, json\njson.dumps(sorted(sys.modules))");
  const report = {
    stdlib_path: stdlibInPyodide,
    stdlib_sha256: sha256(pyodide.FS.readFile(stdlibInPyodide)),
    python: pyodide.runPython("import sys\nsys.version.split()[0]"),
    modules: JSON.parse(modules),
  };
  await writeFile(reportPath, JSON.stringify(report, null, 1) + "\n");
}

async function main() {
  const { bundleDir, casesPath, reportPath } = parseArguments(process.argv.slice(2));
  const base = bundleDir + path.sep;
  const { flow, cases } = JSON.parse(await readFile(casesPath, "utf8"));
  await checkWheelAgainstLockfile(base);
  const { pyodide, run } = await startEngine(base, JSON.stringify(flow));
  // A JSON null must reach Python as None: Pyodide turns JS null into `jsnull`, and undefined into None.
  const results = cases.map(({ answers, today }) => run(JSON.stringify(answers), today ?? undefined));
  if (reportPath) await writeReport(pyodide, reportPath);
  await writeAll(process.stdout, "[" + results.join(",\n") + "]\n");
}

// process.exit does not wait for a pipe to drain: without this, output past 64 KiB is lost.
function writeAll(stream, text) {
  return new Promise((resolve) => stream.write(text, resolve));
}

main().then(
  () => process.exit(0),
  async (error) => {
    await writeAll(process.stderr, `${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
