"""Benchmark results the docs quote, with where, when and from which commit they were measured.

Each benchmark task ends with `python -m harness measured NAME RAW.json --command "..."` (the
harness's own benchmarks call `record` directly), which keeps the figures in
.cache/measurements/NAME.json beside the commit (and whether the tree was clean), the CPU and the
load average. `./task bench:publish` copies the records measured at the
current commit into docs/measurements/, only from a clean tree, and re-renders the docs'
`<!-- measured:NAME -->` blocks from them (quotes.py): no benchmark figure is copied by hand.
"""

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness import environment
from harness.environment import REPO

RECORDS = Path(os.environ.get("LOADTEST_RECORDS", REPO / ".cache/measurements"))
PUBLISHED = REPO / "docs/measurements"


def record(name: str, results: Any, command: str) -> Path:
    """Keep `results` (a benchmark's figures) as the record `name`, with its provenance."""
    document = {
        "name": name,
        "command": command,
        "measured_at_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "commit": environment.commit(),
        "cpu": environment.cpu_model(),
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "results": results,
    }
    RECORDS.mkdir(parents=True, exist_ok=True)
    path = RECORDS / f"{name}.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def publish() -> list[Path]:
    """Copy every record measured at this (clean) commit into docs/measurements/."""
    if environment.dirty():
        raise RuntimeError("the working tree has uncommitted changes: commit or stash them, then publish")
    head = environment.commit()
    records = sorted(RECORDS.glob("*.json")) if RECORDS.exists() else []
    fresh = [path for path in records if json.loads(path.read_text())["commit"] == head]
    if not fresh:
        raise RuntimeError(f"no benchmark was recorded at commit {head}: run the bench tasks first")
    PUBLISHED.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(path, PUBLISHED / path.name)) for path in fresh]


def published(name: str) -> dict[str, Any] | None:
    path = PUBLISHED / f"{name}.json"
    return json.loads(path.read_text()) if path.is_file() else None
