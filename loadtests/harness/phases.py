"""The three load phases of `task loadtest`, each writing its raw output into the report folder."""

import json
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from harness import locustrun, openloop, wrk
from harness.payloads import single_body, single_lines, valid_vectors

PAYLOADS_FILE = "payloads.txt"


@contextmanager
def progress(label: str, seconds: float):
    """Print a line every 5 s while a tool that shows nothing itself is running (start-up included)."""
    stop = threading.Event()

    def tick() -> None:
        start = time.monotonic()
        while not stop.wait(5):
            elapsed = time.monotonic() - start
            print(f"  {label}: running for {elapsed:3.0f} s (load lasts {seconds:g} s)", flush=True)

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def write_payloads(folder: Path) -> Path:
    """The 552 valid single-flight bodies, one per line, for wrk to rotate through."""
    path = folder / PAYLOADS_FILE
    path.write_bytes(single_lines())
    return path


def stress(url: str, folder: Path, threads: int, connections: int, seconds: float) -> str:
    cmd = wrk.command(url, write_payloads(folder), threads, connections, seconds)
    print(f"capacity phase: wrk, {connections} connections, {seconds:g} s", flush=True)
    with progress("wrk", seconds):
        wrk.run(cmd, folder / "stress_wrk.txt")
    return " ".join(cmd)


def mix(url: str, folder: Path, users: int, user_rps: float, seconds: float) -> str:
    cmd = locustrun.command(url, folder / "mix", seconds, users, user_rps)
    print(f"mixed-traffic phase: Locust, {users} users x {user_rps:g} req/s, {seconds:g} s", flush=True)
    with progress("locust", seconds):
        locustrun.run(cmd, folder / "mix_locust.log")
    return " ".join(cmd)


def open_model(url: str, folder: Path, rate: float, seconds: float, token: str | None) -> str:
    print(f"open-model phase: {rate:g} req/s for {seconds:g} s", flush=True)
    bodies = [single_body(v) for v in valid_vectors()]
    summary = openloop.measure(f"{url}/api", bodies, rate, seconds, token)
    (folder / "openloop.json").write_text(json.dumps(summary, indent=1) + "\n")
    return f"harness.openloop: {rate:g} req/s for {seconds:g} s, max 256 connections"
