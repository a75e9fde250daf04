"""Shared pieces of the load phases: progress lines, the payload file, and the Locust traffic mix."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness import locustrun
from harness.payloads import single_lines

PAYLOADS_FILE = "payloads.txt"
ORDER = ("drill", "challenge", "capacity", "mix", "anchors")  # every phase, in run order


@contextmanager
def progress(label: str, seconds: float) -> Iterator[None]:
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


def mix(url: str, folder: Path, users: int, user_rps: float, seconds: float) -> list[str]:
    cmd = locustrun.command(url, folder / "mix", seconds, users, user_rps)
    print(f"mixed-traffic phase: Locust, {users} users x {user_rps:g} req/s, {seconds:g} s", flush=True)
    with progress("locust", seconds):
        locustrun.run(cmd, folder / "mix_locust.log")
    return cmd
