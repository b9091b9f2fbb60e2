// The baseline for the quiz's start-up: the site's own self-hosted pyodide.mjs and loadPyodide(),
// nothing else. Its one option: the site ships no pyodide-lock.json (the default), only its own
// 493-byte lockfile, so that is the one it reads. The time is read by bench/browser.py.
import { loadPyodide } from "../assets/quiz/runtime/pyodide.mjs";

const lockFileURL = new URL("../assets/quiz/runtime/amparo-lock.json", import.meta.url).href;

const status = document.getElementById("status");
try {
  await loadPyodide({ lockFileURL });
  document.documentElement.dataset.readyMs = performance.now().toFixed(1);
  status.textContent = "ready";
} catch (error) {
  document.documentElement.dataset.failed = String(error && error.message ? error.message : error);
  status.textContent = "failed";
}
