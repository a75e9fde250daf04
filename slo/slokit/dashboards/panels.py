"""Small builders shared by the dashboards, so each panel reads as title + queries + unit."""

import json
from typing import TypeVar

from grafana_foundation_sdk.builders import common as common_builders
from grafana_foundation_sdk.builders import dashboard as dash_builders
from grafana_foundation_sdk.builders import heatmap, prometheus, stat, timeseries
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import common, dashboard
from grafana_foundation_sdk.models import prometheus as prometheus_models

DATASOURCE = dashboard.DataSourceRef(type_val="prometheus", uid="prometheus")


def query(expr: str, legend: str = "", ref: str = "A") -> prometheus.Dataquery:
    return prometheus.Dataquery().expr(expr).legend_format(legend or "__auto").ref_id(ref).datasource(DATASOURCE)


Panel = TypeVar("Panel", timeseries.Panel, stat.Panel)


def _with_queries(panel: Panel, queries: list[tuple[str, str]]) -> Panel:
    for index, (expr, legend) in enumerate(queries):
        panel = panel.with_target(query(expr, legend, chr(ord("A") + index)))
    return panel.datasource(DATASOURCE)


def series(
    title: str,
    queries: list[tuple[str, str]],
    unit: str,
    width: int = 12,
    lines: list[float] | None = None,
    description: str = "",
) -> timeseries.Panel:
    """A time series; lines draws dashed threshold lines (e.g. burn-rate alert thresholds)."""
    panel = timeseries.Panel().title(title).description(description).unit(unit).span(width).height(8).fill_opacity(10)
    if lines:
        steps = [dashboard.Threshold(value=None, color="green")]
        steps += [dashboard.Threshold(value=v, color="red") for v in sorted(lines)]
        panel = panel.thresholds(
            dash_builders.ThresholdsConfig().mode(dashboard.ThresholdsMode.ABSOLUTE).steps(steps)
        ).thresholds_style(common_builders.GraphThresholdsStyleConfig().mode(common.GraphThresholdsStyleMode.DASHED))
    return _with_queries(panel, queries)


def single(
    title: str, expr: str, unit: str, width: int = 6, minimum: float | None = None, red_below: float | None = None
) -> stat.Panel:
    """A stat showing the latest value; red below red_below (e.g. the objective)."""
    panel = stat.Panel().title(title).unit(unit).span(width).height(5).decimals(3)
    if minimum is not None:
        panel = panel.min(minimum)
    if red_below is not None:
        steps = [dashboard.Threshold(value=None, color="red"), dashboard.Threshold(value=red_below, color="green")]
        panel = panel.thresholds(dash_builders.ThresholdsConfig().mode(dashboard.ThresholdsMode.ABSOLUTE).steps(steps))
    return _with_queries(panel, [(expr, "")])


def heat(title: str, expr: str, width: int = 12) -> heatmap.Panel:
    """A latency heatmap from pre-bucketed Prometheus histogram series."""
    panel = heatmap.Panel().title(title).span(width).height(8).calculate(False)
    panel = panel.with_target(query(expr, "{{le}}").format(prometheus_models.PromQueryFormat.HEATMAP))
    return panel.datasource(DATASOURCE)


def render(board: dash_builders.Dashboard) -> str:
    """Dashboard JSON with panel ids 1..n in layout order (the SDK leaves them unset)."""
    data = json.loads(json.dumps(board.build(), cls=JSONEncoder))
    for number, panel in enumerate(data.get("panels", []), start=1):
        panel["id"] = number
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
