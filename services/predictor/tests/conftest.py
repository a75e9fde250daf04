"""Fixtures for the predictor's tests: an in-process client, and copies of the bundled model."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from predictor.app import create_app
from predictor.artifacts import BUNDLED_DIR
from predictor.settings import load_settings


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """The whole ASGI app in-process, with its lifespan (model verified and loaded)."""
    with TestClient(create_app(load_settings({}))) as test_client:
        yield test_client


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled model folder, for tampering with."""
    return Path(shutil.copytree(BUNDLED_DIR, tmp_path / "model"))
