import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project to break on purpose: content, pages, theme and configuration."""
    for name in ("mkdocs.yml", "procedures", "docs", "overrides", "node_modules"):
        source = REPO / name
        if not source.exists():
            continue
        if name == "node_modules":
            (tmp_path / name).symlink_to(source)
        elif source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("guias", "__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path
