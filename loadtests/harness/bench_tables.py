"""Benchmark results as Markdown tables: what the bench tasks print, and what the docs' measured
blocks quote from the published records (quotes.py)."""

import statistics
from typing import Any

from harness.spanish import es


def _median_range(values: list[float], digits: int = 0) -> str:
    return f"{statistics.median(values):,.{digits}f} ({min(values):,.{digits}f}-{max(values):,.{digits}f})"


def _baseline(variants: dict[str, list[dict[str, float]]]) -> dict[str, float]:
    """Median throughput and p99 of the first variant, which the ratios compare against."""
    return {key: statistics.median(r[key] for r in next(iter(variants.values()))) for key in ("rps", "p99")}


def overhead_table(results: dict[str, Any]) -> str:
    """bench:telemetry and bench:auth: medians over alternating rounds, and their ratios to the first."""
    variants: dict[str, list[dict[str, float]]] = results["variants"]
    base = _baseline(variants)
    lines = [
        f"wrk {results['wrk']}, 1 worker, median of {results['rounds']} alternating rounds (min-max):",
        "",
        "| variant | req/s | p50 ms | p99 ms | throughput ratio | p99 ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, rows in variants.items():
        rps, p50, p99 = ([r[key] for r in rows] for key in ("rps", "p50", "p99"))
        lines.append(
            f"| {name} | {_median_range(rps)} | {statistics.median(p50):.2f} | {_median_range(p99, 2)} "
            f"| **{statistics.median(rps) / base['rps']:.2f}** | {statistics.median(p99) / base['p99']:.2f} |"
        )
    return "\n".join(lines)


CEILING_TARGET = 0.85  # ours with telemetry on / the bare ASGI app, docs/performance.md


SERVED_LIKE_OURS = "bare ASGI, same model, served like ours (our uvicorn config and HTTP protocol)"


def ceiling_table(results: dict[str, Any]) -> str:
    """bench:ceiling: the overhead table, the verdict for the last variant (telemetry on) against
    the first (the ceiling), and what our app costs against the same bare app served like ours."""
    variants = results["variants"]
    medians = {name: statistics.median(run["rps"] for run in runs) for name, runs in variants.items()}
    names = list(variants)
    ours, ceiling = medians[names[-1]], medians[names[0]]
    verdict = "meets" if ours / ceiling >= CEILING_TARGET else "is below"
    text = (
        overhead_table(results)
        + f"\n\nWith telemetry on, our service does **{ours / ceiling:.2f}x** the ceiling's throughput, which "
        + f"{verdict} the target of at least {CEILING_TARGET}x."
    )
    if SERVED_LIKE_OURS in medians:
        text += (
            f" Against the same bare app served like ours it does **{ours / medians[SERVED_LIKE_OURS]:.2f}x**: "
            + "that is what our app itself costs."
        )
    return text


VARIANTES = {
    "no auth": "sin autorización en la app",
    "API key": "API key",
    "JWT, verified-token cache": "JWT, desde la caché de tokens verificados",
    "JWT RS256, verified every request": "JWT RS256, firma verificada en cada request",
    "JWT ES256, verified every request": "JWT ES256, firma verificada en cada request",
}


def autenticacion(results: dict[str, Any]) -> str:
    """bench:auth in Spanish, for question 5a: medians and their ratios to no auth."""
    variants: dict[str, list[dict[str, float]]] = results["variants"]
    base = _baseline(variants)
    lines = [
        f"wrk {results['wrk']}, 1 worker, mediana de {results['rounds']} rondas alternadas:",
        "",
        "| variante | req/s | p99 (ms) | throughput frente a sin auth | p99 frente a sin auth |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, rows in variants.items():
        rps, p99 = (statistics.median(r[key] for r in rows) for key in ("rps", "p99"))
        lines.append(
            f"| {VARIANTES.get(name, name)} | {es(rps)} | {es(p99, 1)} | {es(rps / base['rps'], 2)}x "
            f"| {es(p99 / base['p99'], 2)}x |"
        )
    return "\n".join(lines)


def fairness_table(results: dict[str, Any]) -> str:
    """loadtest:fairness: medians over alternating rounds."""
    lines = [
        f"{results['rounds']} alternating rounds of {results['seconds']:g} s, medians; "
        f"batches of {results['rows']:,} rows:",
        "",
        "| variant | single rows p99 (ms) | single rows/s | batches/s |",
        "|---|---:|---:|---:|",
    ]
    for name, runs in results["variants"].items():
        p99, single_rate, batch_rate = (statistics.median(values) for values in zip(*runs, strict=True))
        lines.append(f"| {name} | {p99:.1f} | {single_rate:,.0f} | {batch_rate:,.1f} |")
    return "\n".join(lines)


def probe_cost_table(results: dict[str, Any]) -> str:
    """loadtest:probe-cost: wrk's own throughput, medians over alternating rounds, and their ratios."""
    rates: dict[str, list[float]] = results["variants"]
    base = statistics.median(next(iter(rates.values())))
    lines = [
        f"wrk {results['wrk']}, probe {results['probe_rate']:g} req/s, {results['rounds']} alternating rounds:",
        "",
        "| variant | wrk req/s, median (min-max) | ratio |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {name} | {_median_range(values)} | {statistics.median(values) / base:.3f} |"
        for name, values in rates.items()
    ]
    return "\n".join(lines)


def request_path_table(results: dict[str, Any], only: str = "") -> str:
    """bench:request-path: pytest-benchmark's medians, per request (or per check); `only` filters by name."""
    rows = []
    for bench in (b for b in results["benchmarks"] if only in b["name"]):
        per_round = bench["extra_info"].get("requests_per_round") or bench["extra_info"].get("checks_per_round", 1)
        rows.append((bench["name"], bench["stats"]["median"] / per_round * 1e6, bench["stats"]["rounds"]))
    lines = ["| benchmark | µs per request or check (median) | rounds |", "|---|---:|---:|"]
    lines += [f"| `{name}` | {micros:,.1f} | {rounds} |" for name, micros, rounds in rows]
    return "\n".join(lines)


STARTUP_TARGET = 1.2  # service / floor, docs/performance.md "Start-up"


def startup_table(results: dict[str, Any]) -> str:
    verdict = "within" if results["ratio"] <= STARTUP_TARGET else "above"
    return "\n".join(
        [
            f"| what | median s (min-max) over {results['runs']} alternating starts |",
            "|---|---:|",
            f"| floor: `{results['floor_command']}` | {_median_range(results['floor_seconds'], 3)} |",
            f"| service: `predictor serve` to the first 200 on /health/ready "
            f"| {_median_range(results['service_seconds'], 3)} |",
            f"| **ratio** (target: at most {STARTUP_TARGET}x) | **{results['ratio']:.2f}**, {verdict} the target |",
        ]
    )


def image_table(results: dict[str, Any]) -> str:
    return "\n".join(
        [
            "| figure | value |",
            "|---|---:|",
            f"| image size | {results['size_bytes'] / 1e6:.0f} MB ({results['size_bytes']:,} bytes) |",
            f"| from `podman run` to the first 200 on /health/ready | {results['start_to_ready_ms']:,} ms |",
            "| no scikit-learn, pip, setuptools, shell, package manager or compiler inside; runs as uid 10001 "
            f"| {'checked' if results['absent_checked'] else 'not checked'} |",
            f"| the team's 1.1.2 pickle served through the import | {results['pickle_import']} |",
        ]
    )
