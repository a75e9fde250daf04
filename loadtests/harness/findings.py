"""What a run folder says: every phase's figures, read from the raw tool outputs and run.json.

harness.report renders these; summary.json is `figures()`. Each phase that did not run is None.
"""

import dataclasses
import json
import math
import statistics
from pathlib import Path
from typing import Any

from slokit import promrules

from harness import anchors, capacity, challenge, drill, locustrun, objectives, paced, series, wrk
from harness import thresholds as judge
from harness.plots import PERCENTILES
from harness.thresholds import Check, Thresholds, evaluate


def _rows(
    seconds: dict[int, series.Second], origin_shift: float = 0.0, upto: float = math.inf, from_send: bool = False
) -> list[dict[str, Any]]:
    """Per-second rows for plots: t, ok, bad, and latency percentiles of paced runs, from the due time
    or (from_send) from the send time, with the p99 from the due time beside them."""
    rows = []
    for second, row in seconds.items():
        if second >= upto:
            continue
        histogram = row.from_send if from_send else row.latency
        entry = {"t": second + origin_shift, "ok": row.ok, "bad": row.bad}
        entry |= {f"p{p}": series.percentile_ms(histogram, float(p)) for p in PERCENTILES}
        rows.append(entry | {"p99_due": series.percentile_ms(row.latency, 99.0)})
    return rows


def _challenge(folder: Path, run: dict[str, Any], limits: Thresholds) -> dict[str, Any] | None:
    if not (folder / challenge.WRK_FILE).exists():
        return None
    text = (folder / challenge.WRK_FILE).read_text()
    data, result = wrk.summary(text), wrk.parse(text, "challenge")
    seconds = series.decode(data["series"])
    window = limits.max_duration_s
    in_window = sum(r.answered for s, r in seconds.items() if s < window)
    result = dataclasses.replace(result, extra={"answered_in_window": in_window})
    # the last second is partial: wrk stops a few milliseconds into it
    found = {"result": result, "rows": _rows(seconds, upto=math.floor(result.duration_s)), "probe": None}
    if (folder / challenge.PROBE_FILE).exists():
        probe_text = (folder / challenge.PROBE_FILE).read_text()
        params = run["parameters"]
        found["probe"] = paced.parse(probe_text, "probe", params["probe_rate"], params["duration"])
        shift = wrk.summary(probe_text)["origin"] - data["origin"]
        probe_seconds = series.decode(wrk.summary(probe_text)["series"])
        found["probe_rows"] = _rows(probe_seconds, shift, params["duration"], from_send=True)
    return found


def _capacity(folder: Path, run: dict[str, Any], limits: Thresholds) -> dict[str, Any] | None:
    params = run["parameters"]
    steps = capacity.load(folder, params.get("capacity_base", 0), params.get("step_duration", 0))
    if not steps:
        return None
    best = capacity.knee(steps, limits.p99_ms)
    table = [
        {
            "fraction": s.fraction,
            "rate": s.result.extra["intended_rate"],
            "completed": s.result.extra["completed_rate"],
            "p50": s.result.latency_ms["p50"],
            "p99": s.result.latency_ms["p99"],
            "mean_ms": s.result.latency_ms["mean"],
            "failures": s.result.failures,
            "within_slo": s.within(limits.p99_ms),
        }
        for s in steps
    ]
    knee = None
    if best:
        rate, mean_ms = best.result.extra["intended_rate"], best.result.latency_ms["mean"]
        knee = {"rate": rate, "fraction": best.fraction, "p99_ms": best.result.latency_ms["p99"],
                "in_flight": rate * mean_ms / 1000, "queue_within_slo": rate * limits.p99_ms / 1000}  # fmt: skip
    return {"base": params["capacity_base"], "steps": table, "knee": knee, "results": [s.result for s in steps]}


def _drill(folder: Path, run: dict[str, Any]) -> dict[str, Any] | None:
    if not (folder / drill.FILE).exists():
        return None
    params = run["parameters"]
    plan = drill.Plan(**params["drill_plan"])
    text = (folder / drill.FILE).read_text()
    result = paced.parse(text, "drill", params["drill_rate"], plan.seconds)
    rows = _rows(series.decode(wrk.summary(text)["series"]), upto=plan.seconds)
    return {"plan": plan, "result": result, "rows": rows}


def _slo(folder: Path, run: dict[str, Any]) -> dict[str, Any] | None:
    """The SLO dashboard per SLO: its time-series panels, final stat values, and alert seconds."""
    if not (folder / "slo.json").exists():
        return None
    dashboard = json.loads((folder / "slo.json").read_text())
    spans = {name: (a - dashboard["start"], b - dashboard["start"]) for name, (a, b) in run["timeline"].items()}
    firing = {a["alertname"]: a["firing_s"] for a in dashboard["alerts"]}
    alerts = {
        name: {"severity": a.get("severity", ""), "slo": a.get("sloth_slo", ""), "first_s": min(a["firing_s"]),
               "last_s": max(a["firing_s"]), "seconds": len(a["firing_s"])}
        for a in dashboard["alerts"] if (name := a["alertname"])
    }  # fmt: skip
    slos = {}
    for slo in objectives.catalog().slos:
        row = f"{slo.display_name} ({slo.name})"
        panels = [p for p in dashboard["panels"] if p["row"] == row]
        burn = {f"Burn rate, {slo.name} {a.policy} (": promrules.alert_name(slo, a) for a in slo.alerts}
        slos[slo.name] = {
            "title": row,
            "panels": [p for p in panels if p["type"] == "timeseries"],
            "final": {p["title"]: _last(p) for p in panels if p["type"] == "stat"},
            "firing": {
                p["title"]: firing.get(alert, [])
                for p in panels
                for prefix, alert in burn.items()
                if p["title"].startswith(prefix)
            },
        }
    return {"spans": spans, "alerts": alerts, "slos": slos, "duration_s": dashboard["end"] - dashboard["start"]}


def _last(panel: dict[str, Any]) -> float | None:
    values = [line["values"][-1][1] for line in panel["lines"] if line["values"]]
    return values[0] if values else None


def _anchors(folder: Path, run: dict[str, Any]) -> list[dict[str, Any]] | None:
    rounds = run["parameters"].get("rounds", 0)
    results = {
        key: [wrk.parse((folder / f).read_text(), key) for f in anchors.files(key, rounds) if (folder / f).exists()]
        for key in anchors.TITLES
    }
    if not all(results.values()):
        return None
    rows: list[dict[str, Any]] = [
        {
            "key": key,
            "title": anchors.TITLES[key],
            "throughput": statistics.median(r.throughput for r in runs),
            "p50": statistics.median(r.latency_ms["p50"] for r in runs),
            "p99": statistics.median(r.latency_ms["p99"] for r in runs),
            "errors": sum(r.failures for r in runs),
            "rounds": [r.throughput for r in runs],
        }
        for key, runs in results.items()
    ]
    for row in rows:
        row["ratio_to_reference"] = row["throughput"] / rows[0]["throughput"]
        row["share_of_ours"] = row["throughput"] / rows[-1]["throughput"]
    return rows


def load(folder: Path) -> tuple[dict[str, Any], dict[str, Any], Thresholds]:
    run = json.loads((folder / "run.json").read_text())
    limits = Thresholds(**run["thresholds"])
    found = {
        "challenge": _challenge(folder, run, limits),
        "capacity": _capacity(folder, run, limits),
        "drill": _drill(folder, run),
        "slo": _slo(folder, run),
        "anchors": _anchors(folder, run),
        "mix": locustrun.parse(folder / "mix", "mix") if (folder / "mix_stats.csv").exists() else None,
    }
    return run, found, limits


def checks(found: dict[str, Any], limits: Thresholds) -> list[Check]:
    phases = [r for r in (found["challenge"] and found["challenge"]["result"], found["mix"]) if r]
    checks = evaluate(phases, limits)
    if k := found["capacity"]:
        checks.append(judge.capacity(k["knee"]["rate"] if k["knee"] else 0.0, limits))
    if (s := found["slo"]) and found["drill"]:
        checks.append(judge.drill([name for name, a in s["alerts"].items() if a["severity"] == "page"]))
    if a := found["anchors"]:
        checks.append(judge.anchors(a[-1]["ratio_to_reference"], a[-1]["errors"], limits))
    return checks


def figures(run: dict[str, Any], found: dict[str, Any], limits: Thresholds, checks: list[Check]) -> dict[str, Any]:
    """summary.json: what the report says, for the docs to quote."""
    figures: dict[str, Any] = {
        "passed": all(c.passed for c in checks),
        "run_at_utc": run["environment"]["run at (UTC)"],
        "commit": run["environment"]["git commit"],
        "workers": run["workers"],
        "target": run["target"],
        "latency_threshold_ms": limits.p99_ms,
        "checks": [c.__dict__ for c in checks],
    }
    if c := found["challenge"]:
        r = c["result"]
        figures["challenge"] = {
            "requests": r.requests, "duration_s": r.duration_s, "throughput": r.throughput,
            "answered_in_window": r.extra["answered_in_window"], "window_s": limits.max_duration_s,
            "required": limits.min_requests, "failures": r.failures,
            "p50_ms": r.latency_ms["p50"], "p99_ms": r.latency_ms["p99"], "max_ms": r.latency_ms["max"],
        }  # fmt: skip
    if k := found["capacity"]:
        figures["capacity"] = {"base": k["base"], "steps": k["steps"], "knee": k["knee"]}
    if s := found["slo"]:
        figures["slo"] = {"alerts": s["alerts"], "duration_s": s["duration_s"],
                          "final": {name: slo["final"] for name, slo in s["slos"].items()}}  # fmt: skip
    if a := found["anchors"]:
        figures["anchors"] = a
    rows = [found["challenge"] and found["challenge"]["result"], found["drill"] and found["drill"]["result"],
            found["mix"], *(found["capacity"]["results"] if found["capacity"] else [])]  # fmt: skip
    figures["phases"] = [r.to_dict() for r in rows if r]
    return figures
