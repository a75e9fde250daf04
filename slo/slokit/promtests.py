"""promtool unit tests for every generated alert, built from the SLI queries themselves.

One file per alert, four cases over synthetic traffic of EVENTS requests per sample step:
fires just above its burn rate; silent just below it; silent when only the long window is
breached (the problem stopped); silent when only the short window is (a short blip).
Series are synthesised by reading the label matchers back from the SLI queries, so a changed
query still gets matching data. Expected ratios are compared as round(x * EVENTS) because
promtool 2.42 compares floats exactly. Samples and evaluations are STEPS_PER_SHORT_WINDOW per
short window: with a 1-minute step the 3-day test alone runs for minutes. That works because
the alerts share a rule group with the SLI recordings they read (see promrules).
"""

import re
from pathlib import Path
from typing import Any

from slokit import durations, promrules, selectors
from slokit.model import Alert, Slo

EVENTS = 100_000  # requests per step; ratios resolve to 1e-5, exact after round()
STEPS_PER_SHORT_WINDOW = 5
MARGIN = 0.01  # "just above/below" the threshold: 1% of the threshold error ratio
# Values for labels a query constrains only by a negative or regex matcher (contract labels).
SAMPLE_VALUES = {"http_response_status_code": ("200", "422", "500", "503")}


def test_file(slo: Slo, alert: Alert, rule_file: Path, test_path: Path) -> dict[str, Any]:
    """The promtool test file for one alert (rule path relative to the test file)."""
    if rule_file.parent.parent != test_path.parent.parent:
        raise ValueError("rules/ and tests/ must be sibling folders")
    relative = Path("..") / rule_file.parent.name / rule_file.name
    step = durations.prom(alert.short_seconds // STEPS_PER_SHORT_WINDOW)
    return {
        "rule_files": [str(relative)],
        "evaluation_interval": step,
        "tests": _cases(slo, alert, _SeriesMaker(slo), step),
    }


def _cases(slo: Slo, alert: Alert, series: "_SeriesMaker", step: str) -> list[dict[str, Any]]:
    limit = alert.burn_rate * slo.error_budget  # error ratio at the threshold
    above, below = _bad_count(limit * (1 + MARGIN)), _bad_count(limit * (1 - MARGIN))
    if not below / EVENTS < limit < above / EVENTS:
        raise ValueError(f"{alert.policy}: cannot place test data around ratio {limit}")
    high = _bad_count(min(1.0, 2 * limit))
    step_s = alert.short_seconds // STEPS_PER_SHORT_WINDOW
    long_n, short_n = alert.long_seconds // step_s, STEPS_PER_SHORT_WINDOW
    name, sel = promrules.alert_name(slo, alert), promrules.matcher(slo)
    fired = [
        {
            "exp_labels": {**promrules.ids(slo), **promrules.alert_labels(slo, alert)},
            "exp_annotations": promrules.alert_annotations(slo, alert),
        }
    ]

    def case(title: str, phases: list[tuple[int, int]], alerts: list[Any], checks: list[Any]) -> dict[str, Any]:
        at = durations.prom(sum(n for n, _ in phases) * step_s)
        return {
            "name": f"{name}: {title}",
            "interval": step,
            "input_series": series.make(phases),
            "alert_rule_test": [{"eval_time": at, "alertname": name, "exp_alerts": alerts}],
            "promql_expr_test": [
                {"expr": expr, "eval_time": at, "exp_samples": [{"labels": "{}", "value": value}]}
                for expr, value in checks
            ],
        }

    def ratio(window: str) -> str:
        return f"slo:sli_error:ratio_rate{window}{sel}"

    bound = promrules.alert_threshold(slo, alert)
    return [
        case(
            f"fires at {above / EVENTS:g} errors ({1 + MARGIN:g}x the threshold)",
            [(long_n, above)],
            fired,
            [(f"round(sum({ratio(alert.long)}) * {EVENTS})", above)],
        ),
        case(
            f"silent at {below / EVENTS:g} errors ({1 - MARGIN:g}x the threshold)",
            [(long_n, below)],
            [],
            [(f"round(sum({ratio(alert.short)}) * {EVENTS})", below)],
        ),
        case(
            "silent once the problem stopped (only the long window breached)",
            [(long_n, high), (2 * short_n, 0)],
            [],
            [(f"sum({ratio(alert.long)}) > bool {bound}", 1), (f"sum({ratio(alert.short)}) > bool {bound}", 0)],
        ),
        case(
            "silent on a short blip (only the short window breached)",
            [(long_n, 0), (2 * short_n, high)],
            [],
            [(f"sum({ratio(alert.long)}) > bool {bound}", 0), (f"sum({ratio(alert.short)}) > bool {bound}", 1)],
        ),
    ]


def _bad_count(ratio: float) -> int:
    return round(ratio * EVENTS)


class _SeriesMaker:
    """Label sets for good and bad events that the SLO's own queries select (or not)."""

    def __init__(self, slo: Slo) -> None:
        self.good = selectors.parse(slo.good_query)
        self.total = selectors.parse(slo.total_query)
        base = {m.label: v for m in self.total.matchers if (v := _pick(m)) is not None}
        if self.good.metric == self.total.metric:
            candidates = [{**base, **c} for c in _variants(self.good, base)]
            self.good_labels = self._first(candidates, good=True)
            self.other_labels = self._first(candidates, good=False)
        else:  # histogram: good = a bucket series, total = the count series
            self.good_labels = {**base, **{m.label: m.value for m in self.good.matchers if m.op == "="}}
            self.other_labels = base

    def _first(self, candidates: list[dict[str, str]], good: bool) -> dict[str, str]:
        for labels in candidates:
            if self.total.matches(self.total.metric, labels) and self.good.matches(self.good.metric, labels) == good:
                return labels
        raise ValueError(
            f"no sample labels give a {'good' if good else 'bad'} event for {self.good.metric}; extend SAMPLE_VALUES"
        )

    def make(self, phases: list[tuple[int, int]]) -> list[dict[str, str]]:
        """Cumulative counters for phases of (steps, bad events per step)."""
        bad = _counter([(m, b) for m, b in phases])
        if self.good.metric == self.total.metric:
            good = _counter([(m, EVENTS - b) for m, b in phases])
            return [
                _series(self.good.metric, self.good_labels, good),
                _series(self.total.metric, self.other_labels, bad),
            ]
        good = _counter([(m, EVENTS - b) for m, b in phases])
        total = _counter([(m, EVENTS) for m, _ in phases])
        return [_series(self.good.metric, self.good_labels, good), _series(self.total.metric, self.other_labels, total)]


def _pick(matcher: selectors.Matcher) -> str | None:
    """A concrete value an = or =~ matcher accepts (a literal alternative of the regex)."""
    if matcher.op == "=":
        return matcher.value
    if matcher.op == "=~":
        options = matcher.value.split("|")
        return next((o for o in options if re.fullmatch(r"[\w/.:-]+", o) and re.fullmatch(matcher.value, o)), None)
    return None


def _variants(good: selectors.Selector, base: dict[str, str]) -> list[dict[str, str]]:
    free = [m.label for m in good.matchers if m.label not in base]
    variants: list[dict[str, str]] = [{}]
    for label in dict.fromkeys(free):
        variants = [{**v, label: value} for v in variants for value in SAMPLE_VALUES.get(label, ())]
    return variants


def _counter(phases: list[tuple[int, int]]) -> str:
    """promtool expanding notation for a counter growing by `step` per sample in each phase."""
    parts, value = [], 0
    for index, (samples, step) in enumerate(phases):
        start = value if index == 0 else value + step
        count = samples if index == 0 else samples - 1
        parts.append(f"{start}+{step}x{count}")
        value = start + step * count
    return " ".join(parts)


def _series(metric: str, labels: dict[str, str], values: str) -> dict[str, str]:
    inner = ",".join(f'{k}="{v}"' for k, v in labels.items())
    return {"series": f"{metric}{{{inner}}}", "values": values}
