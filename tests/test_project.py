"""mkdocs.yml read without MkDocs: its tags, and the settings the command and the build share."""

from pathlib import Path

from mkdocs.config import load_config

from amparo import project
from amparo.cli import main
from amparo.project import read_config, read_project

REPO = Path(__file__).resolve().parents[1]


def test_environment_tags_are_read_as_mkdocs_reads_them(tmp_path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_url: !ENV [AMPARO_TEST_A, AMPARO_TEST_B, 'http://default/']\n"
                      "strict: !ENV AMPARO_TEST_STRICT\n"
                      "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
                      encoding="utf-8")
    monkeypatch.delenv("AMPARO_TEST_A", raising=False)
    monkeypatch.delenv("AMPARO_TEST_B", raising=False)
    monkeypatch.delenv("AMPARO_TEST_STRICT", raising=False)
    read = read_config(config)
    assert read["site_url"] == "http://default/" and read["strict"] is None
    assert read["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"] == "material.extensions.emoji.twemoji"
    monkeypatch.setenv("AMPARO_TEST_B", "https://b/")
    monkeypatch.setenv("AMPARO_TEST_STRICT", "true")
    read = read_config(config)
    assert read["site_url"] == "https://b/" and read["strict"] is True


def test_the_command_and_the_build_read_the_same_settings(monkeypatch):
    monkeypatch.setenv("AMPARO_SITE_URL", "https://example.test/amparo/")
    ours = read_project(REPO / "mkdocs.yml")
    theirs = load_config(str(REPO / "mkdocs.yml"))
    plugin = theirs.plugins["amparo"].config
    assert ours.content_dir == REPO / plugin.content_dir and ours.sources_dir == REPO / plugin.sources_dir
    assert ours.complete_languages == plugin.complete_languages
    assert ours.max_source_age_months == plugin.max_source_age_months == project.MAX_SOURCE_AGE_MONTHS
    assert ours.languages == [language.locale for language in theirs.plugins["i18n"].config.languages if language.build]
    assert read_config(REPO / "mkdocs.yml")["site_url"] == theirs.site_url


def test_a_missing_or_broken_mkdocs_yml_is_a_clear_error(tmp_path, capsys):
    assert main(["--config-file", str(tmp_path / "mkdocs.yml"), "check"]) == 1
    assert f"{tmp_path / 'mkdocs.yml'}:1: is missing" in capsys.readouterr().err
    (tmp_path / "mkdocs.yml").write_text("site_name: Amparo\nnav: [index.md\n", encoding="utf-8")
    assert main(["--config-file", str(tmp_path / "mkdocs.yml"), "check"]) == 1
    error = capsys.readouterr().err
    assert f"{tmp_path / 'mkdocs.yml'}:2: is not valid YAML" in error and "Traceback" not in error
