"""`python -m harness fairness`: single-row latency while a flood of 1000-row batches runs.

Three services of one worker each, measured in alternation, round after round, so that a noisy
neighbour hurts them alike: single rows alone; single rows beside a batch flood with batches
taking turns (MAX_CONCURRENT_BATCHES=1, the default); the same flood with every batch computed as
soon as its body is in (MAX_CONCURRENT_BATCHES=1000, as before the limit existed). wrk sends single
rows on 32 connections and 1000-row batches on 8 connections at the same time; the table
(bench_tables.fairness_table) gives the median over rounds of the single rows' p99 and of both throughputs.
"""

import contextlib
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from harness import server, wrk
from harness.payloads import batch_body, single_lines, valid_vectors

ROWS = 1000
VARIANTS = {
    "single rows alone": None,
    "with a batch flood, batches take turns (default)": "1",
    "with a batch flood, no turns": "1000",
}


def measure(folder: Path, rounds: int, seconds: float) -> dict[str, Any]:
    """Every round's (single rows' p99 in ms, single rows/s, batches/s) per variant (bench_tables.fairness_table)."""
    singles, batches = folder / "singles.txt", folder / "batches.txt"
    singles.write_bytes(single_lines())
    vectors = valid_vectors()
    batches.write_bytes(batch_body([vectors[i % len(vectors)] for i in range(ROWS)]) + b"\n")
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in VARIANTS}
    with contextlib.ExitStack() as stack:
        urls = {}
        for index, (name, turns) in enumerate(VARIANTS.items()):
            port = server.free_port()
            spec = server.predictor(port, 1)
            spec = replace(spec, env=spec.env | {"MAX_CONCURRENT_BATCHES": turns or "1"})
            urls[name] = stack.enter_context(server.running(spec, port, folder / f"server-{index}.log"))
        for round_ in range(rounds):
            for index, (name, turns) in enumerate(VARIANTS.items()):
                print(f"round {round_ + 1}/{rounds}: {name}", flush=True)
                results[name].append(_run(urls[name], singles, batches if turns else None, seconds, folder, index))
    return {"rounds": rounds, "seconds": seconds, "rows": ROWS, "variants": results}


def _run(
    url: str, singles: Path, batches: Path | None, seconds: float, folder: Path, index: int
) -> tuple[float, float, float]:
    """(single rows' p99 in ms, single rows per second, batches per second) of one run."""
    flood: dict[str, str] = {}
    thread = None
    if batches is not None:
        command = wrk.command(url, batches, 1, 8, seconds, path="/api/batch")
        thread = threading.Thread(target=lambda: flood.update(text=wrk.run(command, folder / f"flood-{index}.txt")))
        thread.start()
    single = wrk.parse(wrk.run(wrk.command(url, singles, 1, 32, seconds), folder / f"singles-{index}.txt"), "singles")
    if thread is not None:
        thread.join()
    batch_rate = wrk.parse(flood["text"], "batches").throughput if flood else 0.0
    return single.latency_ms["p99"], single.throughput, batch_rate
