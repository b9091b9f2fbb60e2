"""A MkDocs hook used by bench/builds.py, only in the benchmark's temporary copy of the project.

It records the Markdown every page has once all plugins (ours included) have changed it, in
the language being built, so the plain mkdocs-material build can be given exactly the same
Markdown as ordinary files. Where to write: the BENCH_CAPTURE_DIR environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.plugins import event_priority


def _language(config) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or config.theme.get("language") or "es"


@event_priority(-1000)  # after every plugin
def on_page_markdown(markdown, page, config, files):
    folder = os.environ.get("BENCH_CAPTURE_DIR")
    if folder:
        target = Path(folder) / _language(config) / page.file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    return markdown
