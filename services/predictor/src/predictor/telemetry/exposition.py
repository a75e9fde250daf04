"""/metrics through prometheus_client: our merged store as a custom Collector, plus each worker's
process metrics from prometheus_client's own ProcessCollector, labelled by pid."""

import fcntl
import time
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from pathlib import Path

from prometheus_client import CollectorRegistry
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

from predictor.telemetry.metrics import BOUNDS, COUNTERS, DURATION, DURATION_LABELS, SEPARATOR, MetricsStore

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # the format Prometheus 2.x scrapes natively
_LE = [*(floatToGoString(bound) for bound in BOUNDS), "+Inf"]  # type: ignore[no-untyped-call]


class StoreCollector(Collector):
    """Request durations and counters of every worker (merged at each scrape), and the fixed gauges."""

    def __init__(self, store: MetricsStore, gauges: Callable[[], Iterable[Metric]]) -> None:
        self.store = store
        self.gauges = gauges

    def collect(self) -> Iterable[Metric]:
        snapshot = self.store.merged()
        duration = HistogramMetricFamily(
            DURATION,
            "Duration of HTTP server requests (OpenTelemetry http.server.request.duration).",
            labels=DURATION_LABELS,
        )
        for key in sorted(snapshot.durations):
            *counts, total = snapshot.durations[key]
            cumulative = [(le, count) for le, count in zip(_LE, accumulate(counts), strict=True)]
            duration.add_metric(key.split("|"), cumulative, total)
        yield duration
        for name, (help_text, labels) in COUNTERS.items():
            family = CounterMetricFamily(name, help_text, labels=labels)
            for series, count in sorted(snapshot.counters.items()):
                series_name, *values = series.split(SEPARATOR)
                if series_name == name:
                    family.add_metric(values, count)
            yield family
        yield from self.gauges()


class WorkerProcesses(Collector):
    """prometheus_client's process metrics (CPU, memory, open files...) for every live worker."""

    def __init__(self, pids: Callable[[], list[int]]) -> None:
        self.pids = pids
        self.collectors: dict[int, ProcessCollector] = {}

    def collect(self) -> Iterable[Metric]:
        families: dict[str, Metric] = {}
        for pid in self.pids():
            collector = self.collectors.get(pid) or self.collectors.setdefault(pid, _process_collector(pid))
            for family in collector.collect():  # nothing for a worker that has gone away
                merged = families.setdefault(family.name, Metric(family.name, family.documentation, family.type))
                for sample in family.samples:
                    merged.add_sample(sample.name, sample.labels | {"pid": str(pid)}, sample.value)
        yield from families.values()


def _process_collector(pid: int) -> ProcessCollector:
    return ProcessCollector(pid=lambda: pid, registry=None)


class SharedRender:
    """The last exposition, reused for `seconds` by every worker, so that a flood of scrapes costs
    one render per interval. Renders happen under a file lock in the workers' share folder, so the
    cached file always holds the newest merge and scrapes never go backwards, whichever worker
    answers. Without a share folder (in-process tests) or with 0 seconds, every scrape renders."""

    def __init__(self, folder: Path | None, seconds: float, render: Callable[[], bytes]) -> None:
        self.folder = folder if seconds > 0 else None
        self.seconds = seconds
        self.render = render

    def __call__(self) -> bytes:
        if self.folder is None:
            return self.render()
        cached = self.folder / "metrics.txt"
        with (self.folder / "metrics.lock").open("wb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if time.time() - cached.stat().st_mtime < self.seconds:
                    return cached.read_bytes()
            except FileNotFoundError:
                pass
            text = self.render()
            partial = cached.with_suffix(".tmp")
            partial.write_bytes(text)
            partial.replace(cached)
            return text


def registry(store: MetricsStore, gauges: Callable[[], Iterable[Metric]]) -> CollectorRegistry:
    metrics = CollectorRegistry(auto_describe=False)
    metrics.register(StoreCollector(store, gauges))
    metrics.register(WorkerProcesses(store.worker_pids))
    return metrics


def gauge(name: str, help_text: str, labels: Sequence[str], samples: Iterable[tuple[Sequence[str], float]]) -> Metric:
    """A gauge family with a sample per (label values, value)."""
    family = GaugeMetricFamily(name, help_text, labels=labels)
    for label_values, value in samples:
        family.add_metric(label_values, value)
    return family
