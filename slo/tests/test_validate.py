"""The validator names the file, the path in the document and the problem."""

from pathlib import Path

import pytest
from slokit import paths, validate


def test_the_repo_slos_are_valid():
    assert validate.validate_dir(paths.OPENSLO_DIR) == []


def _find(folder: Path, file: str, path: str) -> validate.Problem:
    """The problem reported for file and path (knock-on problems elsewhere may follow)."""
    problems = validate.validate_dir(folder)
    found = [p for p in problems if (p.file.name, p.path) == (file, path)]
    assert len(found) == 1, "\n".join(map(str, problems))
    return found[0]


BREAKS = [
    ("service-predictor.yaml", "kind: Service", "kind: Servce", "kind", "unknown kind 'Servce'"),
    (
        "slo-api-availability.yaml",
        "target: 0.999",
        "target: 1.5",
        "spec.objectives.0.target",
        "strictly between 0 and 1",
    ),
    (
        "slo-api-availability.yaml",
        "target: 0.999",
        "targetPercent: 0",
        "spec.objectives.0.targetPercent",
        "strictly between 0 and 1",
    ),
    (
        "slo-api-latency.yaml",
        "indicatorRef: api-latency",
        "indicatorRef: api-latenc",
        "spec.indicatorRef",
        "refers to SLI 'api-latenc', which no file in the folder defines",
    ),
    (
        "alertpolicy-page-fast-burn.yaml",
        "targetRef: on-call-pager",
        "targetRef: pager",
        "spec.notificationTargets.0.targetRef",
        "refers to AlertNotificationTarget 'pager'",
    ),
    (
        "slo-api-availability.yaml",
        "duration: 30d",
        "duration: 31d",
        "spec.timeWindow.0.duration",
        "GCP rolling periods are 1 to 30 whole days",
    ),
    ("slo-api-availability.yaml", "duration: 30d", "duration: 1M", "spec.timeWindow.0.duration", "has no fixed length"),
    (
        "slo-api-availability.yaml",
        "isRolling: true",
        "isRolling: false",
        "spec.timeWindow.0.isRolling",
        "calendar windows are not supported",
    ),
    ("slo-api-availability.yaml", "  budgetingMethod: Occurrences\n", "", "spec.budgetingMethod", "is missing"),
    (
        "alertcondition-page-fast-burn.yaml",
        "short-lookback-window: 5m",
        "short-lookback-window: 10m",
        "metadata.annotations.slo.predictor.dev/short-lookback-window",
        "must be 1/12 of lookbackWindow",
    ),
    (
        "alertcondition-page-fast-burn.yaml",
        "lookbackWindow: 1h",
        "lookbackWindow: 1h30s",
        "spec.condition.lookbackWindow",
        "is not a duration",
    ),
    ("sli-api-latency.yaml", ',le="0.05"', "", "spec.ratioMetric.good.metricSource.spec.query", "needs an le="),
    (
        "sli-api-availability.yaml",
        "sum(rate(http_server_request_duration_seconds_count{job",
        "rate(http_server_request_duration_seconds_count{job",
        "spec.ratioMetric.good.metricSource.spec.query",
        "query must have the shape",
    ),
    (
        "sli-api-latency.yaml",
        "prometheus\n        type: Prometheus\n        spec:\n          query: sum(rate(http_server"
        "_request_duration_seconds_count",
        "prom\n        type: Prometheus\n        spec:\n          query: sum(rate(http_server"
        "_request_duration_seconds_count",
        "spec.ratioMetric.total.metricSource.metricSourceRef",
        "refers to DataSource 'prom'",
    ),
    (
        "alertcondition-page-fast-burn.yaml",
        "threshold: 14.4",
        "threshold: fast",
        "spec.condition.threshold",
        "must be a number, not str",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "path", "message"), BREAKS, ids=[f"{b[0]}:{b[3]}" for b in BREAKS])
def test_each_break_is_reported_with_file_path_and_reason(openslo_copy, edit, file, old, new, path, message):
    edit(openslo_copy, file, old, new)
    problem = _find(openslo_copy, file, path)
    assert message in problem.message
    assert str(problem).startswith(f"{openslo_copy / file}: {path}: ")


def test_an_alert_that_can_never_fire_is_rejected(openslo_copy, edit):
    edit(openslo_copy, "slo-api-latency.yaml", "target: 0.99", "target: 0.9")
    problems = validate.validate_dir(openslo_copy)
    assert {p.path for p in problems} == {"spec.alertPolicies.0"}
    assert "can never fire" in problems[0].message


def test_a_file_with_two_documents_is_rejected(openslo_copy):
    path = openslo_copy / "target-team-tickets.yaml"
    path.write_text(path.read_text() + "---\n" + path.read_text())
    problem = _find(openslo_copy, "target-team-tickets.yaml", "(file)")
    assert "Terraform reads one per file" in problem.message


def test_a_duplicate_name_is_rejected(openslo_copy):
    (openslo_copy / "copy.yaml").write_text((openslo_copy / "target-team-tickets.yaml").read_text())
    problem = _find(openslo_copy, "target-team-tickets.yaml", "metadata.name")
    assert "also defined in copy.yaml" in problem.message


def test_the_cli_prints_problems_and_fails(openslo_copy, edit, capsys):
    from slokit.__main__ import main

    edit(openslo_copy, "slo-api-availability.yaml", "target: 0.999", "target: 1")
    assert main(["--openslo-dir", str(openslo_copy), "validate"]) == 1
    assert "slo-api-availability.yaml: spec.objectives.0.target:" in capsys.readouterr().err
