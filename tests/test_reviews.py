"""A guide page says it was checked against its source only when a record says so, for the
source as it is now; nothing is invented when there is no record."""

from pathlib import Path

import pytest

from amparo.review.changes import report
from amparo.cli import review_lines
from amparo.project import read_project
from amparo.content.errors import ContentError
from amparo.i18n.catalogs import Localizer, Translations
from amparo.content.loader import load_content, source_version
from amparo.render.markdown_pages import Renderer, escape
from amparo.publish.generated_pages import localize
from tests.test_changes import edit, edit_source, git, project_at

REVIEWS = "procedures/locale/reviews.yml"
SHEET_38 = "procedures/sources/002_ea76eaa9a272f44a.txt"
SPANISH = "Esta guía se comprobó con la fuente oficial en enero de 2027 (Fundación Ejemplo)."


def load(root: Path):
    project = read_project(root / "mkdocs.yml")
    return load_content(project.content_dir, project.sources_dir)


def page(content, guide_id: str, language: str = "es") -> str:
    if language != "es":
        content = localize(content, Localizer(Translations.load(content.root, language), content.root))
    return Renderer(content, language).guide(next(g for g in content.guides if g.id == guide_id))


def add_record(root: Path, version: str, guide: str = "espana-victimas-trata") -> None:
    edit(root, REVIEWS, "content: []\n",
         f'content:\n  - {{guide: {guide}, source_version: "{version}", reviewer: Fundación Ejemplo, date: "2027-01"}}\n')


def test_no_record_no_claim():
    content = load(Path(__file__).resolve().parents[1])
    assert content.content_reviews == []
    for guide in content.guides:
        assert "se comprobó con la fuente" not in page(content, guide.id)


def test_a_record_for_the_current_source_is_shown_in_every_language(project):
    version = source_version((project / SHEET_38).read_text(encoding="utf-8"))
    add_record(project, version)
    content = load(project)
    assert escape(SPANISH) in page(content, "espana-victimas-trata")
    assert escape("This guide was checked against the official source in January 2027 (Fundación Ejemplo).") in \
        page(content, "espana-victimas-trata", "en")
    assert "se comprobó" not in page(content, "espana-colaboracion-redes")
    assert review_lines(content)[1] == (f"espana-victimas-trata: source es-hoja-38, version {version}; "
                                        "checked against this version in 2027-01 by Fundación Ejemplo")


def test_a_record_for_an_earlier_version_of_the_source_is_not_shown(project):
    add_record(project, "0123456789ab")
    content = load(project)
    assert "se comprobó" not in page(content, "espana-victimas-trata")
    assert [review.guide for review in content.outdated_reviews()] == ["espana-victimas-trata"]
    assert "against an earlier version (0123456789ab): check it again" in review_lines(content)[1]


def test_a_record_for_an_unknown_guide_names_file_and_line(project):
    add_record(project, "0123456789ab", guide="espana-victimas-trat")
    with pytest.raises(ContentError) as error:
        load(project)
    line = (project / REVIEWS).read_text(encoding="utf-8").splitlines().index("content:") + 2
    assert any(str(p).startswith(f"{REVIEWS}:{line}: content[0].guide refers to guide 'espana-victimas-trat'")
               and "did you mean 'espana-victimas-trata'" in str(p) for p in error.value.problems), error.value.problems


def test_a_version_that_is_not_one(project):
    add_record(project, "mayo-2025")
    with pytest.raises(ContentError) as error:
        load(project)
    assert any("content[0].source_version has the wrong form" in str(p) for p in error.value.problems)


def test_the_changes_report_says_when_a_page_loses_its_check(project):
    add_record(project, source_version((project / SHEET_38).read_text(encoding="utf-8")))
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "mkdocs.yml", "procedures")
    git(project, "commit", "-q", "-m", "checked")
    edit_source(project, SHEET_38, "cuarenta y ocho", "setenta y dos")
    text = report(project_at(project), "main")
    assert "- `espana-victimas-trata`: la página ya no dice que se comprobó con la fuente" in text
