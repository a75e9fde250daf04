"""Fixtures of the SLO toolkit's tests (slo/ is on pytest's pythonpath, see pyproject.toml)."""

import shutil
from pathlib import Path

import pytest
from slokit import model, paths


@pytest.fixture(scope="session")
def catalog() -> model.Catalog:
    return model.load(paths.OPENSLO_DIR)


@pytest.fixture
def openslo_copy(tmp_path: Path) -> Path:
    """A scratch copy of slo/openslo to break or change."""
    target = tmp_path / "openslo"
    shutil.copytree(paths.OPENSLO_DIR, target)
    return target


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new))


@pytest.fixture
def edit():
    """edit(folder, file, old, new): replace text in one OpenSLO file (old must be there)."""
    return _edit
