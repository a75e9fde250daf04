"""The validated SLO catalog every backend is generated from, and its normalized JSON view.

The normalized view is what Terraform's modules/openslo computes from the same files; a test
compares the two, so no target, window or threshold is interpreted twice in different ways.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slokit import durations, selectors, validate
from slokit.conventions import CLOUD_RUN_SLI, DEPLOY_GATE, GCP_MAX_LOOKBACK_SECONDS, SHORT_WINDOW
from slokit.documents import Document


class InvalidSpec(Exception):
    """The folder has validation problems; str() lists them one per line."""

    def __init__(self, problems: list[validate.Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Alert:
    policy: str
    display_name: str
    severity: str
    burn_rate: float
    long_seconds: int
    short_seconds: int
    notification_targets: tuple[str, ...]

    @property
    def long(self) -> str:
        return durations.prom(self.long_seconds)

    @property
    def short(self) -> str:
        return durations.prom(self.short_seconds)

    @property
    def gcp_supported(self) -> bool:
        return self.long_seconds <= GCP_MAX_LOOKBACK_SECONDS


@dataclass(frozen=True)
class Slo:
    name: str
    display_name: str
    description: str
    service: str
    target: float
    period_days: int
    sli_kind: str
    good_query: str
    total_query: str
    deploy_gate: bool
    alerts: tuple[Alert, ...]

    @property
    def error_budget(self) -> float:
        """1 - target without float noise (0.001, not 0.0010000000000000009)."""
        return round(1 - self.target, 12)

    @property
    def sloth_id(self) -> str:
        return f"{self.service}-{self.name}"

    @property
    def windows(self) -> list[int]:
        """Every alert window in seconds, short and long, ascending and unique."""
        return sorted({s for a in self.alerts for s in (a.short_seconds, a.long_seconds)})


@dataclass(frozen=True)
class Catalog:
    service: str
    service_display_name: str
    slos: tuple[Slo, ...]


def load(folder: Path) -> Catalog:
    """Validate the folder and build the catalog; InvalidSpec if anything is wrong."""
    docs, problems = validate.load_and_validate(folder)
    if problems:
        raise InvalidSpec(problems)
    index = {(d.kind, d.name): d for d in docs}
    service = next(d for (kind, _), d in index.items() if kind == "Service")
    slos = [_slo(d, index) for (kind, _), d in sorted(index.items()) if kind == "SLO"]
    return Catalog(service.name, _display(service), tuple(slos))


def _display(doc: Document) -> str:
    return str(doc.body["metadata"].get("displayName") or doc.name)


def _slo(doc: Document, index: dict[tuple[str, str], Document]) -> Slo:
    spec = doc.body["spec"]
    sli = index[("SLI", spec["indicatorRef"])]
    ratio = sli.body["spec"]["ratioMetric"]
    objective = spec["objectives"][0]
    target = objective["target"] if "target" in objective else objective["targetPercent"] / 100
    annotations = doc.body["metadata"].get("annotations") or {}
    return Slo(
        name=doc.name,
        display_name=_display(doc),
        description=str(spec.get("description", "")),
        service=spec["service"],
        target=float(target),
        period_days=durations.to_seconds(spec["timeWindow"][0]["duration"]) // 86400,
        sli_kind=sli.body["metadata"]["annotations"][CLOUD_RUN_SLI],
        good_query=ratio["good"]["metricSource"]["spec"]["query"].strip(),
        total_query=ratio["total"]["metricSource"]["spec"]["query"].strip(),
        deploy_gate=annotations.get(DEPLOY_GATE) == "true",
        alerts=tuple(
            _alert(index[("AlertPolicy", ref["alertPolicyRef"])], index) for ref in spec.get("alertPolicies", [])
        ),
    )


def _alert(policy: Document, index: dict[tuple[str, str], Document]) -> Alert:
    condition = index[("AlertCondition", policy.body["spec"]["conditions"][0]["conditionRef"])]
    spec = condition.body["spec"]
    return Alert(
        policy=policy.name,
        display_name=_display(policy),
        severity=spec["severity"],
        burn_rate=float(spec["condition"]["threshold"]),
        long_seconds=durations.to_seconds(spec["condition"]["lookbackWindow"]),
        short_seconds=durations.to_seconds(condition.body["metadata"]["annotations"][SHORT_WINDOW]),
        notification_targets=tuple(t["targetRef"] for t in policy.body["spec"]["notificationTargets"]),
    )


def normalized(catalog: Catalog) -> dict[str, Any]:
    """The backend-neutral view; must equal output "normalized" of modules/openslo."""
    return {
        "service": {"name": catalog.service, "display_name": catalog.service_display_name},
        "slos": {slo.name: _normalized_slo(slo) for slo in catalog.slos},
    }


def _normalized_slo(slo: Slo) -> dict[str, Any]:
    return {
        "display_name": slo.display_name,
        "service": slo.service,
        "target": slo.target,
        "period_days": slo.period_days,
        "sli_kind": slo.sli_kind,
        "good": _selector(slo.good_query),
        "total": _selector(slo.total_query),
        "deploy_gate": slo.deploy_gate,
        "alerts": {
            a.policy: {
                "display_name": a.display_name,
                "severity": a.severity,
                "burn_rate": a.burn_rate,
                "long_window_seconds": a.long_seconds,
                "short_window_seconds": a.short_seconds,
                "notification_targets": list(a.notification_targets),
                "gcp_supported": a.gcp_supported,
            }
            for a in slo.alerts
        },
    }


def _selector(query: str) -> dict[str, Any]:
    """The metric and label matchers a query counts: Cloud Monitoring's filters are built from them."""
    parsed = selectors.parse(query)
    matchers = [{"label": m.label, "op": m.op, "value": m.value} for m in parsed.matchers]
    return {"metric": parsed.metric, "matchers": matchers}
