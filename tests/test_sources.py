"""The official texts ship with the repository; they must stay the ones the project was given."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "sources"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared/sources beside this clone")
def test_repository_copy_matches_the_shared_sources():
    for original in SHARED.glob("*.txt"):
        copy = REPO / "procedures" / "sources" / original.name
        assert copy.read_bytes() == original.read_bytes(), original.name


def test_every_source_file_is_used():
    from amparo.project import read_project
    from amparo.loader import load_content

    project = read_project(REPO / "mkdocs.yml")
    content = load_content(project.content_dir, project.sources_dir)
    used = {source.file for source in content.sources.values()}
    assert used == {p.name for p in (REPO / "procedures" / "sources").glob("*.txt")}
    assert {guide.source for guide in content.guides} == set(content.sources)
