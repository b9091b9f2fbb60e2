"""Published links never break: procedures/published-links.txt lists every address the site has
published; a listed address that is gone without a redirect fails, naming the file and anchor."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from amparo.cli import read_project
from amparo.content.errors import ContentError
from amparo.publish.published_links import LINKS_FILE, Redirect, check, collect, load_redirects, published_now, update_list

REPO = Path(__file__).resolve().parents[1]
PROJECT = read_project(REPO / "mkdocs.yml")
GUIDE = "/guias/espana-victimas-trata/"


@pytest.fixture(scope="module")
def published(site_dir) -> set[str]:
    return published_now(PROJECT, site_dir)


def test_the_committed_list_is_current_and_every_listed_address_is_published(published):
    problems = check(PROJECT.content_dir, published, load_redirects(PROJECT.content_dir), PROJECT.languages)
    assert not problems, "\n".join(map(str, problems)) + "\n(run `.venv/bin/amparo links update`)"


def test_the_list_has_pages_anchors_and_print_files_in_every_language(published):
    for prefix in ("/", "/en/", "/ar/", "/zh/"):
        assert f"{prefix}guias/espana-victimas-trata/".replace("//", "/") in published
        assert f"{prefix}guias/espana-victimas-trata/#pasos".replace("//", "/") in published
        assert f"{prefix}organizaciones/".replace("//", "/") in published
    assert "/en/imprimir/espana-victimas-trata/amparo-espana-victimas-trata-en-a5.pdf" in published
    assert "/zh/imprimir/cartel/amparo-cartel-zh-qr.svg" in published


def test_removing_an_anchor_fails_naming_the_file_and_the_anchor(site_dir, tmp_path, published):
    # The page as built, with its "Pasos" heading's id and link gone.
    page = site_dir / "guias/espana-victimas-trata/index.html"
    changed = tmp_path / "site/guias/espana-victimas-trata/index.html"
    changed.parent.mkdir(parents=True)
    changed.write_text(page.read_text(encoding="utf-8").replace('id="pasos"', 'id="x"').replace('href="#pasos"', 'href="#x"'),
                       encoding="utf-8")
    assert f"{GUIDE}#pasos" not in collect(tmp_path / "site", set())
    current = (published - {f"{GUIDE}#pasos"}) | collect(tmp_path / "site", set())
    problems = check(PROJECT.content_dir, current, [], PROJECT.languages)
    messages = [str(problem) for problem in problems]
    gone = [message for message in messages if f"{GUIDE}#pasos " in message]
    assert len(gone) == 1, messages
    assert gone[0].startswith(f"procedures/{LINKS_FILE}:")
    assert "'#pasos'" in gone[0] and "guias/espana-victimas-trata/index.html" in gone[0], gone[0]
    # A redirect for it, to a section that exists, answers it.
    redirect = Redirect(f"{GUIDE}#pasos", f"{GUIDE}#resumen", 1)
    assert not [p for p in check(PROJECT.content_dir, current, [redirect], PROJECT.languages) if "#pasos" in str(p)]


def test_a_removed_page_needs_a_redirect_in_every_language_and_one_entry_covers_them_all(published):
    current = {address for address in published if "/guias/chile-victimas-trafico/" not in address}
    problems = check(PROJECT.content_dir, current, [], PROJECT.languages)
    gone = [str(problem) for problem in problems if "chile-victimas-trafico/ is no longer published" in str(problem)]
    assert any(": /en/guias/chile-victimas-trafico/ is no longer published" in message for message in gone), gone
    assert any(": /guias/chile-victimas-trafico/ is no longer published" in message for message in gone), gone
    redirect = Redirect("/guias/chile-victimas-trafico/", "/guias/chile-victimas-trata/", 1)
    assert not check(PROJECT.content_dir, current, [redirect], PROJECT.languages)


def test_a_redirect_to_nowhere_or_over_a_real_page_is_an_error(published):
    nowhere = Redirect("/guias/antigua/", "/guias/no-existe/", 3)
    over = Redirect(GUIDE, "/guias/chile-victimas-trata/", 4)
    messages = [str(p) for p in check(PROJECT.content_dir, published, [nowhere, over], PROJECT.languages)]
    assert "procedures/redirects.yml:3: /guias/no-existe/ (where /guias/antigua/ goes) is not published" in messages
    assert f"procedures/redirects.yml:4: {GUIDE} is still published: a redirect would replace a real page" in messages


def test_update_adds_what_is_new_and_never_drops_what_is_gone(tmp_path):
    (tmp_path / LINKS_FILE).write_text("# header\n/a/\n/a/#b\n", encoding="utf-8")
    added, gone = update_list(tmp_path, {"/a/", "/c/"})
    assert (added, gone) == (1, ["/a/#b"])
    lines = [line for line in (tmp_path / LINKS_FILE).read_text(encoding="utf-8").splitlines() if line.startswith("/")]
    assert lines == ["/a/", "/a/#b", "/c/"]
    problems = check(tmp_path, {"/a/", "/c/"}, [], ["es", "en"])
    assert [str(p) for p in problems] == [f"{tmp_path.name}/{LINKS_FILE}:5: /a/#b the anchor '#b' is no longer in "
                                          f"a/index.html: keep its heading's id, or add a redirect for it to "
                                          f"{tmp_path.name}/redirects.yml"]


def test_an_unlisted_address_fails_until_the_list_is_updated(tmp_path):
    (tmp_path / LINKS_FILE).write_text("/a/\n", encoding="utf-8")
    problems = check(tmp_path, {"/a/", "/new/"}, [], ["es"])
    assert len(problems) == 1 and "run `amparo links update`" in str(problems[0]) and "/new/" in str(problems[0])


@pytest.mark.parametrize("text, expected", [
    ("redirects:\n  - {from: /a/, to: /b/, also: 1}\n", "redirects.yml:2: redirects.0 needs exactly `from` and `to`"),
    ("redirects:\n  - {from: a, to: /b/}\n", "redirects.yml:2: redirects.0.from 'a' is not an address of this site"),
    ("redirects:\n  - {from: /a/#x, to: /b/#y}\n", "redirects.yml:2: redirects.0 an anchor can move only within its page"),
    ("redirects: [\n", "redirects.yml:2: is not valid YAML"),
    ("redirects: 3\n", "redirects.yml:1: redirects must be a list"),
])
def test_a_malformed_redirect_is_a_file_line_error(tmp_path, text, expected):
    (tmp_path / "redirects.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_redirects(tmp_path)
    assert expected in error.value.report(), error.value.report()


def test_the_committed_redirects_file_reads(tmp_path):
    shutil.copy(REPO / "procedures/redirects.yml", tmp_path / "redirects.yml")
    assert load_redirects(tmp_path) == []
