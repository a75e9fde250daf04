"""Dashboards are structurally sound for Grafana and every expression is valid PromQL.

Grafana cannot run here; the live test (test_live_prometheus.py) also evaluates each expression.
"""

import json
import subprocess

import pytest
import yaml
from slokit import paths


def dashboard_files():
    return sorted(paths.DASHBOARDS_DIR.glob("*.json"))


def test_both_dashboards_are_generated_with_unique_panel_ids():
    names = {p.name for p in dashboard_files()}
    assert names == {"slo.json", "overview.json"}
    for path in dashboard_files():
        board = json.loads(path.read_text())
        assert board["uid"] and board["title"] and board["schemaVersion"] >= 39
        ids = [p["id"] for p in board["panels"] if "id" in p]
        assert len(ids) == len(set(ids)), path
        for panel in board["panels"]:
            assert panel["type"] in {"row", "timeseries", "stat", "heatmap"}, panel["type"]
            if panel["type"] != "row":
                assert panel["datasource"] == {"type": "prometheus", "uid": "prometheus"}
                assert panel["targets"], panel["title"]


def test_dashboards_use_the_provisioned_datasource():
    provisioning = paths.OBSERVABILITY / "grafana" / "provisioning" / "datasources" / "datasources.yaml"
    uids = {d["uid"] for d in yaml.safe_load(provisioning.read_text())["datasources"]}
    assert "prometheus" in uids


def test_burn_rate_panels_draw_each_alert_threshold(catalog):
    board = json.loads((paths.DASHBOARDS_DIR / "slo.json").read_text())
    lines = {}
    for panel in board["panels"]:
        if panel["title"].startswith("Burn rate, "):
            steps = panel["fieldConfig"]["defaults"]["thresholds"]["steps"]
            lines[panel["title"]] = [s["value"] for s in steps if s["value"] is not None]
            assert panel["fieldConfig"]["defaults"]["custom"]["thresholdsStyle"]["mode"] == "dashed"
    expected = sorted(a.burn_rate for s in catalog.slos for a in s.alerts)
    assert sorted(v for values in lines.values() for v in values) == expected


def test_overview_covers_traffic_errors_latency_predictions_and_saturation(dashboard_expressions):
    exprs = " ".join(dashboard_expressions)
    for needle in (
        "http_server_request_duration_seconds_count",
        "histogram_quantile(0.99",
        "predictor_predictions_total",
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "process_open_fds",
        '"class", "${1}xx"',
        "predictor_inputs_total",
        "predictor_model_delay_share_band",
    ):
        assert needle in exprs, needle


@pytest.mark.integration
def test_every_dashboard_expression_parses(require_tool, tmp_path, dashboard_expressions):
    """promtool parses each expression as a recording rule (the live test evaluates them)."""
    promtool = require_tool("promtool")
    exprs = dashboard_expressions
    rules = {
        "groups": [
            {"name": "dashboards", "rules": [{"record": f"dashboard:expr{i}", "expr": e} for i, e in enumerate(exprs)]}
        ]
    }
    path = tmp_path / "dashboard.rules.yml"
    path.write_text(yaml.safe_dump(rules))
    result = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(exprs)} rules found" in result.stdout
