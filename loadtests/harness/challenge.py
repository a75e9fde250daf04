"""The challenge's phase: wrk for exactly 45 s, with a throughput and a latency series per second.

wrk (the challenge's tool, 64 connections back to back) counts the answers of every second in
rotate.lua's series mode. Its per-request latencies are out of reach of Lua with 64 connections
on one thread, so a probe runs alongside: a second wrk in paced mode sending a small, fixed rate
on its own connections and timing each request from when it was due. The probe's requests wait in
the same queue as wrk's; `task loadtest:probe-cost` measures what the probe and the per-second
counting cost the run.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness import paced, phases, wrk

WRK_FILE, PROBE_FILE = "challenge_wrk.txt", "challenge_probe.txt"
PROBE_CONNECTIONS = 4


def commands(
    url: str, payloads: Path, threads: int, connections: int, seconds: int, probe_rate: float
) -> tuple[list[str], list[str] | None]:
    """(wrk, probe) command lines; no probe when probe_rate is 0."""
    main = wrk.command(url, payloads, threads, connections, seconds, "series")
    probe = paced.command(url, payloads, probe_rate, seconds, PROBE_CONNECTIONS) if probe_rate else None
    return main, probe


def run(url: str, folder: Path, threads: int, connections: int, seconds: int, probe_rate: float) -> list[list[str]]:
    main, probe = commands(url, phases.write_payloads(folder), threads, connections, seconds, probe_rate)
    print(f"challenge phase: wrk, {connections} connections, {seconds} s, probe {probe_rate:g} req/s", flush=True)
    with phases.progress("wrk", seconds), ThreadPoolExecutor(1) as pool:
        probing = pool.submit(wrk.run, probe, folder / PROBE_FILE) if probe else None
        wrk.run(main, folder / WRK_FILE)
        if probing:
            probing.result()
    return [main, *([probe] if probe else [])]
