"""PNG figures of a run, one per phase, each titled with its phase and tool.

Inputs are plain series prepared by harness.report (per-second rows, capacity steps, the SLO
dashboard as Prometheus answered it, anchor medians); nothing here reads tool output.
"""

import csv
import itertools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import ticker
from matplotlib.patches import Rectangle

PERCENTILES = ("50", "90", "99")
PHASE_COLOURS = {"drill": "tab:purple", "challenge": "tab:blue", "capacity": "tab:orange", "mix": "tab:green"}


def _log_axis(axis: Any, set_scale: Callable[..., Any]) -> None:
    """Log scale with plain numbers (2, 5, 10, 20 ms) instead of powers of ten."""
    set_scale("log")
    axis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(ticker.NullFormatter())


def _save(fig: Any, out: Path) -> Path:
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


def _latency_panel(
    ax: Any, rows: list[dict[str, Any]], limit_ms: float, title: str, unit: str = "ms from the due time"
) -> None:
    """Percentiles of each second's requests, drawn at the middle of their second."""
    for p in PERCENTILES:
        ax.plot([r["t"] + 0.5 for r in rows], [r[f"p{p}"] for r in rows], label=f"p{p}", marker=".")
    ax.axhline(limit_ms, color="red", linestyle="--", label=f"latency SLO threshold {limit_ms:g} ms")
    _log_axis(ax.yaxis, ax.set_yscale)
    ax.set(title=title, xlabel="seconds since the phase started", ylabel=unit)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")


def _answers_panel(ax: Any, rows: list[dict[str, Any]], also: float = 0.0) -> None:
    """Answers of each second as a bar over [t, t + 1): correct ones, errors stacked on top; room
    above the bars (and `also`) for the legend."""
    seconds, ok = [r["t"] for r in rows], [r["ok"] for r in rows]
    ax.bar(seconds, ok, width=0.9, align="edge", label="answered correctly")
    ax.bar(seconds, [r["bad"] for r in rows], width=0.9, align="edge", bottom=ok, color="red", label="errors")
    ax.set_ylim(0, max([r["ok"] + r["bad"] for r in rows] + [also, 1]) * 1.3)


def challenge(
    out: Path,
    rows: list[dict[str, Any]],
    probe: list[dict[str, Any]],
    whole: dict[str, Any],
    required_rps: float,
    limit_ms: float,
    title: str,
) -> Path:
    """Answers per second (wrk) over the required rate; latency per second (probe) under the SLO."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True)
    _answers_panel(top, rows, required_rps)
    top.axhline(required_rps, color="black", linestyle="--", label=f"challenge's average: {required_rps:,.0f} req/s")
    top.set(title=title, xlabel="seconds since the phase started", ylabel="requests answered per second")
    top.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    top.grid(alpha=0.3, axis="y")
    top.legend(loc="upper center", ncol=3, fontsize="small")
    title = "Latency per second: the probe's requests, queued with wrk's, from when they were sent"
    _latency_panel(bottom, probe, limit_ms, title, "ms from the send time")
    bottom.plot([r["t"] + 0.5 for r in probe], [r["p99_due"] for r in probe], color="tab:green", linestyle=":",
                linewidth=1, label="p99 from the due time (adds the probe's own lateness)")  # fmt: skip
    for name, style in (("p50", ":"), ("p99", "-.")):
        bottom.axhline(whole[name], color="grey", linestyle=style, label=f"wrk whole run {name} {whole[name]:.1f} ms")
    bottom.legend(loc="upper left", fontsize="small")
    return _save(fig, out)


def capacity(out: Path, steps: list[dict[str, Any]], knee_rate: float | None, limit_ms: float, title: str) -> Path:
    """The knee: p50 and p99 from the due time against the offered rate, and what was completed."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    offered = [s["rate"] for s in steps]
    for key, style in (("p50", "o-"), ("p99", "s-")):
        left.plot(offered, [s[key] for s in steps], style, label=key)
    left.axhline(limit_ms, color="red", linestyle="--", label=f"latency SLO threshold {limit_ms:g} ms")
    if knee_rate:
        left.axvline(knee_rate, color="green", linestyle=":", label=f"capacity at SLO {knee_rate:,.0f} req/s")
    _log_axis(left.yaxis, left.set_yscale)
    left.set(title="Latency from the due time", xlabel="offered rate (req/s)", ylabel="ms")
    right.plot(offered, offered, color="grey", linestyle="--", label="offered")
    right.plot(offered, [s["completed"] for s in steps], "o-", label="answered correctly per second")
    right.set(title="Offered against answered", xlabel="offered rate (req/s)", ylabel="req/s")
    for ax in (left, right):
        ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize="small")
    right.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    fig.suptitle(title)
    return _save(fig, out)


def drill(out: Path, rows: list[dict[str, Any]], window: tuple[float, float], limit_ms: float, title: str) -> Path:
    """The drill from the client's side: errors per second and latency, the fault window shaded."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
    _answers_panel(top, rows)
    top.set(title=title, xlabel="seconds since the phase started (by due time)", ylabel="requests per second")
    _latency_panel(bottom, rows, limit_ms, "Latency per second, from the due time")
    for ax in (top, bottom):
        ax.axvspan(*window, color="red", alpha=0.1, label="fault window")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize="small")
    return _save(fig, out)


def slo(
    out: Path,
    panels: list[dict[str, Any]],
    spans: dict[str, tuple[float, float]],
    firing: dict[str, list[float]],
    title: str,
) -> Path:
    """One SLO's dashboard panels over the run, phases shaded, an alert's firing seconds marked."""
    cols = 2
    fig, axes = plt.subplots(
        math.ceil(len(panels) / cols), cols, figsize=(12, 2.9 * math.ceil(len(panels) / cols)), squeeze=False
    )
    for ax, panel in itertools.zip_longest(axes.flat, panels):
        if panel is None:
            ax.axis("off")
            continue
        for name, (start, end) in spans.items():
            ax.axvspan(start, end, color=PHASE_COLOURS.get(name, "grey"), alpha=0.07)
        for line in panel["lines"]:
            ax.plot([t for t, _ in line["values"]], [v for _, v in line["values"]], label=line["legend"] or "value")
        for value in panel["thresholds"]:
            ax.axhline(value, color="red", linestyle="--", linewidth=1)
            ax.annotate(f"{value:g}", (1, value), xycoords=("axes fraction", "data"), color="red", fontsize="x-small")
        for n, (start, end) in enumerate(_spans(firing.get(panel["title"], []))):
            ax.axvspan(start, end, ymin=0.93, color="darkred", linewidth=0, label=None if n else "alert firing")
        if panel["unit"] == "percentunit":
            ax.yaxis.set_major_formatter(ticker.PercentFormatter(1.0))
        else:  # burn rates: from 0 to hundreds, thresholds from 1 to 14.4; room above for the strip
            ax.set_yscale("symlog", linthresh=1)
            values = [v for line in panel["lines"] for _, v in line["values"]] + panel["thresholds"]
            ax.set_ylim(0, max([*values, 1]) * 4)
            ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_title(panel["title"], fontsize="small")
        ax.set_xlabel("seconds since the run started", fontsize="small")
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize="x-small")
    handles = [Rectangle((0, 0), 1, 1, color=PHASE_COLOURS.get(n, "grey"), alpha=0.2) for n in spans]
    fig.legend(handles, list(spans), loc="lower center", ncol=len(spans), fontsize="small", title="phases")
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


def _spans(seconds: list[float]) -> list[tuple[float, float]]:
    """Consecutive seconds as (start, end) spans."""
    spans: list[tuple[float, float]] = []
    for second in sorted(seconds):
        if spans and second <= spans[-1][1]:
            spans[-1] = (spans[-1][0], second + 1)
        else:
            spans.append((second, second + 1))
    return spans


def anchors(out: Path, rows: list[dict[str, Any]], title: str) -> Path:
    """Median throughput of each anchor, with its ratio to the reference app."""
    fig, ax = plt.subplots(figsize=(12, 3.6))
    names = [r["title"] for r in rows]
    bars = ax.barh(names, [r["throughput"] for r in rows], color=["tab:grey"] * (len(rows) - 1) + ["tab:blue"])
    for bar, row in zip(bars, rows, strict=True):
        label = f" {row['throughput']:,.0f} req/s ({row['ratio_to_reference']:.1f}x the reference)"
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, label, va="center", fontsize="small")
    ax.invert_yaxis()
    ax.set_xlim(0, max(r["throughput"] for r in rows) * 1.6)
    ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    ax.set(title=title, xlabel="requests per second, median of the rounds")
    ax.grid(alpha=0.3, axis="x")
    return _save(fig, out)


def _number(text: str) -> float:
    """Locust writes 'N/A' or 0 for percentiles of a window without requests."""
    try:
        return float(text)
    except ValueError:
        return math.nan


def locust_history(path: Path) -> list[dict[str, Any]]:
    """Per-second throughput from Locust's cumulative count, percentiles as Locust windows them."""
    with path.open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["Name"] == "Aggregated"]
    series = []
    start = int(rows[0]["Timestamp"]) if rows else 0
    for before, row in itertools.pairwise(rows):
        seconds = int(row["Timestamp"]) - int(before["Timestamp"])
        if seconds <= 0 or not _number(row["50%"]) > 0:
            continue
        done = int(row["Total Request Count"]) - int(before["Total Request Count"])
        entry = {"t": int(row["Timestamp"]) - start, "rps": done / seconds}
        series.append(entry | {f"p{p}": _number(row[f"{p}%"]) for p in PERCENTILES})
    return series


def mix(out: Path, rows: list[dict[str, Any]], title: str) -> Path:
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6))
    top.plot([r["t"] for r in rows], [r["rps"] for r in rows], label="requests per second")
    top.set(title=title, xlabel="seconds since the phase started", ylabel="requests per second")
    top.set_ylim(0, max([r["rps"] for r in rows] + [1]) * 1.2)
    top.grid(alpha=0.3)
    for p in PERCENTILES:
        bottom.plot([r["t"] for r in rows], [r[f"p{p}"] for r in rows], label=f"p{p}")
    _log_axis(bottom.yaxis, bottom.set_yscale)
    bottom.set(
        title="Latency as Locust reports it (over a 10 s window)", xlabel="seconds since the phase started", ylabel="ms"
    )
    bottom.grid(alpha=0.3)
    bottom.legend(loc="upper left", fontsize="small")
    return _save(fig, out)
