"""Fixtures of the SLO toolkit's tests (slo/ is on pytest's pythonpath, see pyproject.toml)."""

import json
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


# Values for Grafana's built-in variables, so dashboard PromQL can run against Prometheus directly.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h"}


@pytest.fixture(scope="session")
def dashboard_expressions() -> list[str]:
    """Every PromQL expression of the generated dashboards (rows included), ready for Prometheus."""
    found = []
    for path in sorted(paths.DASHBOARDS_DIR.glob("*.json")):
        for panel in json.loads(path.read_text(encoding="utf-8")).get("panels", []):
            for inner in [panel, *panel.get("panels", [])]:
                found += [t["expr"] for t in inner.get("targets", []) if t.get("expr")]
    for variable, value in GRAFANA_VARIABLES.items():
        found = [expr.replace(variable, value) for expr in found]
    return found
