"""The finishing touches on built pages and on the built site, as plain functions of HTML and
files, so that any static generator can call them (the MkDocs plugin is one caller)."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

from ..content.forbidden_characters import RIGHT_TO_LEFT
from ..i18n.bidi_isolation import isolate_body
from ..render.quiz_pages import RUNTIME_FOLDER, SITE_ROOT, TABLE_FOLDER, flow_file, table_file
from .csp import add_policy, headers_file
from .generated_pages import Site
from .offline_files import CLEAR_SITE_DATA, CLEAR_SITE_DATA_TEXT, write_manifest
from .search_index import language_base, split_index

# Search engines read the other languages of a page only from absolute addresses.
_ALTERNATE = re.compile(r'(<link rel="alternate" href=")([^"]+)(" hreflang=)')
_PERMALINK_TITLE = re.compile(r'(<a class="headerlink" href="#[^"]*" )title="[^"]*"')


def finish_page(page_html: str, site: Site, source_path: str, page_url: str, site_url: str, language: str,
                default_language: str) -> str:
    """A rendered page, ready to publish: our blocks in place, links and titles in its language,
    the search pointed at its language's index, and its Content-Security-Policy last, over the
    final HTML; in a right-to-left language, its left-to-right runs isolated (amparo/i18n/bidi_isolation.py).
    `page_url` is the page's address relative to the site root (`fr/guias/x/`)."""
    # The generator's configuration gives the heading links' title in one language only.
    permalink = html.escape(site.words[language]("permalink"), quote=True)
    page_html = _PERMALINK_TITLE.sub(rf'\1title="{permalink}"', page_html)
    page_html = _ALTERNATE.sub(lambda m: m.group(1) + urljoin(site_url + page_url, m.group(2)) + m.group(3), page_html)
    versions = site.pages.get(source_path)
    if versions:
        site_root = "../" * (len(page_url.split("/")) - 1)
        for marker, block in versions[language].html_after.items():
            page_html = page_html.replace(marker, block.replace(SITE_ROOT, site_root))
    page_html = language_base(page_html, language, default_language)
    page_html = isolate_body(page_html, language in RIGHT_TO_LEFT)
    return add_policy(page_html)


def finish_site(site_dir: Path, site: Site, runtime_files: list[Path], languages: list[str], default_language: str) -> None:
    """What the whole built site needs: the quiz runtime, flows and state tables, one search index per language,
    the headers file for static hosts, and the offline manifest. Idempotent."""
    site_dir = Path(site_dir)
    runtime = site_dir / RUNTIME_FOLDER
    runtime.mkdir(parents=True, exist_ok=True)
    for source in runtime_files:
        target = runtime / source.name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
    for language, flow in site.flows.items():
        (runtime / flow_file(language)).write_text(json.dumps(flow, ensure_ascii=False), encoding="utf-8")
    for language, table in site.tables.items():
        # Not in the runtime's folder: the table is what the quiz needs always, the runtime only for dates.
        (site_dir / TABLE_FOLDER / table_file(language)).write_text(
            json.dumps(table, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    split_index(site_dir, languages, default_language)
    (site_dir / CLEAR_SITE_DATA).write_text(CLEAR_SITE_DATA_TEXT, encoding="utf-8")
    (site_dir / "_headers").write_text(headers_file(site_dir), encoding="utf-8")
    write_manifest(site_dir, languages, default_language)
