"""The one PromQL shape SLI queries may take: sum(rate(<selector>[{{.window}}])).

Keeping the shape fixed lets the generator read the metric and label matchers back, which the
promtool tests need to synthesise matching series and the GCP backend needs for the latency
threshold (the le matcher).
"""

import re
from dataclasses import dataclass

from slokit.conventions import LABEL_MATCHER, QUERY_SHAPE

WINDOW = "{{.window}}"
SHAPE = "sum(rate(<metric>{<label matchers>}[{{.window}}]))"


@dataclass(frozen=True)
class Matcher:
    label: str
    op: str
    value: str

    def matches(self, labels: dict[str, str]) -> bool:
        actual = labels.get(self.label, "")
        if self.op == "=":
            return actual == self.value
        if self.op == "!=":
            return actual != self.value
        found = re.fullmatch(self.value, actual) is not None
        return found if self.op == "=~" else not found


@dataclass(frozen=True)
class Selector:
    metric: str
    matchers: tuple[Matcher, ...]

    def matches(self, metric: str, labels: dict[str, str]) -> bool:
        return metric == self.metric and all(m.matches(labels) for m in self.matchers)

    def value_of(self, label: str) -> str | None:
        """The value of an equality matcher on label, if there is one."""
        return next((m.value for m in self.matchers if m.label == label and m.op == "="), None)


def parse(query: str) -> Selector:
    """The selector inside an SLI query; ValueError naming the expected shape otherwise."""
    match = QUERY_SHAPE.fullmatch(query.strip())
    if not match:
        raise ValueError(f"query must have the shape {SHAPE}")
    metric, inside = match.groups()
    matchers = []
    for part in _split(inside):
        found = LABEL_MATCHER.fullmatch(part)
        if not found:
            raise ValueError(f"cannot read the label matcher {part.strip()!r}")
        matchers.append(Matcher(found[1], found[2], found[3].replace('\\"', '"')))
    return Selector(metric, tuple(matchers))


def _split(matchers: str) -> list[str]:
    """Split on commas outside quoted values."""
    parts, current, quoted = [], "", False
    for char in matchers:
        if char == '"' and not current.endswith("\\"):
            quoted = not quoted
        if char == "," and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p for p in [*parts, current] if p.strip()]


def render(query: str, window: str) -> str:
    """The query for one Prometheus range, e.g. window "5m"."""
    return query.strip().replace(WINDOW, window)
