"""The docs quote published measurements through generated blocks, so no figure is copied by hand.

A block sits between `<!-- loadtest:NAME -->` and `<!-- /loadtest:NAME -->` in Markdown, or
`# loadtest:NAME` and `# /loadtest:NAME` in Terraform, and is rendered from the summary.json of
the run in loadtests/reports/published/; a `<!-- measured:NAME -->` block is rendered from the
benchmark record docs/measurements/NAME.json (measurements.py), and a `<!-- model:NAME -->` block
from the bundled model's manifest (what `./task model:import` measured). `task loadtest:publish` and
`task bench:publish` rewrite every block; a test fails when a block differs from what the
published figures say (`task docs:quote` fixes it). The load-test blocks are rendered here; the
tables of the other two live in bench_tables.py and model_tables.py.
"""

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import measurements
from harness.bench_tables import (
    autenticacion,
    ceiling_table,
    fairness_table,
    image_table,
    overhead_table,
    probe_cost_table,
    request_path_table,
    startup_table,
)
from harness.model_tables import holdout_table, modelo, parity_line
from harness.publish import PUBLISHED
from harness.server import REPO
from harness.spanish import es
from predictor.artifacts import BUNDLED_DIR, Manifest, read_manifest

DOCS = [
    REPO / "README.md",
    *sorted((REPO / "docs").rglob("*.md")),
    REPO / "platform/terraform/variables.tf",
]
NOTHING = "No load-test run is published yet (`./task loadtest`, then `./task loadtest:publish`)."
NADA = "Todavía no hay una corrida publicada (`./task loadtest` y luego `./task loadtest:publish`)."


def published() -> tuple[dict[str, Any], Path] | None:
    """(summary.json, summary.md path) of the published run, if there is one."""
    runs = sorted(PUBLISHED.glob("*/summary.json"))
    return (json.loads(runs[-1].read_text()), runs[-1].with_name("summary.md")) if runs else None


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
            f"{ours['throughput'] / bare['throughput']:.2f}x the bare ASGI app on stock uvicorn (the ceiling).",
            f"- SLO drill (deliberate faults): alerts fired {_fired(figures)}.",
            "",
            f"![the challenge phase, second by second]({os.path.dirname(link)}/challenge.png)",
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
            "",
            f"![la fase del desafío, segundo a segundo]({os.path.dirname(link)}/challenge.png)",
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


SERVIDORES = {
    "reference": (
        "app de referencia del desafío (servidor de desarrollo de Flask, deserializa el pickle en cada request)"
    ),
    "flask": "Flask + gunicorn, el modelo cargado una vez",
    "litestar": "handler tipado de Litestar, mismo modelo",
    "ours": "nuestro servicio, telemetría activa",
    "bare": "ASGI puro, mismo modelo y mismo decodificador, nada más (el techo)",
}


def escalera(figures: dict[str, Any], link: str) -> str:
    """Question 3a's measured ladder, from the reference app to the ceiling, and what capacity buys."""
    knee = figures["capacity"]["knee"]
    lines = [
        f"Corrida publicada ([informe]({link}), sección 4), la misma carga de wrk para cada servidor, "
        "rondas alternadas, medianas:",
        "",
        "| servidor | req/s | p99 (ms) | errores | veces la referencia |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {SERVIDORES.get(a['key'], a['title'])} | {es(a['throughput'])} | {es(a['p99'], 1)} | {es(a['errors'])} "
        f"| {es(a['ratio_to_reference'], 1)} |"
        for a in figures["anchors"]
    ]
    lines += [
        "",
        f"Capacidad dentro del SLO de latencia, por worker: **{es(knee['rate'])} req/s**; a esa tasa hay en promedio "
        f"{es(knee['in_flight'], 1)} requests en curso (tasa x latencia media) y una cola de "
        f"{es(knee['queue_within_slo'])} se vacía dentro del umbral de {es(figures['latency_threshold_ms'])} ms "
        "(tasa x umbral).",
    ]
    return "\n".join(lines)


BLOCKS: dict[str, Callable[[dict[str, Any], str], str]] = {
    "summary": summary,
    "resumen": resumen,
    "anchors": anchors,
    "capacity": capacity,
    "escalera": escalera,
}


MEASURED_BLOCKS: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {  # block: (record, renderer)
    "request-path": ("request-path", request_path_table),
    "auth-checks": ("request-path", lambda results: request_path_table(results, only="check")),
    "telemetry": ("telemetry", overhead_table),
    "ceiling": ("ceiling", ceiling_table),
    "auth": ("auth", overhead_table),
    "autenticacion": ("auth", autenticacion),
    "startup": ("startup", startup_table),
    "startup-image": ("startup-image", startup_table),
    "image": ("image", image_table),
    "fairness": ("fairness", fairness_table),
    "probe-cost": ("probe-cost", probe_cost_table),
}
RECORD_NAMES = sorted({record for record, _ in MEASURED_BLOCKS.values()})
NOT_MEASURED = "Not measured at a published commit yet (the bench task, then `./task bench:publish`)."


SPANISH = {"autenticacion"}
NO_MEDIDO = "Todavía no se midió en un commit publicado (la tarea de benchmark y luego `./task bench:publish`)."


def _measured(block: str, link_from: Path) -> str:
    name, render = MEASURED_BLOCKS[block]
    record = measurements.published(name)
    spanish = block in SPANISH
    if record is None:
        return NO_MEDIDO if spanish else NOT_MEASURED
    link = os.path.relpath(measurements.PUBLISHED / f"{name}.json", link_from)
    where = (
        f"{record['cores']} núcleos ({record['cpu']}), carga promedio {es(record['load_average'][0], 2)} "
        f"([registro]({link}))"
        if spanish
        else f"{record['cores']} cores ({record['cpu']}), load average {record['load_average'][0]:.2f} "
        f"([record]({link}))"
    )
    return (
        f"`{record['command'].strip()}`, {record['measured_at_utc']} UTC, commit {record['commit']}, {where}:\n\n"
        + render(record["results"])
    )


MODEL_BLOCKS: dict[str, Callable[[Manifest], str]] = {"holdout": holdout_table, "parity": parity_line, "modelo": modelo}


MODEL = re.compile(r"(<!-- model:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /model:(?P=name) -->)", re.DOTALL)
MEASURED = re.compile(r"(<!-- measured:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /measured:(?P=name) -->)", re.DOTALL)
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

    text = (TERRAFORM if terraform else MARKDOWN).sub(block, text)
    if terraform:
        return text
    text = MEASURED.sub(lambda m: f"{m[1]}{_measured(m['name'], path.parent)}\n{m[4]}", text)
    manifest = read_manifest(BUNDLED_DIR)
    return MODEL.sub(lambda m: f"{m[1]}{MODEL_BLOCKS[m['name']](manifest)}\n{m[4]}", text)


def stale() -> list[Path]:
    return [path for path in DOCS if rendered(path, path.read_text()) != path.read_text()]


def write() -> list[Path]:
    changed = stale()
    for path in changed:
        path.write_text(rendered(path, path.read_text()))
    return changed
