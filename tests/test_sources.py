"""The official texts ship with the repository; they must stay the ones the project was given."""

import hashlib
from pathlib import Path

import pytest
import yaml

from amparo.content.loader import load_content
from amparo.project import read_project

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "procedures" / "sources"
SHARED = REPO.parent / "shared" / "sources"


@pytest.fixture(scope="module")
def content():
    project = read_project(REPO / "mkdocs.yml")
    return load_content(project.content_dir, project.sources_dir)


def test_every_official_text_is_the_one_recorded_in_sources_yml(content):
    # On every clone: the SHA-256 recorded beside the texts (the loader checks it on every build too).
    recorded = yaml.safe_load((REPO / "procedures" / "sources.yml").read_text(encoding="utf-8"))["sha256"]
    assert set(recorded) == {p.name for p in SOURCES.glob("*.txt")} == {s.file for s in content.sources.values()}
    for name, digest in recorded.items():
        assert hashlib.sha256((SOURCES / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.skipif(not SHARED.is_dir(), reason="an extra check: no shared/sources beside this clone")
def test_repository_copy_matches_the_shared_sources():
    for original in SHARED.glob("*.txt"):
        copy = SOURCES / original.name
        assert copy.read_bytes() == original.read_bytes(), original.name


def test_every_source_file_is_used(content):
    used = {source.file for source in content.sources.values()}
    assert used == {p.name for p in SOURCES.glob("*.txt")}
    assert {guide.source for guide in content.guides} == set(content.sources)
