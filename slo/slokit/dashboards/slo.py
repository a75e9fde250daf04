"""The SLO dashboard: per SLO, SLI against objective, budget left, burn rate per alert window."""

from typing import Any

from grafana_foundation_sdk.builders import dashboard as dash_builders

from slokit import promrules
from slokit.dashboards import panels
from slokit.model import Catalog, Slo

UID = "predictor-slos"


def build(catalog: Catalog) -> dash_builders.Dashboard:
    board = (
        dash_builders.Dashboard(f"{catalog.service_display_name}: SLOs")
        .uid(UID)
        .tags(["slo", catalog.service, "generated"])
        .time("now-7d", "now")
        .refresh("1m")
        .description("Generated from slo/openslo by ./task slo:generate. DO NOT EDIT.")
    )
    for slo in catalog.slos:
        board = board.with_row(dash_builders.Row(f"{slo.display_name} ({slo.name})"))
        for panel in _panels(slo):
            board = board.with_panel(panel)
    return board


def _panels(slo: Slo) -> list[Any]:
    sel = promrules.matcher(slo)
    period = f"{slo.period_days}d"

    def burn(window: str) -> str:
        budget = f"slo:error_budget:ratio{sel}"
        return f"slo:sli_error:ratio_rate{window}{sel} / on (sloth_id) group_left {budget}"

    found = [
        panels.single(
            f"SLI over {period}", f"1 - slo:sli_error:ratio_rate{period}{sel}", "percentunit", red_below=slo.target
        ),
        panels.single("Objective", f"slo:objective:ratio{sel}", "percentunit"),
        panels.single(
            f"Error budget left ({period})", f"slo:period_error_budget_remaining:ratio{sel}", "percentunit", red_below=0
        ),
        panels.single("Burn rate now (5m)", f"slo:current_burn_rate:ratio{sel}", "none"),
        panels.series(
            "SLI against the objective",
            [
                (f"1 - slo:sli_error:ratio_rate5m{sel}", "SLI (5m)"),
                (f"1 - slo:sli_error:ratio_rate1h{sel}", "SLI (1h)"),
                (f"slo:objective:ratio{sel}", "objective"),
            ],
            "percentunit",
        ),
        panels.series(
            f"Error budget left over the rolling {period}",
            [(f"slo:period_error_budget_remaining:ratio{sel}", "budget left")],
            "percentunit",
            lines=[0],
        ),
    ]
    for alert in slo.alerts:
        found.append(
            panels.series(
                f"Burn rate, {slo.name} {alert.policy} ({alert.long} and {alert.short}, "
                f"alert above {alert.burn_rate:g})",
                [(burn(alert.long), alert.long), (burn(alert.short), alert.short)],
                "none",
                width=6,
                lines=[alert.burn_rate],
                description=f"Alert {promrules.alert_name(slo, alert)} fires when both lines are above "
                f"the dashed threshold.",
            )
        )
    return found
