"""The readability report (amparo/review/readability.py) of the measured copy: INFLESZ per Spanish page
and the sentences over 25 words, beside the targets (every guide ≥ 65, no such sentence)."""

from __future__ import annotations

from pathlib import Path

from amparo.review import readability
from amparo.content.loader import load_content
from amparo.project import read_project


def run(source: Path) -> dict:
    if not readability.available():
        return {"available": False, "reason": "textstat is not installed (the 'readability' extra)"}
    project = read_project(source / "mkdocs.yml")
    content = load_content(project.content_dir, project.sources_dir)
    pages = readability.report(content, project.docs_dir)
    return {"available": True, "target": readability.TARGET, "max_words": readability.MAX_WORDS,
            "pages": [{"page": page.page, "kind": page.kind, "words": page.words, "inflesz": page.inflesz,
                       "long_sentences": [f"{s.where()} ({s.words} words)" for s in page.long_sentences]}
                      for page in pages]}
