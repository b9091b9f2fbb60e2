"""One search index per language.

mkdocs-static-i18n leaves a single index with every language in it: each page would download all
of them (most of a page's weight) and a search would mix languages. This splits it: the default
language keeps search/search_index.json, and each other language gets <language>/search/
search_index.json with addresses relative to its own folder. Pages of that language point the
theme there (`language_base`), so the theme's search loads only the reader's language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

INDEX = "search/search_index.json"
# The lunr.js languages the theme can stem; a language without one is searched word by word.
_STEMMED = {"ar", "da", "de", "du", "el", "es", "fi", "fr", "he", "hi", "hu", "hy", "it", "ja", "kn", "ko", "nl",
            "no", "pt", "ro", "ru", "sa", "sv", "ta", "te", "th", "tr", "vi", "zh"}
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)


def split_index(site_dir: Path, languages: list[str], default: str) -> None:
    site_dir = Path(site_dir)
    merged = json.loads((site_dir / INDEX).read_text(encoding="utf-8"))
    folders = [language for language in languages if language != default]
    documents: dict[str, list[dict]] = {language: [] for language in languages}
    for document in merged["docs"]:
        first = document["location"].split("/", 1)[0]
        if first in folders:
            documents[first].append({**document, "location": document["location"][len(first) + 1:]})
        else:
            documents[default].append(document)
    for language, docs in documents.items():
        path = site_dir / INDEX if language == default else site_dir / language / INDEX
        path.parent.mkdir(parents=True, exist_ok=True)
        # English too, as the theme does by default: lunr.js's Arabic and Chinese support only
        # works inside its multi-language mode, and the guides carry English official names.
        stemmers = [language, "en"] if language in _STEMMED else ["en"]
        config = {**merged["config"], "lang": stemmers}
        path.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")),
                        encoding="utf-8")


def language_base(page_html: str, language: str, default: str) -> str:
    """The page with the theme's base pointing at its language's folder, where its index is."""
    if language == default:
        return page_html

    def rebase(match: re.Match) -> str:
        config = json.loads(match.group(2))
        config["base"] = config["base"].rstrip("/") + "/" + language + "/"
        return match.group(1) + json.dumps(config) + match.group(3)

    return _CONFIG.sub(rebase, page_html, count=1)
