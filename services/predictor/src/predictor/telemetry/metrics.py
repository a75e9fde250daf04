"""Request metrics kept per worker in plain Python, shared across worker processes through files.

Each worker aggregates in plain objects (an observation is a bisect and two additions) and
writes a cumulative snapshot of them to PREDICTOR_METRICS_DIR once a second, off the request
path. A scrape, answered by any worker, first writes that worker's own snapshot, then sums
every worker's latest snapshot. Each file only ever grows, and the answering worker's is the
newest, so the sum never goes backwards between scrapes and N requests show as exactly N once
every worker has written. Names follow the OpenTelemetry HTTP semantic conventions as
Prometheus exports them.
"""

import os
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec

# Seconds. Includes the latency SLO threshold (0.05 s, slo/) and finer buckets for a fast service.
BOUNDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
DURATION = "http_server_request_duration_seconds"
DURATION_LABELS = ("http_request_method", "http_route", "http_response_status_code")
# Counters by name (Prometheus adds _total): help text and label names.
COUNTERS = {
    "predictor_predictions": (
        "Predictions served, by predicted class and model version.",
        ("predicted_class", "model_version"),
    ),
    "predictor_inputs": ("Rows predicted, by input domain: one_hot (a possible flight) or off_domain.", ("domain",)),
    "predictor_auth_rejections": (
        "Requests refused by in-app authorization, by status.",
        ("http_response_status_code",),
    ),
    "predictor_auth_jwks_refreshes": ("Successful JWKS fetches.", ()),
    "predictor_auth_jwks_refresh_failures": ("Failed JWKS fetches (verification went on with cached keys).", ()),
}
SEPARATOR = "\x1f"  # between a counter's name and its label values in a snapshot key


@dataclass(frozen=True)
class Gauge:
    """A fixed gauge family (what the model is): one value per set of label values."""

    name: str
    help_text: str
    labels: Sequence[str]
    samples: Sequence[tuple[Sequence[str], float]]


class Histogram:
    """Non-cumulative bucket counts (the last one is +Inf) and the sum, for one label set."""

    __slots__ = ("counts", "sum")

    def __init__(self) -> None:
        self.counts = [0] * (len(BOUNDS) + 1)
        self.sum = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(BOUNDS, seconds)] += 1  # bucket i holds BOUNDS[i-1] < x <= BOUNDS[i]
        self.sum += seconds


class Snapshot(msgspec.Struct):
    """One worker's cumulative values: what it writes to disk and what a scrape adds up."""

    durations: dict[str, list[float]] = {}  # "method|route|status" -> counts + [sum]
    counters: dict[str, int] = {}  # SEPARATOR.join((name, *label values)) -> count


class MetricsStore:
    """This worker's metrics. `duration()` returns the pre-bound histogram for a label set."""

    def __init__(self, share_dir: Path | None) -> None:
        self.durations: dict[tuple[str, str, int], Histogram] = {}
        self.counters: dict[str, int] = {}
        self.share_dir = share_dir
        self.pid = os.getpid()

    def duration(self, method: str, route: str, status: int) -> Histogram:
        key = (method, route, status)
        histogram = self.durations.get(key)
        if histogram is None:
            histogram = self.durations[key] = Histogram()
        return histogram

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        (self.durations.get((method, route, status)) or self.duration(method, route, status)).observe(seconds)

    def count(self, key: str, amount: int = 1) -> None:
        """Add to a counter series; `key` comes from counter_key()."""
        self.counters[key] = self.counters.get(key, 0) + amount

    def increment(self, *keys: str) -> None:
        """Add one to each of these counter series, in one call (a single row's class and domain)."""
        counters = self.counters
        for key in keys:
            counters[key] = counters.get(key, 0) + 1

    def snapshot(self) -> Snapshot:
        return Snapshot(
            durations={f"{m}|{r}|{s}": [*h.counts, h.sum] for (m, r, s), h in self.durations.items()},
            counters=dict(self.counters),
        )

    def publish(self) -> None:
        """Write this worker's snapshot for the others to read (atomic rename, never half a file)."""
        if self.share_dir is None:
            return
        target = self.share_dir / f"worker-{self.pid}.json"
        partial = target.with_suffix(".tmp")
        partial.write_bytes(msgspec.json.encode(self.snapshot()))
        partial.replace(target)

    def merged(self) -> Snapshot:
        """Every worker's latest snapshot summed, this worker's written first so that it is the newest."""
        if self.share_dir is None:
            return self.snapshot()
        self.publish()
        total = Snapshot(durations={}, counters={})
        for path in self.share_dir.glob("worker-*.json"):
            _add(total, msgspec.json.decode(path.read_bytes(), type=Snapshot))
        return total

    def worker_pids(self) -> list[int]:
        pids = {self.pid}
        for path in self.share_dir.glob("worker-*.json") if self.share_dir else ():
            pids.add(int(path.stem.removeprefix("worker-")))
        return sorted(pids)


def counter_key(name: str, *label_values: str) -> str:
    return SEPARATOR.join((name, *label_values))


def _add(total: Snapshot, other: Snapshot) -> None:
    for key, values in other.durations.items():
        mine = total.durations.setdefault(key, [0] * len(values))
        total.durations[key] = [a + b for a, b in zip(mine, values, strict=True)]
    for series, count in other.counters.items():
        total.counters[series] = total.counters.get(series, 0) + count
