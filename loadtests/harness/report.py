"""Build a run's report from its folder: summary.md, summary.json and one figure per phase.

Everything is derived from the raw files in the folder plus run.json (environment, parameters,
commands, thresholds, phase timeline), so a report can be rebuilt, and tested, from recorded files
alone. summary.md opens with the challenge's requirement, the measured result and the verdict, in
Spanish and English; summary.json holds every figure the docs quote (see harness.quotes).
"""

import json
import math
from pathlib import Path
from typing import Any

from harness import challenge, drill, findings, plots
from harness.results import PhaseResult
from harness.spanish import es
from harness.thresholds import Check, Thresholds

FILES = {
    "summary.json": "every figure of this report, machine-readable (the docs quote it)",
    "run.json": "environment, parameters, commands, thresholds and phase timeline of this run",
    "payloads.txt": "the 552 valid request bodies wrk rotates through",
    challenge.WRK_FILE: "wrk's output for the challenge phase (last line: JSON summary with the per-second series)",
    challenge.PROBE_FILE: "the latency probe's output (paced wrk alongside the challenge phase)",
    "capacity_*.txt": "wrk's output for each open-model capacity step",
    drill.FILE: "wrk's output for the SLO drill's traffic",
    "slo.json": "the generated SLO dashboard's panels and the firing alerts, as Prometheus answered after the run",
    "anchor_*.txt": "wrk's output for each anchor server and round",
    "mix.html": "Locust's HTML report for the mixed-traffic phase",
    "mix_*.csv": "Locust's statistics, per-second history and failures",
    "challenge.png": "challenge phase: answers and latency per second",
    "capacity.png": "capacity at the SLO: the knee",
    "slo_*.png": "SLO burn during the run, one figure per SLO",
    "drill.png": "the SLO drill from the client's side",
    "anchors.png": "the anchors side by side",
    "mix.png": "mixed-traffic phase over time",
}


def _files(folder: Path) -> list[tuple[str, str]]:
    """(file, what) for every file in the folder that FILES describes, in FILES order."""
    return [(p.name, what) for pattern, what in FILES.items() for p in sorted(folder.glob(pattern))]


def _ms(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def results_table(phases: list[PhaseResult]) -> str:
    lines = [
        "| phase | tool | requests | duration (s) | req/s | p50 (ms) | p99 (ms) | max (ms) "
        "| unexpected failures | expected 4xx |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in phases:
        lat = r.latency_ms
        lines.append(
            f"| {r.phase} | {r.tool} | {r.requests:,} | {r.duration_s:.2f} | {r.throughput:,.0f} | {_ms(lat['p50'])} "
            f"| {_ms(lat['p99'])} | {_ms(lat['max'])} | {r.failures:,} | {r.expected_rejections:,} |"
        )
    return "\n".join(lines)


def checks_table(checks: list[Check]) -> str:
    lines = ["| phase | check | required | measured | result |", "|---|---|---|---|---|"]
    lines += [
        f"| {c.phase} | {c.name} | {c.required} | {c.measured} | {'pass' if c.passed else '**FAIL**'} |" for c in checks
    ]
    return "\n".join(lines)


def headline(figures: dict[str, Any], limits: Thresholds) -> str:
    """The block summary.md opens with: requirement, measured, verdict, in Spanish and English."""
    c = figures.get("challenge")
    if c is None:
        return "> The challenge phase did not run in this report. / La fase del desafío no se ejecutó en este informe."
    ok = c["answered_in_window"] >= limits.min_requests and c["failures"] == 0
    times = c["answered_in_window"] / limits.min_requests
    window = limits.max_duration_s
    return (
        f"> **Desafío:** al menos {es(limits.min_requests)} requests en {es(window)} s, con wrk. "
        f"**Medido:** {es(c['answered_in_window'])} requests respondidas en {es(window)} s "
        f"({es(c['throughput'])} req/s), {es(c['failures'])} errores, p99 {es(c['p99_ms'], 1)} ms. "
        f"**Veredicto: {'cumple' if ok else 'NO cumple'}** ({es(times, 1)} veces lo exigido).\n>\n"
        f"> **Challenge:** at least {limits.min_requests:,} requests in {window:g} s, with wrk. "
        f"**Measured:** {c['answered_in_window']:,} requests answered in {window:g} s "
        f"({c['throughput']:,.0f} req/s), {c['failures']:,} errors, p99 {c['p99_ms']:.1f} ms. "
        f"**Verdict: {'pass' if ok else 'FAIL'}** ({times:.1f} times the requirement)."
    )


def _section_challenge(
    found: dict[str, Any] | None, figures: dict[str, Any], limits: Thresholds, run: dict[str, Any]
) -> str:
    if found is None:
        return "The challenge phase did not run."
    r, probe = found["result"], found["probe"]
    text = results_table([r] + ([probe] if probe else []))
    rate = f"{probe.extra['intended_rate']:g} req/s" if probe else ""
    note = (
        f"Answers per second come from wrk itself (rotate.lua's series mode). Latency per second comes from "
        f"the probe: {rate} on {challenge.PROBE_CONNECTIONS} more connections, timed from the send time as wrk "
        f"times its own; the dotted p99 counts from the due time, so a gap shows the probe itself ran late. "
        f"The probe's row above is its whole-run figure, from the due time."
        if probe
        else "The probe did not run: wrk gives whole-run percentiles only."
    )
    return f"{text}\n\n{note}\n\n![challenge phase](challenge.png)"


def _section_capacity(found: dict[str, Any] | None, limits: Thresholds, workers: int | None) -> str:
    if found is None:
        return "The capacity phase did not run."
    lines = [
        "| step | offered (req/s) | answered ok (req/s) | p50 (ms) | p99 (ms) | failures | within the SLO |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for s in found["steps"]:
        lines.append(
            f"| {s['fraction']:.0%} | {s['rate']:,.0f} | {s['completed']:,.0f} | {_ms(s['p50'])} | {_ms(s['p99'])} "
            f"| {s['failures']:,} | {'yes' if s['within_slo'] else 'no'} |"
        )
    knee = found["knee"]
    per = f"per worker ({workers} worker{'s' if workers != 1 else ''})" if workers else "of the remote service"
    verdict = (
        f"**Capacity at the SLO {per}: {knee['rate']:,.0f} req/s** ({knee['fraction']:.0%} of the "
        f"{found['base']:,.0f} req/s the challenge phase measured), p99 {knee['p99_ms']:.1f} ms against the "
        f"{limits.p99_ms:g} ms threshold. At that rate {knee['in_flight']:.1f} requests are in flight on average "
        f"(rate x mean latency, Little's law), and a queue of {knee['queue_within_slo']:.0f} would take the "
        f"threshold's {limits.p99_ms:g} ms to drain (rate x threshold)."
        if knee
        else f"**No step stayed within the SLO** (p99 under {limits.p99_ms:g} ms with no failures)."
    )
    return f"{verdict}\n\n" + "\n".join(lines) + "\n\n![capacity at the SLO](capacity.png)"


def _section_slo(found: dict[str, Any] | None, drilled: dict[str, Any] | None) -> str:
    if found is None:
        return "Prometheus did not run (a remote target): no SLO burn to show."
    minutes = found["duration_s"] / 60
    parts = [
        f"Prometheus scraped the service every second for the whole run ({minutes:.1f} min) and evaluated the "
        "generated rules every second. Every alert window (5 min to 3 days) is longer than the run, so each "
        "one holds the whole run so far: the burn-rate lines of a panel coincide, and each equals the run's "
        "error ratio divided by the error budget. In a real 30-day SLO the run is "
        f'{minutes / (30 * 24 * 60):.4%} of the period; "error budget left" reads as if all 30 days were '
        "like this run.",
    ]
    if drilled:
        plan = drilled["plan"]
        parts.append(
            f"The SLO drill sent {drilled['result'].extra['intended_rate']:,.0f} req/s (the challenge's average "
            f"rate) for {plan.seconds} s to the service launched through `harness.faults`; from {plan.quiet_s} s "
            f"to {plan.quiet_s + plan.fault_s} s, {plan.error_share:.0%} of the model calls raised (500) and "
            f"{plan.slow_share:.1%} blocked the worker for {plan.slow_ms:g} ms.\n\n![SLO drill](drill.png)"
        )
    alerts = found["alerts"]
    if alerts:
        rows = [
            f"| {name} | {a['severity']} | {a['slo']} | {a['first_s']:.0f} | {a['last_s']:.0f} | {a['seconds']} |"
            for name, a in sorted(alerts.items(), key=lambda kv: kv[1]["first_s"])
        ]
        parts.append(
            "Alerts that fired (Prometheus's own `ALERTS` series):\n\n| alert | severity | SLO | first (s) | last (s) "
            "| seconds firing |\n|---|---|---|---:|---:|---:|\n" + "\n".join(rows)
        )
    else:
        parts.append("No alert fired.")
    table = ["| SLO | SLI over the run | objective | error budget left | burn rate (5m) |", "|---|---:|---:|---:|---:|"]
    for name, slo in found["slos"].items():
        final = slo["final"]
        sli = next((v for k, v in final.items() if k.startswith("SLI")), None)
        budget = next((v for k, v in final.items() if k.startswith("Error budget")), None)
        burn = next((v for k, v in final.items() if k.startswith("Burn rate")), None)
        table.append(f"| {name} | {_pct(sli)} | {_pct(final.get('Objective'))} | {_pct(budget)} | {_num(burn)} |")
    parts.append("At the end of the run:\n\n" + "\n".join(table))
    parts += [f"![SLO {name}](slo_{name}.png)" for name in found["slos"]]
    return "\n\n".join(parts)


def _pct(value: float | None) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.3%}"


def _num(value: float | None) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:,.2f}"


def _section_anchors(rows: list[dict[str, Any]] | None, run: dict[str, Any]) -> str:
    if rows is None:
        return "The anchors did not run (they run only against a local service)."
    lines = [
        "| server | req/s (median) | rounds (req/s) | p50 (ms) | p99 (ms) | errors | x reference | share of ours |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        rounds = ", ".join(f"{x:,.0f}" for x in r["rounds"])
        lines.append(
            f"| {r['title']} | {r['throughput']:,.0f} | {rounds} | {_ms(r['p50'])} | {_ms(r['p99'])} | {r['errors']:,} "
            f"| {r['ratio_to_reference']:.1f}x | {r['share_of_ours']:.0%} |"
        )
    params = run["parameters"]
    method = (
        f"The same wrk load as the challenge phase ({params['connections']} connections, {params['threads']} "
        f"thread(s)) for {params['anchor_duration']} s per server, servers alternating, {params['rounds']} rounds; "
        "each server was warmed up for 1 s first. The apps are in `loadtests/reference/`."
    )
    return f"{method}\n\n" + "\n".join(lines) + "\n\n![anchors](anchors.png)"


def _section_mix(result: PhaseResult | None) -> str:
    if result is None:
        return "The mixed-traffic phase did not run."
    errors = "\n".join(f"- {kind}: {n:,}" for kind, n in sorted(result.errors.items())) or "No unexpected failures."
    return f"{results_table([result])}\n\n{errors}\n\n![mixed traffic](mix.png)"


def _draw(folder: Path, found: dict[str, Any], limits: Thresholds, run: dict[str, Any]) -> None:
    params = run["parameters"]
    if c := found["challenge"]:
        whole = {"p50": c["result"].latency_ms["p50"], "p99": c["result"].latency_ms["p99"]}
        title = (f"Challenge phase: wrk -t{params['threads']} -c{params['connections']}, {params['duration']} s, "
                 f"every answer checked")  # fmt: skip
        plots.challenge(folder / "challenge.png", c["rows"], c.get("probe_rows", []), whole,
                        limits.challenge_rate, limits.p99_ms, title)  # fmt: skip
    if k := found["capacity"]:
        title = (f"Capacity at the SLO: wrk paced (open model), {params['step_duration']} s per step, "
                 f"{params['paced_connections']} connections")  # fmt: skip
        plots.capacity(folder / "capacity.png", k["steps"], k["knee"] and k["knee"]["rate"], limits.p99_ms, title)
    if d := found["drill"]:
        plan = d["plan"]
        title = f"SLO drill: wrk paced at {d['result'].extra['intended_rate']:,.0f} req/s, faults from harness.faults"
        plots.drill(folder / "drill.png", d["rows"], (plan.quiet_s, plan.quiet_s + plan.fault_s), limits.p99_ms, title)
    if s := found["slo"]:
        for name, slo in s["slos"].items():
            title = f"SLO burn during the run: {slo['title']} (Prometheus, generated rules and dashboard)"
            plots.slo(folder / f"slo_{name}.png", slo["panels"], s["spans"], slo["firing"], title)
    if a := found["anchors"]:
        plots.anchors(folder / "anchors.png", a, "Anchors side by side: the same wrk load, alternating rounds")
    if (folder / "mix_stats_history.csv").exists() and (rows := plots.locust_history(folder / "mix_stats_history.csv")):
        title = (f"Mixed traffic: Locust, {params['users']} users x {params['user_rps']:g} req/s "
                 "(correctness under a realistic mix, not capacity)")  # fmt: skip
        plots.mix(folder / "mix.png", rows, title)


def build(folder: Path) -> list[Check]:
    """Write summary.md, summary.json and the figures for the run in `folder`; return the checks."""
    run, found, limits = findings.load(folder)
    checks = findings.checks(found, limits)
    figures = findings.figures(run, found, limits, checks)
    _draw(folder, found, limits, run)
    (folder / "summary.json").write_text(json.dumps(figures, indent=1) + "\n")
    (folder / "summary.md").write_text(render(run, found, figures, limits, checks, folder))
    return checks


def render(
    run: dict[str, Any],
    found: dict[str, Any],
    figures: dict[str, Any],
    limits: Thresholds,
    checks: list[Check],
    folder: Path,
) -> str:
    failed = [c for c in checks if not c.passed]
    verdict = (
        f"**FAIL**: {len(failed)} of {len(checks)} checks failed"
        if failed
        else f"**PASS**: all {len(checks)} checks passed"
    )
    env = "\n".join(["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in run["environment"].items())])
    commands = "\n".join(f"- {phase}: `{cmd}`" for phase, cmds in run["commands"].items() for cmd in cmds)
    files = "\n".join(f"- `{name}`: {what}" for name, what in _files(folder))
    return f"""<!-- Generated by `task loadtest` (loadtests/harness/report.py). DO NOT EDIT. -->
# Load test report: {run["environment"]["run at (UTC)"]} UTC

{headline(figures, limits)}

{verdict}. The sections follow the phases; each figure is titled with its phase and tool.

## 1. The challenge's phase

{_section_challenge(found["challenge"], figures, limits, run)}

## 2. Capacity at the SLO

{_section_capacity(found["capacity"], limits, run["workers"])}

## 3. SLO burn during the run

{_section_slo(found["slo"], found["drill"])}

## 4. The anchors side by side

{_section_anchors(found["anchors"], run)}

## 5. Mixed traffic

{_section_mix(found["mix"])}

## Thresholds

{checks_table(checks)}

## Environment

{env}

## Commands

Paths are relative to the repository; `<report>` is this folder.

{commands}

## Files

{files}
"""
