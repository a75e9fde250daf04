"""Capacity at the SLO: open-model steps at shares of the throughput the challenge phase measured.

Each step offers a fixed rate (harness.paced) for a few seconds; the capacity at the SLO is the
highest rate, before the first step that misses, whose p99 from the due time stays under the
latency SLO's threshold with every request answered correctly. The steps run one after another
on the same server, with a pause in between for any backlog to clear.
"""

import time
from dataclasses import dataclass
from pathlib import Path

from harness import paced, phases, wrk
from harness.results import PhaseResult

FRACTIONS = (0.25, 0.5, 0.75, 0.9, 1.0, 1.1)
DRAIN_S = 1.0


def file(fraction: float) -> str:
    return f"capacity_{round(fraction * 100):03d}.txt"


def run(url: str, folder: Path, base_rps: float, seconds: int, connections: int) -> list[list[str]]:
    payloads = phases.write_payloads(folder)
    cmds = []
    for fraction in FRACTIONS:
        rate = round(base_rps * fraction)
        print(f"capacity step: {fraction:.0%} of {base_rps:,.0f} req/s = {rate:,} req/s for {seconds} s", flush=True)
        cmds.append(paced.command(url, payloads, rate, seconds, connections))
        wrk.run(cmds[-1], folder / file(fraction))
        time.sleep(DRAIN_S)
    return cmds


@dataclass(frozen=True)
class Step:
    fraction: float
    result: PhaseResult

    def within(self, p99_ms: float) -> bool:
        return self.result.failures == 0 and self.result.latency_ms["p99"] < p99_ms


def load(folder: Path, base_rps: float, seconds: int) -> list[Step]:
    steps = []
    for fraction in FRACTIONS:
        if (path := folder / file(fraction)).exists():
            rate = round(base_rps * fraction)
            steps.append(Step(fraction, paced.parse(path.read_text(), f"capacity {fraction:.0%}", rate, seconds)))
    return steps


def knee(steps: list[Step], p99_ms: float) -> Step | None:
    """The last step within the SLO before the first one that is not (None: not even the first)."""
    best = None
    for step in steps:
        if not step.within(p99_ms):
            break
        best = step
    return best
