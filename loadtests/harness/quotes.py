"""The docs quote published measurements through generated blocks, so no figure is copied by hand.

A block sits between `<!-- loadtest:NAME -->` and `<!-- /loadtest:NAME -->` in Markdown, or
`# loadtest:NAME` and `# /loadtest:NAME` in Terraform, and is rendered from the summary.json of
the run in loadtests/reports/published/; a `<!-- measured:NAME -->` block is rendered from the
benchmark record docs/measurements/NAME.json (measurements.py), and a `<!-- model:NAME -->` block
from the bundled model's manifest (what `./task model:import` measured). `task loadtest:publish` and
`task bench:publish` rewrite every block; a test fails when a block differs from what the
published figures say (`task docs:quote` fixes it).
"""

import json
import os
import re
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import measurements
from harness.publish import PUBLISHED
from harness.server import REPO
from predictor.artifacts import BUNDLED_DIR, Holdout, Manifest, read_manifest

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


def _median_range(values: list[float], digits: int = 0) -> str:
    return f"{statistics.median(values):,.{digits}f} ({min(values):,.{digits}f}-{max(values):,.{digits}f})"


def overhead_table(results: dict[str, Any]) -> str:
    """bench:telemetry and bench:auth: medians over alternating rounds, and their ratios to the first."""
    variants: dict[str, list[dict[str, float]]] = results["variants"]
    base = {key: statistics.median(r[key] for r in next(iter(variants.values()))) for key in ("rps", "p99")}
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
    base = {key: statistics.median(r[key] for r in next(iter(variants.values()))) for key in ("rps", "p99")}
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


MEASURED_BLOCKS: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {  # block: (record, renderer)
    "request-path": ("request-path", request_path_table),
    "auth-checks": ("request-path", lambda results: request_path_table(results, only="check")),
    "telemetry": ("telemetry", overhead_table),
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


ENGLISH_MATRIX = ("predicted on time", "predicted delayed", "on time", "delayed")
SPANISH_MATRIX = ("predicho a tiempo", "predicho atrasado", "a tiempo", "atrasado")


def _matrix(matrix: list[list[int]], labels: tuple[str, str, str, str], number: Callable[[int], str]) -> list[str]:
    predicted_0, predicted_1, actual_0, actual_1 = labels
    (a, b), (c, d) = matrix
    return [
        f"| | {predicted_0} | {predicted_1} |",
        "|---|---:|---:|",
        f"| **{actual_0}** | {number(a)} | {number(b)} |",
        f"| **{actual_1}** | {number(c)} | {number(d)} |",
    ]


def _delayed_share(holdout: Holdout) -> float:
    """Share of the holdout's flights that really left late (row 1 of the confusion matrix)."""
    return sum(holdout.confusion_matrix[1]) / holdout.rows


def holdout_table(manifest: Manifest) -> str:
    h = manifest.holdout
    if h is None:
        return "The manifest has no holdout figures (`./task model:import` records them)."
    notebook = (
        "This is, cell for cell, the confusion matrix the team's notebook recorded for this model "
        "(section 2.1 of `model.ipynb`): the manifest keeps both, and `matches_notebook` is true."
        if h.matches_notebook
        else "The notebook's confusion matrix is not matched (`matches_notebook` is not true)."
    )
    return "\n".join(
        [
            f"On the team's test split ({h.rows:,} flights of `x_test` the model was not trained on), "
            "from the manifest's `holdout`:",
            "",
            *_matrix(h.confusion_matrix, ENGLISH_MATRIX, "{:,}".format),
            "",
            notebook,
            "",
            "| metric | value | what it means for a caller |",
            "|---|---:|---|",
            f'| recall of "delayed" | {h.recall_delayed:.4f} | of the flights that were late, it flags '
            f"{h.recall_delayed:.0%} |",
            f'| precision of "delayed" | {h.precision_delayed:.4f} | of the flights it flags, '
            f"{h.precision_delayed:.0%} are late |",
            f"| accuracy | {h.accuracy:.4f} | |",
            f'| F1 of "delayed" | {h.f1_delayed:.4f} | |',
            f"| ROC AUC | {h.roc_auc:.4f} | the chance that its probability ranks a late flight above an on-time one |",
            f'| share predicted delayed | {h.predicted_delay_share:.4f} | it says "delayed" for '
            f"{h.predicted_delay_share:.0%} of flights, against {_delayed_share(h):.0%} that are |",
        ]
    )


def parity_line(manifest: Manifest) -> str:
    p = manifest.sklearn_parity
    if p is None:
        return "The manifest has no scikit-learn parity (`./task model:import` records it)."
    rows = ", ".join(f"{count:,} {name}" for name, count in p.rows.items())
    return (
        f"scikit-learn {p.sklearn_version}'s own `predict` and `predict_proba` on the pickle's estimator, "
        f"against the served weights, on {rows}: {p.label_mismatches} labels differ, and probabilities "
        f"differ by at most {p.max_probability_difference:.1e} (`sklearn_parity`)."
    )


FILAS = {
    "valid flights": "vuelos posibles",
    "random 0/1 vectors": "vectores 0/1 al azar",
    "holdout": "filas de `x_test`",
}


def modelo(manifest: Manifest) -> str:
    """Spanish: the notebook parity and the scikit-learn parity, for docs/respuestas.md."""
    h, p = manifest.holdout, manifest.sklearn_parity
    if h is None or p is None:
        return "El manifiesto no tiene las pruebas de paridad (`./task model:import` las registra)."
    notebook = "idéntica, celda por celda," if h.matches_notebook else "distinta de"
    rows = ", ".join(f"{es(count)} {FILAS.get(name, name)}" for name, count in p.rows.items())
    return "\n".join(
        [
            *_matrix(h.confusion_matrix, SPANISH_MATRIX, es),
            "",
            f"- Matriz de confusión sobre `x_test` ({es(h.rows)} vuelos que el modelo no vio al entrenar): "
            f"**{notebook} a la que registró el notebook del equipo** (`matches_notebook`).",
            f"- scikit-learn {p.sklearn_version} (`predict` y `predict_proba` del estimador del pickle) contra los "
            f"pesos servidos, en {rows}: {p.label_mismatches} etiquetas distintas; las probabilidades difieren a "
            f"lo más en {f'{p.max_probability_difference:.1e}'.replace('.', ',')}.",
            f'- Recall de "atrasado" {es(h.recall_delayed, 4)}, precisión {es(h.precision_delayed, 4)}, '
            f"ROC AUC {es(h.roc_auc, 4)}: la ficha del modelo explica qué significan para quien llama.",
        ]
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
