"""CONTRIBUTING.md's "Where things live" stays true: every file it names exists."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def where_things_live() -> list[list[str]]:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Where things live\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| to change")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]


def named_files(cell: str) -> list[str]:
    # `procedures/guides/<id>.yml` and `tests/test_*.py` name files by pattern: each must match one.
    # Not files: commands (`amparo quiz paths`), page addresses (`/guias/<id>/`), keys (`strings`).
    names = [name for name in re.findall(r"`([^`]+)`", cell)
             if " " not in name and not name.startswith("/") and ("/" in name or "." in name)]
    return [re.sub(r"<[^>]+>", "*", name) for name in names]


def test_every_row_names_files_that_exist():
    rows = where_things_live()
    assert len(rows) >= 10, "the table is gone or no longer parsed"
    for thing, files, note in rows:
        names = named_files(files)
        assert names, f"'{thing}' names no file"
        for name in names + named_files(note):
            assert list(REPO.glob(name)), f"'{thing}': {name} does not exist"


def test_the_table_says_where_each_kind_of_thing_lives():
    things = " ".join(row[0] for row in where_things_live())
    for kind in ("a fact", "a quiz rule", "a word", "a layout", "a translation", "a test"):
        assert kind in things, kind
