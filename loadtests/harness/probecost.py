"""What the challenge phase's per-second series costs: `task loadtest:probe-cost`.

One `predictor serve` (1 worker); the challenge's wrk load alternates, round by round, between
totals only (plain rotate.lua), the per-second counting alone (series mode), and the way the
challenge phase runs (series mode plus the probe alongside). The ratios of the medians of wrk's
own throughput say how much each part distorts the run; single runs on a shared machine vary far
more than that, so only the ratio of many alternating rounds means anything.
"""

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from harness import challenge, phases, server, wrk

VARIANTS = ("totals only", "series", "series + probe")


def _round(url: str, folder: Path, variant: str, connections: int, seconds: int, probe_rate: float) -> float:
    rate = probe_rate if variant == VARIANTS[2] else 0
    main, probe = challenge.commands(url, folder / phases.PAYLOADS_FILE, 1, connections, seconds, rate)
    if variant == VARIANTS[0]:
        main = wrk.command(url, folder / phases.PAYLOADS_FILE, 1, connections, seconds)
    with ThreadPoolExecutor(1) as pool:
        probing = pool.submit(wrk.run, probe, folder / "probe.txt") if probe else None
        result = wrk.parse(wrk.run(main, folder / "wrk.txt"), variant)
        if probing:
            probing.result()
    if result.failures:
        raise RuntimeError(f"{variant}: errors during the run: {result.errors}")
    return result.throughput


def measure(connections: int, seconds: int, probe_rate: float, rounds: int) -> dict[str, Any]:
    """wrk's throughput in every round, per variant (bench_tables.probe_cost_table)."""
    with tempfile.TemporaryDirectory(prefix="probe-cost-") as scratch:
        folder = Path(scratch)
        phases.write_payloads(folder)
        port = server.free_port()
        rates: dict[str, list[float]] = {v: [] for v in VARIANTS}
        with server.running(server.predictor(port, 1), port, folder / "server.log") as url:
            wrk.run(wrk.command(url, folder / phases.PAYLOADS_FILE, 1, connections, 2), folder / "warm-up.txt")
            for n in range(rounds):
                for variant in VARIANTS:
                    rates[variant].append(_round(url, folder, variant, connections, seconds, probe_rate))
                    print(f"round {n + 1}/{rounds} {variant}: {rates[variant][-1]:,.0f} req/s", flush=True)
    return {"wrk": f"-t1 -c{connections} -d{seconds}s", "probe_rate": probe_rate, "rounds": rounds, "variants": rates}
