"""Deploy gate: refuse to promote a revision while a gated SLO's error budget is spent.

Reads select_slo_budget_fraction (remaining budget, 1 = untouched, <= 0 = spent) for every SLO
annotated slo.predictor.dev/deploy-gate: "true", from the Cloud Monitoring API with the standard
library and PyYAML only (the deploy job installs nothing else: requirements/gate.txt).
Token: GOOGLE_OAUTH_ACCESS_TOKEN (the deploy job sets it from `gcloud auth print-access-token`).
Exit 0 = deploy, 1 = budget spent, 2 = cannot tell: no such SLO, no data, no permission, no answer.
It fails closed, because a gate that passes when it cannot read the budget disables the freeze
for good the day an SLO is renamed. SLO_GATE_OVERRIDE=true turns 1 and 2 into 0 and says so: the
error-budget policy's explicit escape hatch for a fix that must ship (docs/slo.md, "Policy").
Run it as `python -m slokit.budget_gate` with slo/ on the path (`./task slo:budget-gate`).
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from slokit import model, paths

API = "https://monitoring.googleapis.com/v3"
LOOKBACK = timedelta(hours=1)
OK, SPENT, UNKNOWN = 0, 1, 2

Fetch = Callable[[str, dict[str, str]], tuple[int, dict[str, Any]]]


@dataclass(frozen=True)
class Reading:
    slo: str
    status: int
    remaining: float | None
    message: str


def slo_resource(project: str, service: str, slo: str) -> str:
    return f"projects/{project}/services/{service}/serviceLevelObjectives/{slo}"


def budget_url(project: str, resource: str, now: datetime) -> str:
    query = {
        "filter": f'select_slo_budget_fraction("{resource}")',
        "interval.startTime": _rfc3339(now - LOOKBACK),
        "interval.endTime": _rfc3339(now),
    }
    return f"{API}/projects/{project}/timeSeries?{urllib.parse.urlencode(query)}"


def read(slo: str, status: int, body: dict[str, Any]) -> Reading:
    """Interpret one timeSeries.list answer (status code and JSON body)."""
    if status == 404:
        return Reading(slo, UNKNOWN, None, "no such SLO in Cloud Monitoring (renamed, or Terraform not applied yet)")
    if status != 200:
        detail = body.get("error", {}).get("message", "no detail")
        return Reading(slo, UNKNOWN, None, f"Cloud Monitoring answered {status}: {detail}")
    points = [p for series in body.get("timeSeries", []) for p in series.get("points", [])]
    if not points:
        return Reading(slo, UNKNOWN, None, "no budget data in the last hour (no traffic, or no metrics)")
    latest = max(points, key=lambda p: p["interval"]["endTime"])
    remaining = float(latest["value"]["doubleValue"])
    if remaining <= 0:
        return Reading(slo, SPENT, remaining, f"error budget spent ({remaining:.1%} left)")
    return Reading(slo, OK, remaining, f"{remaining:.1%} of the error budget left")


def gate(readings: list[Reading], override: bool) -> tuple[int, list[str]]:
    """The exit status and the lines to print for a set of readings."""
    status = max((r.status for r in readings), default=OK)
    lines = [f"{r.slo}: {r.message}" for r in readings]
    if status == OK:
        return OK, [*lines, "deploy allowed"]
    if override:
        return OK, [*lines, "SLO_GATE_OVERRIDE=true: deploying anyway (record why in the PR)"]
    verdict = "budget spent" if status == SPENT else "cannot read the budget"
    return status, [*lines, f"deploy refused: {verdict}; set SLO_GATE_OVERRIDE=true to override"]


def main(folder: Path, fetch: Fetch | None = None, now: datetime | None = None) -> int:
    project, token = os.environ.get("GCP_PROJECT_ID", ""), os.environ.get("GOOGLE_OAUTH_ACCESS_TOKEN", "")
    if not (project and token):
        print("GCP_PROJECT_ID and GOOGLE_OAUTH_ACCESS_TOKEN must both be set", file=sys.stderr)
        return UNKNOWN
    catalog = model.load(folder)
    fetch = fetch or _fetch
    moment = now or datetime.now(UTC)
    readings = []
    for slo in (s for s in catalog.slos if s.deploy_gate):
        resource = slo_resource(project, catalog.service, slo.name)
        try:
            status, body = fetch(budget_url(project, resource, moment), {"Authorization": f"Bearer {token}"})
        except (OSError, ValueError) as error:
            status, body = 0, {"error": {"message": str(error)}}
        readings.append(read(slo.name, status, body))
    code, lines = gate(readings, os.environ.get("SLO_GATE_OVERRIDE", "").lower() == "true")
    print("\n".join(lines), file=sys.stderr if code else sys.stdout)
    return code


def _fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    if not url.startswith(API):
        raise ValueError(f"refusing to call {url}: not the Cloud Monitoring API")
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (checked above)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


if __name__ == "__main__":
    sys.exit(main(paths.OPENSLO_DIR))
