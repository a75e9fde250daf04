"""Prometheus recording and alerting rules, named and labelled as Sloth names them.

Sloth's public Grafana dashboards (14348, 14643) read slo:* rules and sloth_* labels, so they
work on these rules unchanged. Two deliberate differences from Sloth, both documented in
docs/slo.md: the 30-day SLI is request-weighted (Sloth averages 5-minute ratios), and there is
one alert per OpenSLO AlertPolicy (Sloth merges them into one page and one ticket alert), so
Prometheus and Cloud Monitoring have the same alerts. And the alerts follow the SLI recordings in
the same rule group: rules in a group run in order at one timestamp, so an alert always reads
the SLI of this evaluation, never a sample one interval old (or none, once the interval exceeds
the 5-minute lookback, as in the coarse-step promtool tests).
"""

from typing import Any

from slokit import durations, selectors
from slokit.model import Alert, Slo

SPEC = "openslo/v1"


def ids(slo: Slo) -> dict[str, str]:
    """The labels every rule of one SLO carries, and which select it."""
    return {"sloth_id": slo.sloth_id, "sloth_service": slo.service, "sloth_slo": slo.name}


def matcher(slo: Slo) -> str:
    return "{" + ", ".join(f'{k}="{v}"' for k, v in ids(slo).items()) + "}"


def sli_error_expr(slo: Slo, window: str) -> str:
    good = selectors.render(slo.good_query, window)
    total = selectors.render(slo.total_query, window)
    return f"1 - (\n  {good}\n  /\n  {total}\n)\n"


def alert_name(slo: Slo, alert: Alert) -> str:
    return "".join(part.capitalize() for part in f"{slo.name}-{alert.policy}".split("-"))


def alert_threshold(slo: Slo, alert: Alert) -> str:
    return f"({alert.burn_rate:g} * {slo.error_budget:g})"


def alert_labels(slo: Slo, alert: Alert) -> dict[str, str]:
    return {
        "severity": alert.severity,
        "sloth_severity": alert.severity,
        "alert_policy": alert.policy,
        "notification_targets": ",".join(alert.notification_targets),
    }


def alert_annotations(slo: Slo, alert: Alert) -> dict[str, str]:
    spent = alert.burn_rate * alert.long_seconds / (slo.period_days * 86400)
    return {
        "title": f"({alert.severity}) {slo.service} {slo.name} SLO error budget burn rate is too fast.",
        "summary": (
            f"{slo.display_name}: error ratio above {alert.burn_rate:g}x the budget over the last "
            f"{alert.long} and {alert.short}; {spent:.0%} of the {slo.period_days}-day budget "
            f"is spent in {alert.long} at this rate."
        ),
        "runbook": f"docs/runbook.md#{slo.name.removeprefix('api-')}-burn",
    }


def rule_file(slo: Slo) -> dict[str, Any]:
    """The rule file for one SLO: SLI recordings, metadata recordings, alerts."""
    return {"groups": [_sli_and_alert_group(slo), _meta_group(slo)]}


def _sli_and_alert_group(slo: Slo) -> dict[str, Any]:
    windows = [durations.prom(s) for s in slo.windows] + [f"{slo.period_days}d"]
    return {
        "name": f"slo-{slo.sloth_id}-sli-and-alerts",
        "rules": _alerts(
            slo,
            before=[
                {
                    "record": f"slo:sli_error:ratio_rate{w}",
                    "expr": sli_error_expr(slo, w),
                    "labels": {**ids(slo), "sloth_window": w},
                }
                for w in dict.fromkeys(windows)
            ],
        ),
    }


def _meta_group(slo: Slo) -> dict[str, Any]:
    sel, on = matcher(slo), "on (sloth_id, sloth_slo, sloth_service) group_left"
    period = f"{slo.period_days}d"
    records = [
        ("slo:objective:ratio", f"vector({slo.target:g})"),
        ("slo:error_budget:ratio", f"vector({slo.error_budget:g})"),
        ("slo:time_period:days", f"vector({slo.period_days})"),
        ("slo:current_burn_rate:ratio", f"slo:sli_error:ratio_rate5m{sel}\n/ {on}\nslo:error_budget:ratio{sel}\n"),
        ("slo:period_burn_rate:ratio", f"slo:sli_error:ratio_rate{period}{sel}\n/ {on}\nslo:error_budget:ratio{sel}\n"),
        ("slo:period_error_budget_remaining:ratio", f"1 - slo:period_burn_rate:ratio{sel}"),
    ]
    info = {"sloth_objective": f"{slo.target * 100:g}", "sloth_spec": SPEC}
    return {
        "name": f"slo-{slo.sloth_id}-meta",
        "rules": [{"record": r, "expr": e, "labels": ids(slo)} for r, e in records]
        + [{"record": "sloth_slo_info", "expr": "vector(1)", "labels": {**ids(slo), **info}}],
    }


def _alerts(slo: Slo, before: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return before + [
        {
            "alert": alert_name(slo, a),
            "expr": _alert_expr(slo, a),
            "labels": alert_labels(slo, a),
            "annotations": alert_annotations(slo, a),
        }
        for a in slo.alerts
    ]


def _alert_expr(slo: Slo, alert: Alert) -> str:
    threshold = alert_threshold(slo, alert)
    short, long = (
        f"max without (sloth_window) (slo:sli_error:ratio_rate{w}{matcher(slo)} > {threshold})"
        for w in (alert.short, alert.long)
    )
    return f"(\n  {short}\n  and\n  {long}\n)\n"
