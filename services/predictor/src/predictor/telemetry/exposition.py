"""The Prometheus text format (version 0.0.4) for /metrics."""

import os
from itertools import accumulate
from pathlib import Path

from predictor.telemetry.metrics import BOUNDS, COUNTERS, DURATION, GAUGES, MODEL_INFO, MetricsStore

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")
_LE = [*(f"{b:g}" for b in BOUNDS), "+Inf"]


def render(store: MetricsStore) -> str:
    snapshot = store.merged()
    lines = [
        f"# HELP {DURATION} Duration of HTTP server requests (OpenTelemetry http.server.request.duration).",
        f"# TYPE {DURATION} histogram",
    ]
    for key in sorted(snapshot.durations):
        method, route, status = key.split("|")
        *counts, total = snapshot.durations[key]
        labels = f'http_request_method="{method}",http_route="{_escape(route)}",http_response_status_code="{status}"'
        for le, cumulative in zip(_LE, accumulate(counts), strict=True):
            lines.append(f'{DURATION}_bucket{{{labels},le="{le}"}} {cumulative:g}')
        lines.append(f"{DURATION}_sum{{{labels}}} {total!r}")
        lines.append(f"{DURATION}_count{{{labels}}} {sum(counts):g}")
    for name, help_text in COUNTERS.items():
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} counter"]
        lines += [f"{series} {n}" for series, n in sorted(snapshot.counters.items()) if series.startswith(name + "{")]
    if store.model_info:
        labels = ",".join(f'{name}="{_escape(value)}"' for name, value in sorted(store.model_info.items()))
        lines += [
            f"# HELP {MODEL_INFO} The model being served.",
            f"# TYPE {MODEL_INFO} gauge",
            f"{MODEL_INFO}{{{labels}}} 1",
        ]
    for name, help_text in GAUGES.items():
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
        lines += [f"{series} {value!r}" for series, value in sorted(store.gauges.items()) if series.startswith(name)]
    lines += _process_lines(store.worker_pids())
    return "\n".join(lines) + "\n"


def _process_lines(pids: list[int]) -> list[str]:
    """CPU, memory and open files of every live worker (saturation signals), labelled by pid."""
    samples: dict[str, list[str]] = {"cpu": [], "rss": [], "fds": []}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            rss_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            fds = len(os.listdir(f"/proc/{pid}/fd"))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue  # a worker that has gone away
        samples["cpu"].append(
            f'process_cpu_seconds_total{{pid="{pid}"}} {(int(fields[11]) + int(fields[12])) / _TICKS}'
        )
        samples["rss"].append(f'process_resident_memory_bytes{{pid="{pid}"}} {rss_pages * _PAGE}')
        samples["fds"].append(f'process_open_fds{{pid="{pid}"}} {fds}')
    return [
        "# HELP process_cpu_seconds_total CPU time of each worker process.",
        "# TYPE process_cpu_seconds_total counter",
        *samples["cpu"],
        "# HELP process_resident_memory_bytes Resident memory of each worker process.",
        "# TYPE process_resident_memory_bytes gauge",
        *samples["rss"],
        "# HELP process_open_fds Open file descriptors of each worker process.",
        "# TYPE process_open_fds gauge",
        *samples["fds"],
    ]


def label_value(value: str) -> str:
    """A label value as the text format needs it."""
    return _escape(value)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
