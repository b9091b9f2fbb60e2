"""The page for an address that does not exist (a mistyped address, an old QR code).

One per language, in that language, under its folder (`fr/404.html`), for the hosts that serve
the nearest one (nginx as `amparo nginx` configures it, Cloudflare Pages); and the site's root
`404.html`, the only one GitHub Pages serves, for every address: a reader who lands there may
read any of the eight languages, so it says, in each of them, that the page is not there, with
the way to that language's home and safety page and the quick exit. The theme renders the page
(overrides/404.html) in each language's build; this module gives it its words and addresses, and
puts each language's page where it goes. No MkDocs here.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .leaflets import page_url, text_direction
from .markdown_pages import Words

NOT_FOUND = "404.html"
HOME_PAGE = "index.md"
SAFETY_PAGE = "seguridad.md"


def site_base(site_url: str) -> str:
    """The site's path on its host, for addresses that work from any depth: `/` or `/amparo/`."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def language_ways(words: dict[str, Words], names: dict[str, str], languages: list[str], site_url: str) -> list[dict]:
    """For each language: its name for itself, its direction, and the words and addresses of
    the not-found page in it."""
    base = site_base(site_url)
    ways = []
    for language in languages:
        w = words[language]
        ways.append({
            "language": language, "name": names.get(language, language), "direction": text_direction(language),
            "home": base + page_url(HOME_PAGE, language), "safety": base + page_url(SAFETY_PAGE, language),
            "title": w("not-found-title"), "text": w("not-found-text"), "home_word": w("not-found-home"),
            "safety_word": w("exit-safety"), "exit_word": w("exit"), "languages_word": w("not-found-languages"),
        })
    return ways


def not_found_context(words: dict[str, Words], names: dict[str, str], languages: list[str], language: str,
                      default: str, site_url: str) -> dict:
    """What overrides/404.html shows in `language`'s build. The default language's page is the
    site's root one: neutral, every language alike."""
    ways = language_ways(words, names, languages, site_url)
    here = next(way for way in ways if way["language"] == language)
    return {"neutral": language == default, "here": here, "ways": ways,
            "others": [way for way in ways if way["language"] != language]}


def language_homes(ways: list[dict]) -> list[dict]:
    """The language menu of a not-found page: each language's home (there is no same page in the
    other languages to go to)."""
    return [{"name": way["name"], "link": way["home"], "lang": way["language"]} for way in ways]


def not_found_file(language: str, default: str) -> str:
    return NOT_FOUND if language == default else f"{language}/{NOT_FOUND}"


def write_not_found_pages(site_dir: Path, pages: dict[str, str], default: str) -> None:
    """Each language's rendered page where it goes. Every language's build writes the theme's
    404.html at the site's root: the default language's, neutral, is the one that stays there."""
    for language, page in pages.items():
        path = Path(site_dir) / not_found_file(language, default)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
