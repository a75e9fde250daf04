"""Run wrk with wrk/rotate.lua and read the JSON line its done() hook prints."""

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from harness.results import PhaseResult

SCRIPT = Path(__file__).resolve().parents[1] / "wrk/rotate.lua"
MARKER = "wrk-summary "


def command(
    url: str, payloads: Path, threads: int, connections: int, seconds: float, *mode: str, path: str = "/api"
) -> list[str]:
    """The wrk command line; `payloads` holds one POST `path` body per line; `mode`: rotate.lua's mode
    arguments (none: totals only)."""
    wrk = shutil.which("wrk") or "wrk"
    return [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--latency",
        "-s",
        str(SCRIPT),
        f"{url}{path}",
        "--",
        str(payloads),
        *mode,
    ]


def run(cmd: list[str], output: Path, env: Mapping[str, str] | None = None) -> str:
    """Run wrk (with `env` added to this process's environment), keep its full output in `output`,
    and return it."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, env={**os.environ, **(env or {})})
    except FileNotFoundError as error:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)") from error
    output.write_text(done.stdout + done.stderr)
    if done.returncode != 0 or MARKER not in done.stdout:
        raise RuntimeError(f"wrk failed (exit {done.returncode}); see {output}")
    return done.stdout


def summary(text: str) -> dict[str, Any]:
    """The JSON that rotate.lua's done() hook prints on the last line."""
    line = next(ln for ln in text.splitlines() if ln.startswith(MARKER))
    found: dict[str, Any] = json.loads(line[len(MARKER) :])
    return found


def parse(text: str, phase: str) -> PhaseResult:
    """Turn wrk's output into a PhaseResult: socket errors, bad statuses, bad bodies by kind."""
    data = summary(text)
    latency = data["latency_us"]
    errors = {f"socket {kind}": n for kind, n in data["errors"].items() if kind != "status" and n}
    errors |= {f"status {code}": n for code, n in data["checked"]["bad_status"].items()}
    if data["checked"]["bad_body"]:
        errors["bad body"] = data["checked"]["bad_body"]
    return PhaseResult(
        phase=phase,
        tool="wrk",
        requests=data["requests"],
        duration_s=data["duration_us"] / 1e6,
        latency_ms={
            **{f"p{p}": v / 1000 for p, v in latency["percentiles"].items()},
            "max": latency["max"] / 1000,
            "mean": latency["mean"] / 1000,
        },
        errors=errors,
    )
