"""PNG plots of a run: throughput and latency percentiles over time, and a latency histogram.

Locust's stats history gives per-second throughput (from its cumulative request count) and
percentiles over its 10 s sliding window; the open-loop run gives requests sent and completed in
each second and the percentiles of the requests due in it. wrk reports totals only, so it appears
in the summary table, not here.
"""

import csv
import itertools
import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import ticker

PERCENTILES = ("50", "95", "99")


def _number(text: str) -> float:
    """Locust writes 'N/A' or 0 for percentiles of a window without requests."""
    try:
        return float(text)
    except ValueError:
        return 0.0


def _locust_history(path: Path) -> dict[str, list[float]]:
    """Per-second throughput from the cumulative count; percentiles as Locust windows them."""
    with path.open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["Name"] == "Aggregated"]
    series: dict[str, list[float]] = {"t": [], "rps": [], **{f"p{p}": [] for p in PERCENTILES}}
    start = int(rows[0]["Timestamp"]) if rows else 0
    for before, row in itertools.pairwise(rows):
        seconds = int(row["Timestamp"]) - int(before["Timestamp"])
        if seconds <= 0 or _number(row["50%"]) <= 0:
            continue
        series["t"].append(int(row["Timestamp"]) - start)
        series["rps"].append((int(row["Total Request Count"]) - int(before["Total Request Count"])) / seconds)
        for p in PERCENTILES:
            series[f"p{p}"].append(_number(row[f"{p}%"]))
    return series if series["t"] else {}


def _open_series(path: Path) -> dict:
    data = json.loads(path.read_text())
    # a last bucket past the run's end holds a straggler or two, not a real second of load
    rows = [r for r in data["per_second"] if r["t"] < data["duration_s"]]
    series = {"t": [r["t"] for r in rows], "rps": [r["completed"] for r in rows], "sent": [r["sent"] for r in rows]}
    series |= {f"p{p}": [math.nan if r[f"p{p}"] is None else r[f"p{p}"] for r in rows] for p in PERCENTILES}
    return {"series": series, "rate": data["intended_rate"], "histogram": data["histogram_ms"]}


def draw(folder: Path, p99_limit_ms: float) -> list[Path]:
    """Draw every plot the folder's raw files allow; return the PNGs written."""
    panels = []
    if (history := folder / "mix_stats_history.csv").exists() and (s := _locust_history(history)):
        panels.append(("Locust mixed traffic (percentiles over a 10 s window)", s, None))
    opened = _open_series(folder / "openloop.json") if (folder / "openloop.json").exists() else None
    if opened:
        title = f"Open model, {opened['rate']:g} req/s offered"
        panels.append((title, opened["series"], opened["rate"]))
    written = []
    if panels:
        written += [
            _over_time(folder / "throughput.png", panels, "rps", "requests/s", None),
            _over_time(folder / "latency.png", panels, "latency", "ms", p99_limit_ms),
        ]
    if opened:
        written.append(_histogram(folder / "histogram.png", opened["histogram"], p99_limit_ms))
    return written


def _log_axis(axis, set_scale) -> None:
    """Log scale with plain numbers (2, 5, 10, 20 ms) instead of powers of ten."""
    set_scale("log")
    axis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(ticker.NullFormatter())


def _over_time(out: Path, panels: list, what: str, unit: str, limit: float | None) -> Path:
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 3.2 * len(panels)), squeeze=False)
    for ax, (title, series, rate) in zip(axes[:, 0], panels, strict=True):
        if what == "rps":
            ax.plot(series["t"], series["rps"], label="completed")
            if "sent" in series:
                ax.plot(series["t"], series["sent"], label="sent", linestyle=":")
            ax.set_ylim(0, max(*series["rps"], rate or 0) * 1.15 or 1)
            if rate:
                ax.axhline(rate, color="grey", linestyle="--", label="intended")
        else:
            for p in PERCENTILES:
                ax.plot(series["t"], series[f"p{p}"], label=f"p{p}")
            ax.axhline(limit, color="red", linestyle="--", label=f"latency SLO bound {limit:g} ms")
            _log_axis(ax.yaxis, ax.set_yscale)
        ax.set_title(title)
        ax.set_xlabel("seconds since phase start")
        ax.set_ylabel(f"{unit} from due time" if rate and what != "rps" else unit)
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


def _histogram(out: Path, histogram: dict, limit: float) -> Path:
    edges, counts = histogram["edges"], histogram["counts"]
    fig, ax = plt.subplots(figsize=(9, 3.5))
    ax.stairs(counts, edges, fill=True, alpha=0.7)
    ax.axvline(limit, color="red", linestyle="--", label=f"latency SLO bound {limit:g} ms")
    _log_axis(ax.xaxis, ax.set_xscale)
    ax.set_title("Open-model latency histogram (from intended send time)")
    ax.set_xlabel("latency (ms, log scale)")
    ax.set_ylabel("requests")
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out
