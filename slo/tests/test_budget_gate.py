"""The deploy gate on recorded Cloud Monitoring answers (no network)."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from slokit import budget_gate, paths

FIXTURES = Path(__file__).parent / "fixtures" / "budget"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def _recorded(name: str, status: int, calls: list):
    def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict]:
        calls.append((url, headers))
        return status, json.loads((FIXTURES / f"{name}.json").read_text())

    return fetch


@pytest.fixture(autouse=True)
def env(monkeypatch):
    monkeypatch.setenv("GCP_PROJECT_ID", "predictor-prod")
    monkeypatch.setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "test-token")
    monkeypatch.delenv("SLO_GATE_OVERRIDE", raising=False)


CASES = [
    ("healthy", 200, 0, "81.2% of the error budget left"),
    ("spent", 200, 1, "error budget spent (-4.2% left)"),
    ("no-data", 200, 2, "no budget data in the last hour"),
    ("not-found", 404, 2, "no such SLO in Cloud Monitoring"),
    ("permission-denied", 403, 2, "Cloud Monitoring answered 403: Permission monitoring.timeSeries.list"),
]


@pytest.mark.parametrize(("fixture", "status", "code", "says"), CASES, ids=[c[0] for c in CASES])
def test_gate_decides_from_the_latest_budget_point(fixture, status, code, says, capsys):
    calls = []
    assert budget_gate.main(paths.OPENSLO_DIR, _recorded(fixture, status, calls), NOW) == code
    out = capsys.readouterr()
    assert says in out.out + out.err
    assert len(calls) == 1, "only the availability SLO gates deploys"


def test_the_query_names_the_slo_from_the_openslo_files():
    calls = []
    budget_gate.main(paths.OPENSLO_DIR, _recorded("healthy", 200, calls), NOW)
    url, headers = calls[0]
    query = parse_qs(urlparse(url).query)
    assert url.startswith("https://monitoring.googleapis.com/v3/projects/predictor-prod/timeSeries?")
    assert query["filter"] == [
        'select_slo_budget_fraction("projects/predictor-prod/services/predictor/'
        'serviceLevelObjectives/api-availability")'
    ]
    assert query["interval.endTime"] == ["2026-11-26T10:00:00Z"]
    assert query["interval.startTime"] == ["2026-11-26T09:00:00Z"]
    assert headers == {"Authorization": "Bearer test-token"}


@pytest.mark.parametrize(("fixture", "status"), [("spent", 200), ("permission-denied", 403), ("not-found", 404)])
def test_override_lets_the_deploy_through_and_says_so(fixture, status, monkeypatch, capsys):
    monkeypatch.setenv("SLO_GATE_OVERRIDE", "true")
    assert budget_gate.main(paths.OPENSLO_DIR, _recorded(fixture, status, []), NOW) == 0
    assert "SLO_GATE_OVERRIDE=true: deploying anyway" in capsys.readouterr().out


@pytest.mark.parametrize("variable", ["GCP_PROJECT_ID", "GOOGLE_OAUTH_ACCESS_TOKEN"])
def test_missing_project_or_token_fails_closed(monkeypatch, variable):
    monkeypatch.delenv(variable)
    calls = []
    assert budget_gate.main(paths.OPENSLO_DIR, _recorded("healthy", 200, calls), NOW) == 2
    assert calls == []


def test_a_network_error_fails_closed(capsys):
    def broken(url, headers):
        raise OSError("connection refused")

    assert budget_gate.main(paths.OPENSLO_DIR, broken, NOW) == 2
    assert "connection refused" in capsys.readouterr().err


def test_only_the_monitoring_api_is_called():
    with pytest.raises(ValueError, match="not the Cloud Monitoring API"):
        budget_gate._fetch("http://127.0.0.1:1/", {})


def test_the_gate_needs_nothing_but_the_standard_library_and_pyyaml():
    """The deploy job installs requirements/gate.txt alone: PyYAML, hashed, nothing else."""
    probe = (
        "import importlib, json, sys; before = set(sys.modules); importlib.import_module('slokit.budget_gate'); "
        "new = {m.split('.')[0] for m in set(sys.modules) - before if getattr(sys.modules[m], '__file__', None)}; "
        "print(json.dumps(sorted(new - set(sys.stdlib_module_names))))"
    )
    env = {**os.environ, "PYTHONPATH": str(paths.REPO / "slo")}
    loaded = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert set(json.loads(loaded.stdout)) <= {"slokit", "yaml", "_yaml"}
    locked = (paths.REPO / "requirements" / "gate.txt").read_text()
    assert [line.split("==")[0] for line in locked.splitlines() if "==" in line] == ["pyyaml"]
    assert "--hash=sha256:" in locked


def test_the_gate_runs_as_a_module_and_fails_closed_without_a_project():
    env = {k: v for k, v in os.environ.items() if k != "GCP_PROJECT_ID"} | {"PYTHONPATH": str(paths.REPO / "slo")}
    done = subprocess.run([sys.executable, "-m", "slokit.budget_gate"], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert "GCP_PROJECT_ID and GOOGLE_OAUTH_ACCESS_TOKEN must both be set" in done.stderr
