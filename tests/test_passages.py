"""Every fact points at the passage of its source it comes from, and the passage is really there."""

import re
from pathlib import Path

import pytest

from amparo.cli import check
from amparo.project import read_project
from amparo.content.errors import ContentError
from amparo.content.loader import load_content
from amparo.content.models import Procedure
from amparo.content.passages import normalised, passage_problems, quoted_text

REPO = Path(__file__).resolve().parents[1]
GUIDE = "procedures/guides/espana-victimas-trata.yml"


def load(root: Path, **options):
    project = read_project(root / "mkdocs.yml")
    return load_content(project.content_dir, project.sources_dir, **options)


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as error:
        load(root)
    return [str(problem) for problem in error.value.problems]


@pytest.fixture(scope="module")
def content():
    return load(REPO)


def sources_of(uses) -> set[str]:
    return {use.source for use in uses}


def test_every_step_deadline_document_and_criterion_has_a_passage_of_its_source(content):
    by_owner: dict[str, list] = {}
    for use in content.passages:
        by_owner.setdefault(use.owner, []).append(use)
    missing = []

    def need(owner: str, source: str) -> None:
        if source not in sources_of(by_owner.get(owner, [])):
            missing.append(f"{owner} (from {source})")

    checked = 0
    # A text two guides say word for word is written in shared.yml: its passages are there, one per source.
    shared_text = {id(text.text): f"shared.texts.{text.id}" for text in content.shared.texts}
    for guide in content.guides:
        if not isinstance(guide, Procedure):
            continue
        for step in guide.steps:
            # A shared step is written in shared.yml: its passages are there, one per source.
            owner = f"{'shared' if step in content.shared.steps else guide.id}.steps.{step.id}"
            need(owner, guide.source)
            if step.time_limit is not None:
                need(owner + ".time_limit", guide.source)
            checked += 1 + (step.time_limit is not None)
        for document in guide.documents.items if guide.documents else []:
            need(shared_text.get(id(document.text), f"{guide.id}.documents.items.{document.id}"), guide.source)
            checked += 1
        if guide.fee is not None:
            shared = guide.fee in content.shared.fees
            owner = f"shared.fees.{guide.fee.id}" if shared else f"{guide.id}.fee"
            need(owner, guide.source)
            if guide.fee.time_limit is not None:
                need(owner + ".time_limit", guide.source)
            checked += 1 + (guide.fee.time_limit is not None)
    source_of = {guide.id: guide.source for guide in content.guides}
    for rules in content.quiz.procedures:
        for criterion in rules.criteria:
            need(f"quiz.criteria.{criterion}", source_of[rules.id])
            checked += 1
        for deadline in rules.deadlines:
            need(f"quiz.deadlines.{deadline}", source_of[rules.id])
            checked += 1
    assert not missing, "no passage of the right source for:\n" + "\n".join(missing)
    assert checked > 60
    assert {criterion.id for criterion in content.quiz.criteria} <= {use.owner.split(".")[-1] for use in content.passages}


def _parts_with_texts(value, path="", shared=None):
    """Every part of a guide that can carry passages and has texts of its own; a text of
    shared.yml (`shared`: its texts by the id of their Text) is a part, with its own passages."""
    from pydantic import BaseModel
    from amparo.content.models import Passage, Text

    shared = shared or {}
    if id(value) in shared:
        yield path, shared[id(value)]
    elif isinstance(value, BaseModel) and not isinstance(value, Passage):
        own = [name for name in type(value).model_fields
               if isinstance(getattr(value, name), Text) and id(getattr(value, name)) not in shared
               or (isinstance(getattr(value, name), list)
                   and any(isinstance(i, Text) and id(i) not in shared for i in getattr(value, name)))]
        if "passages" in type(value).model_fields and own:
            yield path, value
        for name in type(value).model_fields:
            if name != "passages":
                yield from _parts_with_texts(getattr(value, name), f"{path}.{name}", shared)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _parts_with_texts(item, f"{path}.{getattr(item, 'id', None) or index}", shared)


def test_every_part_of_every_guide_has_a_passage_of_its_source(content):
    """Beyond what the issue asks (steps, deadlines, documents, criteria): places, fees, the permit,
    family, assisted return, legal basis, notes and guidance sections, and each guide's own texts."""
    # A text of shared.yml carries a passage of each guide's source that says it.
    shared = {id(text.text): text for text in content.shared.texts}
    missing = []
    parts = 0
    for guide in content.guides:
        for path, part in _parts_with_texts(guide, guide.id, shared):
            parts += 1
            if guide.source not in {passage.source or guide.source for passage in part.passages}:
                missing.append(path)
    assert not missing, missing
    assert parts > 60


def test_a_text_two_guides_say_word_for_word_is_written_once_in_shared_yml(content):
    """Once, so it is translated once in each language; its passages, one per source, are checked above."""
    guides = {guide.id for guide in content.guides}
    written: dict[str, set[str]] = {}
    for text in content.texts():
        owner = text.context.split(".")[0]
        if owner in guides:
            written.setdefault(str(text), set()).add(owner)
    twice = {spanish: sorted(owners) for spanish, owners in written.items() if len(owners) > 1}
    assert not twice, f"write these once in shared.yml's texts, and `shared: <id>` in each guide: {twice}"
    assert content.shared.texts


def test_every_passage_of_the_real_content_is_found(content):
    assert len(content.passages) >= 140
    assert passage_problems(content.passages, content.source_texts, content.sources) == []
    for use in content.passages:
        found = quoted_text(use.passage, content.source_texts[use.source])
        assert found and found in normalised(content.source_texts[use.source]), use


def test_a_passage_knows_what_it_supports(content):
    use = next(u for u in content.passages if u.owner == "espana-victimas-trata.steps.propuesta-periodo-reflexion")
    assert use.file == GUIDE and use.source == "es-hoja-38"
    assert any("propone que te den un periodo de restablecimiento" in text for text in use.texts)
    # The time limit has its own passage, so it is not among the step's texts.
    limit = next(u for u in content.passages if u.owner.endswith("propuesta-periodo-reflexion.time_limit"))
    assert normalised(limit.passage.quote) == "en el plazo máximo de cuarenta y ocho horas"


def quote_line(root: Path, file: str, words: str) -> int:
    lines = (root / file).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if words in line)


def test_a_quote_that_is_not_in_its_source_fails_with_file_line_and_field(project):
    path = project / GUIDE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("que será de al menos noventa días,", "que será de noventa días,", 1), encoding="utf-8")
    words = quote_line(project, GUIDE, "que será de noventa días,")
    lines = (project / GUIDE).read_text(encoding="utf-8").splitlines()
    line = max(n for n in range(1, words) if lines[n - 1].strip().endswith("quote: >-"))   # the key above the words
    found = problems(project)
    expected = [p for p in found if p.startswith(f"{GUIDE}:{line}: steps[1].passages[0].quote is not in source 'es-hoja-38'")]
    assert expected, found
    assert "«periodo, que será de»" in expected[0] and "«noventa»" in expected[0], expected[0]
    # `amparo check` (and so `make check` and CI) reports it the same way.
    assert expected[0] in [str(problem) for problem in check(read_project(project / "mkdocs.yml"))]


def test_spaces_and_line_breaks_do_not_count(project):
    path = project / GUIDE
    text = path.read_text(encoding="utf-8")
    assert "            en el plazo máximo de cuarenta y ocho horas\n" in text
    path.write_text(text.replace("            en el plazo máximo de cuarenta y ocho horas\n",
                                 "            en   el plazo máximo\n            de cuarenta y ocho   horas\n", 1), encoding="utf-8")
    assert load(project).passages


def test_lines_beyond_the_end_of_the_source(project):
    path = project / "procedures/quiz.yml"
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^(      - source: cl-sermig\n)(        quote: >-\n          Residence for victims)",
                          r"\1        lines: 30-99\n\2", text, count=1)
    assert count == 1
    path.write_text(text, encoding="utf-8")
    line = quote_line(project, "procedures/quiz.yml", "lines: 30-99")
    found = problems(project)
    assert any(p.startswith(f"procedures/quiz.yml:{line}: criteria[2].passages[0].lines are 30-99, but source 'cl-sermig' has 37 lines")
               for p in found), found


def test_a_quote_outside_its_lines(project):
    path = project / "procedures/quiz.yml"
    text = path.read_text(encoding="utf-8")
    # The quote is on line 1 of the SERMIG page, not on lines 4-6.
    text = text.replace("      - source: cl-sermig\n        quote: >-\n          Residence for victims",
                        "      - source: cl-sermig\n        lines: 4-6\n        quote: >-\n          Residence for victims", 1)
    path.write_text(text, encoding="utf-8")
    found = problems(project)
    assert any("criteria[2].passages[0].quote is not in lines 4-6 of source 'cl-sermig'" in p for p in found), found


def test_a_line_range_alone_is_a_passage(project):
    path = project / "procedures/quiz.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("      - source: cl-sermig\n        quote: >-\n          Residence for victims of smuggling or human trafficking\n",
                        "      - source: cl-sermig\n        lines: \"1\"\n", 1)
    path.write_text(text, encoding="utf-8")
    use = next(u for u in load(project).passages if u.owner == "quiz.criteria.residencia-en-chile")
    assert use.passage.lines == "1" and use.passage.quote is None


@pytest.mark.parametrize("file, old, new, field, words", [
    ("procedures/shared.yml", "      - source: es-hoja-38\n        quote: >-\n          En el plazo de un mes",
     "      - quote: >-\n          En el plazo de un mes", "steps[0].passages[0]", "needs source"),
    ("procedures/quiz.yml", "      - source: cl-sermig\n        quote: >-\n          Residence for",
     "      - source: cl-sernig\n        quote: >-\n          Residence for", "criteria[2].passages[0].source", "refers to source 'cl-sernig'"),
    (GUIDE, "        - quote: >-\n            en el plazo máximo de cuarenta y ocho horas\n", "        - source: es-hoja-38\n",
     "steps[0].time_limit.passages[0]", "needs a quote"),
    (GUIDE, "        - quote: >-\n            en el plazo máximo de cuarenta y ocho horas\n", "        - lines: 50-45\n",
     "steps[0].time_limit.passages[0]", "from the first line to the last"),
])
def test_broken_passages_are_reported_where_they_are_written(project, file, old, new, field, words):
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    start = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = problems(project)
    assert any(p.startswith(f"{file}:{start}: {field}") and words in p for p in found), found


def test_the_check_can_leave_passages_to_the_changes_report(project):
    path = project / GUIDE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("que será de al menos noventa días,", "que será de noventa días,", 1), encoding="utf-8")
    content = load(project, check_passages=False)
    found = passage_problems(content.passages, content.source_texts, content.sources)
    assert [p.field for p in found] == ["steps[1].passages[0].quote"]
