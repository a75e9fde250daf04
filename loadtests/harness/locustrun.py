"""Run the Locust mixed-traffic phase headless and read its CSV output."""

import csv
import re
import subprocess
import sys
from pathlib import Path

from harness.results import PhaseResult

LOADTESTS = Path(__file__).resolve().parents[1]
MALFORMED_NAME = "/api (malformed)"
CATCH_RESPONSE = re.compile(r"""^CatchResponseError\(['"](.*)['"]\)$""")


def command(host: str, prefix: Path, seconds: float, users: int, user_rps: float) -> list[str]:
    """The locust command line; everything not given here comes from locust.conf."""
    files = f"{LOADTESTS / 'locustfile.py'},{Path(__file__).with_name('locust_fixes.py')}"
    return [
        sys.executable,
        "-m",
        "locust",
        "--config",
        str(LOADTESTS / "locust.conf"),
        "--locustfile",
        files,
        "--host",
        host,
        "--run-time",
        f"{seconds:g}s",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--user-rps",
        f"{user_rps:g}",
        "--csv",
        str(prefix),
        "--html",
        f"{prefix}.html",
    ]


def run(cmd: list[str], log: Path) -> None:
    """Run Locust with its output in `log`. Exit 1 only means failures, which we judge ourselves."""
    with log.open("w") as out:
        done = subprocess.run(cmd, cwd=LOADTESTS, stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"locust failed (exit {done.returncode}); see {log}")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def parse(prefix: Path, phase: str) -> PhaseResult:
    """Aggregate row for totals and percentiles; failures.csv for errors by kind."""
    rows = {row["Name"]: row for row in _rows(Path(f"{prefix}_stats.csv"))}
    total = rows["Aggregated"]
    requests = int(total["Request Count"])
    rate = float(total["Requests/s"])
    errors: dict[str, int] = {}
    for row in _rows(Path(f"{prefix}_failures.csv")):
        message = CATCH_RESPONSE.sub(r"\1", row["Error"])  # our own failure() text, unwrapped
        kind = f"{row['Name']}: {message}"
        errors[kind] = errors.get(kind, 0) + int(row["Occurrences"])
    malformed = rows.get(MALFORMED_NAME, {})
    rejected = int(malformed.get("Request Count", 0)) - int(malformed.get("Failure Count", 0))
    return PhaseResult(
        phase=phase,
        tool="locust",
        requests=requests,
        duration_s=requests / rate if rate else 0.0,
        latency_ms={
            **{f"p{p}": float(total[f"{p}%"]) for p in (50, 75, 90, 95, 99, 99.9)},
            "max": float(total["Max Response Time"]),
            "mean": float(total["Average Response Time"]),
        },
        errors=errors,
        expected_rejections=rejected,
    )
