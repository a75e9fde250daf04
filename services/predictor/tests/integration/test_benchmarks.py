"""The benchmarks still run: each one once, at its smallest, as the bench tasks call it.

Not a measurement (one short round proves nothing about speed, and nothing here is timed): a
benchmark nobody runs rots when the code it measures changes, and is found broken only on the
day its figures are needed.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from harness.server import free_port

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
pytestmark = pytest.mark.integration


def run(*args: str, cwd: Path = BENCHMARKS.parent) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=240, check=False)


def test_the_request_path_benchmarks_run():
    result = run("-m", "pytest", "benchmarks", "-p", "no:cacheprovider", "--benchmark-disable", "-q")
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize("kind", ["telemetry", "auth"])
def test_the_overhead_benchmarks_run_and_write_every_variant(kind, tmp_path, require_tool):
    require_tool("wrk")
    require_tool("taskset")
    out = tmp_path / f"{kind}.json"
    result = run("benchmarks/overhead.py", kind, "--rounds", "1", "--seconds", "1", "--json", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    variants = json.loads(out.read_text())["variants"]
    assert len(variants) >= 3 and all(rows[0]["rps"] > 0 for rows in variants.values())


def test_the_startup_benchmark_runs(tmp_path):
    out = tmp_path / "startup.json"
    result = run("benchmarks/startup.py", "--runs", "1", "--port", str(free_port()), "--json", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(out.read_text())["ratio"] > 0
