"""Debian's Prometheus with the repo's generated SLO rules, scraping the service for a whole run,
then read back as the generated Grafana SLO dashboard would show it.

Scrape and rule evaluation run every second (the repo config says 15 s, made for days, not a
4-minute run); the rules, windows and alerts are exactly the promtool-tested ones. Afterwards
every panel of platform/observability/grafana/dashboards/slo.json is queried over the run, and
which alerts fired comes from Prometheus's own ALERTS series, not from recomputing the rules.
"""

import contextlib
import json
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from slokit import localprom, paths

from harness.server import free_port

DASHBOARD = paths.DASHBOARDS_DIR / "slo.json"
INTERVAL = "1s"
SETTLE_S = 3.0  # after the last request: a scrape and a rule evaluation see it


@contextlib.contextmanager
def running(targets: list[str], folder: Path) -> Iterator[str]:
    """Prometheus on a free 127.0.0.1 port scraping `targets` (host:port); yields its URL."""
    listen = f"127.0.0.1:{free_port()}"
    config = localprom.render_config(targets, INTERVAL, INTERVAL)
    with tempfile.TemporaryDirectory(prefix="loadtest-prometheus-") as data:
        process = localprom.start(config, listen, Path(data), folder / "prometheus.log")
        try:
            localprom.wait_ready(listen, process)
            yield f"http://{listen}"
        finally:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)
            if process.poll() is None:
                process.kill()


def _get(prometheus: str, path: str, **params: str) -> dict[str, Any]:
    url = f"{prometheus}{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own 127.0.0.1 server)
        answer: dict[str, Any] = json.load(response)
    if answer["status"] != "success":
        raise RuntimeError(f"Prometheus refused {params}: {answer}")
    data: dict[str, Any] = answer["data"]
    return data


def query_range(prometheus: str, expr: str, start: float, end: float) -> list[dict[str, Any]]:
    """[{"metric": labels, "values": [[t, "v"], ...]}, ...] at one-second steps."""
    found: list[dict[str, Any]] = _get(
        prometheus, "/api/v1/query_range", query=expr, start=f"{start:.3f}", end=f"{end:.3f}", step="1"
    )["result"]
    return found


def _panels(dashboard: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(row title, panel) for every stat and time-series panel, in dashboard order."""
    row = ""
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            row = panel["title"]
        elif panel["type"] in ("stat", "timeseries"):
            yield row, panel


def _thresholds(panel: dict[str, Any]) -> list[float]:
    steps = panel.get("fieldConfig", {}).get("defaults", {}).get("thresholds", {}).get("steps", [])
    return [s["value"] for s in steps if s.get("value") is not None]


def read_dashboard(prometheus: str, start: float, end: float) -> dict[str, Any]:
    """Every SLO dashboard panel and every firing alert over [start, end] (epoch seconds)."""
    time.sleep(SETTLE_S)
    panels = []
    for row, panel in _panels(json.loads(DASHBOARD.read_text())):
        lines = []
        for target in panel.get("targets", []):
            for result in query_range(prometheus, target["expr"], start, end):
                legend = target.get("legendFormat", "")
                values = [[float(t) - start, float(v)] for t, v in result["values"]]
                lines.append({"legend": "" if legend == "__auto" else legend, "values": values})
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "none")
        panels.append(
            {
                "row": row,
                "title": panel["title"],
                "type": panel["type"],
                "unit": unit,
                "thresholds": _thresholds(panel),
                "lines": lines,
            }
        )
    alerts = [
        {**result["metric"], "firing_s": [float(t) - start for t, _ in result["values"]]}
        for result in query_range(prometheus, 'ALERTS{alertstate="firing"}', start, end)
    ]
    return {"start": start, "end": end, "panels": panels, "alerts": alerts}
