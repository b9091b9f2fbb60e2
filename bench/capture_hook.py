"""A MkDocs hook used by bench/builds.py, only in the benchmark's temporary copies of the project.

Capture (environment variable BENCH_CAPTURE_DIR, in a build WITH our plugin): records the
Markdown of every page once all plugins have changed it, in the language being built, and the
template globals our plugin gives the theme overrides (`amparo_*`, e.g. the quick-exit words).

Replay (BENCH_REPLAY_DIR, in the plain build WITHOUT our plugin): gives the theme overrides
those same globals, so the plain build renders the same templates. It reads one small JSON file
per language: nothing else.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from mkdocs.plugins import event_priority

GLOBALS_FILE = "_template_globals.json"


def _language(config) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or config.theme.get("language") or "es"


@event_priority(-1000)  # after every plugin
def on_env(env, config, files):
    capture, replay = os.environ.get("BENCH_CAPTURE_DIR"), os.environ.get("BENCH_REPLAY_DIR")
    if capture:
        wanted = {key: value for key, value in env.globals.items() if key.startswith("amparo")}
        target = Path(capture) / _language(config) / GLOBALS_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(wanted, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    elif replay:
        source = Path(replay) / _language(config) / GLOBALS_FILE
        if source.exists():
            env.globals.update(json.loads(source.read_text(encoding="utf-8")))
    return env


@event_priority(-1000)  # after every plugin
def on_page_markdown(markdown, page, config, files):
    folder = os.environ.get("BENCH_CAPTURE_DIR")
    if folder:
        target = Path(folder) / _language(config) / page.file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    return markdown
