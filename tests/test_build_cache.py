"""What a build keeps for the next one (amparo/publish/build_cache.py, amparo/content/memo.py) is
only ever what the next one would make itself: the same bytes for the same content and code, made
afresh when either changes, and the cache does not grow with every edit."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

import amparo.publish.build_cache as build_cache
import amparo.publish.generated_pages as generated_pages
from amparo.content.memo import Memo
from amparo.project import read_project
from amparo.publish.build_cache import Kept
from amparo.publish.generated_pages import build_site
from amparo.i18n.catalogs import Translations
from amparo.render.markdown_pages import guide_page
from amparo.render.quiz_pages import QUIZ_PAGE, STATIC_QUIZ_PAGE

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = ["es", "ar"]


class Maker:
    """Makes values and counts how often it was asked to."""

    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def kept(size: int = 4) -> Kept:
    return Kept("test", size, lambda value: value, lambda data: data)


def test_a_value_made_once_is_found_by_another_process(tmp_path):
    make = Maker({"screens": ["<p>uno</p>"], "count": 2})
    assert kept().get(tmp_path, ("quiz", "es"), make) == make.value
    # A new Kept has nothing in memory, as another process: it reads the disk.
    again = Maker({"other": True})
    assert kept().get(tmp_path, ("quiz", "es"), again) == make.value
    assert (make.calls, again.calls) == (1, 0)


def test_another_key_or_another_code_makes_the_value_again(tmp_path, monkeypatch):
    kept().get(tmp_path, ("quiz", "es"), Maker("old"))
    assert kept().get(tmp_path, ("quiz", "en"), Maker("english")) == "english"
    monkeypatch.setattr(build_cache, "code_version", lambda: "changed code")
    assert kept().get(tmp_path, ("quiz", "es"), Maker("new")) == "new"


def test_what_json_would_not_give_back_as_it_was_is_not_kept(tmp_path):
    kept().get(tmp_path, "key", Maker({"pair": (1, 2)}))   # a tuple comes back a list
    assert not list(tmp_path.rglob("*.json.gz"))


def test_a_file_cut_short_is_made_again(tmp_path):
    kept().get(tmp_path, "key", Maker("whole"))
    [stored] = kept().folder(tmp_path).glob("*")
    stored.write_bytes(gzip.compress(b'"cut')[:-4])
    assert kept().get(tmp_path, "key", Maker("made again")) == "made again"


def test_only_the_newest_are_kept_on_disk(tmp_path):
    for number in range(7):
        kept(size=3).get(tmp_path, number, Maker(number))
    assert len(list(kept().folder(tmp_path).glob("*"))) == 3
    assert kept(size=3).get(tmp_path, 6, Maker("not found")) == 6


def test_the_disk_may_keep_more_than_memory(tmp_path):
    kept_more = Kept("test", 1, lambda value: value, lambda data: data, on_disk=3)
    for number in range(5):
        kept_more.get(tmp_path, number, Maker(number))
    assert len(list(kept_more.folder(tmp_path).glob("*"))) == 3
    assert kept_more.get(tmp_path, 2, Maker("not found")) == 2   # from the disk: memory holds only the last, 4


def test_memory_keeps_the_last_ones_asked_for():
    memo: Memo[int] = Memo(2)
    for key in ("a", "b", "a", "c"):   # "b" is the least recently asked for when "c" comes
        memo.get(key, Maker(key))
    assert memo.get("a", Maker("again")) == "a" and memo.get("b", Maker("again")) == "again"


@pytest.fixture
def fresh_memory(monkeypatch):
    """Each build below starts with nothing in memory, as a new process does."""
    def forget():
        for name in ("QUIZ_SCREENS", "_PRINT_PAGES"):
            kept = getattr(generated_pages, name)
            monkeypatch.setattr(generated_pages, name, Kept(kept.kind, kept.size, kept.to_json, kept.from_json, kept.on_disk))
        monkeypatch.setattr(generated_pages, "_LANGUAGE_BUILDS", Memo(16))
    return forget


def _quiz_pages(site) -> dict:
    return {(page, language): version.html_after for page in (QUIZ_PAGE, STATIC_QUIZ_PAGE)
            for language, version in site.pages[page].items()}


def test_a_build_from_the_cache_is_the_build_made_afresh_and_a_changed_word_is_made_again(tmp_path, fresh_memory):
    content = tmp_path / "procedures"
    shutil.copytree(REPO / "procedures", content)
    project = read_project(REPO / "mkdocs.yml")
    cache = tmp_path / "cache"

    def build(cache_dir):
        fresh_memory()
        settings = project.settings()
        settings.cache_dir, settings.runtime_bytes = cache_dir, 4_000_000
        settings.languages = LANGUAGES   # two are enough, one of them right to left: seconds, not tens
        # Not strict: the changed word below is not translated yet (the other languages show the Spanish).
        return build_site(content, content / "sources", settings, strict=False)

    afresh = build(cache)        # makes every language's screens, and keeps them
    from_cache = build(cache)    # finds them there
    assert len(list(generated_pages.QUIZ_SCREENS.folder(cache).glob("*"))) == len(LANGUAGES)
    assert len(list(generated_pages._PRINT_PAGES.folder(cache).glob("*"))) == 1   # every language's, with their QR codes
    assert from_cache.tables == afresh.tables
    assert _quiz_pages(from_cache) == _quiz_pages(afresh)
    assert from_cache.pages == afresh.pages   # the printable pages among them

    # A word of the quiz changed in the Spanish: the screens are made again, with the new word.
    interface = content / "interface.yml"
    old = next(line for line in interface.read_text(encoding="utf-8").splitlines() if line.strip().startswith("start-again:"))
    interface.write_text(interface.read_text(encoding="utf-8").replace(old, "  start-again: Volver a empezar ahora"),
                         encoding="utf-8")
    changed = build(cache)
    assert "Volver a empezar ahora" in changed.pages[STATIC_QUIZ_PAGE]["es"].html_after[generated_pages.MARKER]
    assert "Volver a empezar ahora" not in afresh.pages[STATIC_QUIZ_PAGE]["es"].html_after[generated_pages.MARKER]


def test_a_rebuild_makes_again_only_the_language_whose_catalog_changed_and_equals_a_fresh_build(tmp_path, fresh_memory,
                                                                                                  build_cache):
    content = tmp_path / "procedures"
    shutil.copytree(REPO / "procedures", content)
    project = read_project(REPO / "mkdocs.yml")
    settings = project.settings()
    settings.cache_dir, settings.languages = build_cache, ["es", "fr", "ar"]   # the quiz's screens from the disk

    def build():
        return build_site(content, content / "sources", settings, strict=False)

    fresh_memory()
    before = build()
    # One French translation changed, as a translator saves it while `make serve` runs.
    catalog = content / "locale/fr.po"
    guide = before.content.guides[0]
    spanish, french = str(guide.title), Translations.load(content, "fr").messages[(guide.title.context, str(guide.title))]
    text = catalog.read_text(encoding="utf-8")
    assert text.count(f'msgstr "{french}"') == 1
    catalog.write_text(text.replace(f'msgstr "{french}"', f'msgstr "{french} encore"'), encoding="utf-8")
    after = build()
    page = guide_page(guide.id)
    assert f"{french} encore" in after.pages[page]["fr"].markdown and f"{french} encore" not in before.pages[page]["fr"].markdown
    # French was made again; Spanish and Arabic are what the first build made, not made again.
    assert after.flows["fr"] is not before.flows["fr"]
    assert all(after.flows[language] is before.flows[language] for language in ("es", "ar"))
    assert after.pages[page]["es"] is before.pages[page]["es"]
    # And the whole is what a build with nothing kept makes.
    fresh_memory()
    afresh = build()
    assert after.pages == afresh.pages and after.tables == afresh.tables and after.problems == afresh.problems
    assert spanish in after.pages[page]["es"].markdown


def test_a_changed_spanish_text_makes_every_language_again(tmp_path, fresh_memory, build_cache):
    content = tmp_path / "procedures"
    shutil.copytree(REPO / "procedures", content)
    settings = read_project(REPO / "mkdocs.yml").settings()
    settings.cache_dir, settings.languages = build_cache, ["es", "fr"]
    fresh_memory()
    before = build_site(content, content / "sources", settings, strict=False)
    interface = content / "interface.yml"
    old = next(line for line in interface.read_text(encoding="utf-8").splitlines() if line.strip().startswith("start-again:"))
    interface.write_text(interface.read_text(encoding="utf-8").replace(old, "  start-again: Volver a empezar ahora"),
                         encoding="utf-8")
    after = build_site(content, content / "sources", settings, strict=False)
    assert all(after.flows[language] is not before.flows[language] for language in ("es", "fr"))
    # French has no translation of the new words yet: it shows them in Spanish.
    assert "Volver a empezar ahora" in after.pages[STATIC_QUIZ_PAGE]["fr"].html_after[generated_pages.MARKER]
