"""The docs quote the published run through generated blocks, so no figure is copied by hand.

A block sits between `<!-- loadtest:NAME -->` and `<!-- /loadtest:NAME -->` in Markdown, or
`# loadtest:NAME` and `# /loadtest:NAME` in Terraform, and is rendered from the summary.json of
the run in loadtests/reports/published/. `task loadtest:publish` rewrites every block; a test
fails when a block differs from what the published run says (`task loadtest:quote` fixes it).
"""

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness.publish import PUBLISHED
from harness.server import REPO

DOCS = [
    REPO / "README.md",
    REPO / "docs/loadtest.md",
    REPO / "docs/performance.md",
    REPO / "docs/respuestas.md",
    REPO / "platform/terraform/variables.tf",
]
NOTHING = "No load-test run is published yet (`./task loadtest`, then `./task loadtest:publish`)."
NADA = "Todavía no hay una corrida publicada (`./task loadtest` y luego `./task loadtest:publish`)."


def published() -> tuple[dict[str, Any], Path] | None:
    """(summary.json, summary.md path) of the published run, if there is one."""
    runs = sorted(PUBLISHED.glob("*/summary.json"))
    return (json.loads(runs[-1].read_text()), runs[-1].with_name("summary.md")) if runs else None


def es(number: float, decimals: int = 0) -> str:
    """A number written the Spanish way: 1.467.873 and 45,0."""
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _anchor(figures: dict[str, Any], key: str) -> dict[str, Any]:
    return next(a for a in figures["anchors"] if a["key"] == key)


def _fired(figures: dict[str, Any]) -> str:
    return ", ".join(f"`{name}`" for name in sorted(figures["slo"]["alerts"])) or "none"


def summary(figures: dict[str, Any], link: str) -> str:
    c, knee = figures["challenge"], figures["capacity"]["knee"]
    ours, bare = _anchor(figures, "ours"), _anchor(figures, "bare")
    return "\n".join(
        [
            f"Published run ([report]({link})): {figures['run_at_utc']} UTC, commit {figures['commit']}, "
            f"{figures['workers']} worker, telemetry on.",
            "",
            f"- Challenge: **{c['answered_in_window']:,} requests answered within {c['window_s']:g} s** with wrk "
            f"({c['throughput']:,.0f} req/s), {c['failures']:,} errors, p99 {c['p99_ms']:.1f} ms: "
            f"{c['answered_in_window'] / c['required']:.1f} times the {c['required']:,} required.",
            f"- Capacity at the latency SLO, per worker: **{knee['rate']:,.0f} req/s** (open model, p99 "
            f"{knee['p99_ms']:.1f} ms against {figures['latency_threshold_ms']:g} ms).",
            f"- Anchors, same wrk load: our service {ours['throughput']:,.0f} req/s, "
            f"{ours['ratio_to_reference']:.1f}x the challenge's reference app and "
            f"{ours['throughput'] / bare['throughput']:.0%} of the bare-ASGI ceiling.",
            f"- SLO drill (deliberate faults): alerts fired {_fired(figures)}.",
        ]
    )


def resumen(figures: dict[str, Any], link: str) -> str:
    c, knee = figures["challenge"], figures["capacity"]["knee"]
    ours = _anchor(figures, "ours")
    return "\n".join(
        [
            f"Corrida publicada ([informe]({link})): {figures['run_at_utc']} UTC, commit {figures['commit']}, "
            f"{figures['workers']} worker, telemetría activa.",
            "",
            f"- Desafío: **{es(c['answered_in_window'])} requests respondidas en {es(c['window_s'])} s** con wrk "
            f"({es(c['throughput'])} req/s), {es(c['failures'])} errores, p99 {es(c['p99_ms'], 1)} ms: "
            f"{es(c['answered_in_window'] / c['required'], 1)} veces las {es(c['required'])} exigidas.",
            f"- Capacidad dentro del SLO de latencia, por worker: **{es(knee['rate'])} req/s** (modelo abierto, "
            f"p99 {es(knee['p99_ms'], 1)} ms frente a {es(figures['latency_threshold_ms'])} ms).",
            f"- Frente a la app de referencia del desafío, con la misma carga de wrk: "
            f"**{es(ours['ratio_to_reference'], 1)} veces** su throughput.",
            f"- Simulacro de SLO (fallas deliberadas): alertas disparadas {_fired(figures)}.",
        ]
    )


def anchors(figures: dict[str, Any], link: str) -> str:
    lines = [
        f"From the published run ([report]({link}), section 4), {figures['run_at_utc']} UTC:",
        "",
        "| server | req/s (median) | p50 (ms) | p99 (ms) | errors | x reference | share of ours |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {a['title']} | {a['throughput']:,.0f} | {a['p50']:.1f} | {a['p99']:.1f} | {a['errors']:,} "
        f"| {a['ratio_to_reference']:.1f}x | {a['share_of_ours']:.0%} |"
        for a in figures["anchors"]
    ]
    return "\n".join(lines)


def capacity(figures: dict[str, Any], link: str) -> str:
    knee, threshold = figures["capacity"]["knee"], figures["latency_threshold_ms"]
    return (
        f"Capacity at the latency SLO per worker (1 vCPU): {knee['rate']:,.0f} req/s. At that rate "
        f"{knee['in_flight']:.1f} requests are in flight on average (rate x mean latency), and a queue of "
        f"{knee['queue_within_slo']:.0f} takes the {threshold:g} ms threshold to drain (rate x threshold). "
        f"Published run: {link}, section 2."
    )


BLOCKS: dict[str, Callable[[dict[str, Any], str], str]] = {
    "summary": summary,
    "resumen": resumen,
    "anchors": anchors,
    "capacity": capacity,
}
MARKDOWN = re.compile(r"(<!-- loadtest:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /loadtest:(?P=name) -->)", re.DOTALL)
TERRAFORM = re.compile(r"(# loadtest:(?P<name>[\w-]+)\n)(?P<body>.*?)(# /loadtest:(?P=name))", re.DOTALL)


def rendered(path: Path, text: str) -> str:
    """`text` of the file at `path` with every block rendered from the published run."""
    found = published()
    terraform = path.suffix == ".tf"

    def block(match: re.Match[str]) -> str:
        if found is None:
            body = NADA if match["name"] == "resumen" else NOTHING
        else:
            figures, report = found
            link = os.path.relpath(report, REPO if terraform else path.parent)
            body = BLOCKS[match["name"]](figures, link)
        if terraform:
            body = "\n".join(f"# {line}".rstrip() for line in body.splitlines())
        return f"{match[1]}{body}\n{match[4]}"

    return (TERRAFORM if terraform else MARKDOWN).sub(block, text)


def stale() -> list[Path]:
    return [path for path in DOCS if rendered(path, path.read_text()) != path.read_text()]


def write() -> list[Path]:
    changed = stale()
    for path in changed:
        path.write_text(rendered(path, path.read_text()))
    return changed
