"""/metrics through prometheus_client: our merged store as a custom Collector, plus each worker's
process metrics from prometheus_client's own ProcessCollector, labelled by pid.

Imported at the first scrape (telemetry/__init__.py), not at start-up: prometheus_client's
exposition module brings http.server, urllib and wsgiref, which a start serving no scrape yet
does not need (`./task bench:startup`).
"""

from collections.abc import Callable, Iterable
from itertools import accumulate

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

from predictor.telemetry.metrics import BOUNDS, COUNTERS, DURATION, DURATION_LABELS, SEPARATOR, Gauge, MetricsStore

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # the format Prometheus 2.x scrapes natively
_LE = [*(floatToGoString(bound) for bound in BOUNDS), "+Inf"]  # type: ignore[no-untyped-call]


class StoreCollector(Collector):
    """Request durations and counters of every worker (merged at each scrape), and the fixed gauges."""

    def __init__(self, store: MetricsStore, gauges: Callable[[], Iterable[Gauge]]) -> None:
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
        yield from map(_family, self.gauges())


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


class Exposition:
    """The text of /metrics for one worker's store, rendered by prometheus_client."""

    def __init__(self, store: MetricsStore, gauges: Callable[[], Iterable[Gauge]]) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(StoreCollector(store, gauges))
        self.registry.register(WorkerProcesses(store.worker_pids))

    def __call__(self) -> bytes:
        return generate_latest(self.registry)


def _family(gauge: Gauge) -> Metric:
    family = GaugeMetricFamily(gauge.name, gauge.help_text, labels=gauge.labels)
    for label_values, value in gauge.samples:
        family.add_metric(label_values, value)
    return family
