"""The harness against real servers on 127.0.0.1: short, bounded loads, then the report files.

Limits are loosened (LOADTEST_MIN_REQUESTS, LOADTEST_P99_MS) so a busy machine cannot fail these
tests: they check behaviour (requests counted, files written, servers stopped), not speed.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from harness import server
from harness.payloads import malformed_requests, single_body, valid_vectors

pytestmark = pytest.mark.integration
LOADTESTS = Path(__file__).resolve().parents[1]
LOOSE = {"LOADTEST_MIN_REQUESTS": "100", "LOADTEST_P99_MS": "60000", "LOADTEST_MIN_RATIO": "0"}


def harness(reports: Path, *args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, **LOOSE, "LOADTEST_REPORTS": str(reports)}
    env.pop("HOST", None)
    return subprocess.Popen(
        [sys.executable, "-m", "harness", *args],
        cwd=LOADTESTS,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **popen,
    )


def closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def post(url: str, body: bytes, content_type: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def predictor(tmp_path_factory):
    port = server.free_port()
    log = tmp_path_factory.mktemp("predictor") / "server.log"
    with server.running(server.predictor(port, workers=1), port, log) as url:
        yield url
    assert closed(port)


def test_every_malformed_case_gets_the_status_the_contract_names(predictor):
    for case in malformed_requests():
        status, body = post(f"{predictor}/api", case.body, case.content_type)
        assert (case.name, status) == (case.name, case.expected)
        assert "error" in body


def test_valid_flights_get_one_prediction(predictor):
    for vector in valid_vectors()[::50]:
        status, body = post(f"{predictor}/api", single_body(vector), "application/json")
        assert status == 200 and body["predicciones"] in ([0], [1])


def test_short_run_writes_a_report_that_adds_up(tmp_path, require_tool):
    require_tool("wrk")
    run = harness(tmp_path, "run", "--duration", "1", "--mix-duration", "2", "--open-duration", "1", "--rate", "300")
    output, _ = run.communicate(timeout=120)
    assert run.returncode == 0, output
    (folder,) = tmp_path.iterdir()
    for name in (
        "summary.md",
        "summary.json",
        "run.json",
        "stress_wrk.txt",
        "mix.html",
        "mix_stats.csv",
        "mix_stats_history.csv",
        "openloop.json",
        "server.log",
        "throughput.png",
        "latency.png",
        "histogram.png",
    ):
        assert (folder / name).stat().st_size > 0, name
    phases = {p["phase"]: p for p in json.loads((folder / "summary.json").read_text())["phases"]}
    assert phases["stress"]["requests"] >= 100 and phases["stress"]["failures"] == 0
    assert phases["mix"]["failures"] == 0 and phases["mix"]["expected_rejections"] > 0
    assert phases["open"]["requests"] == 300  # 300 req/s for 1 s, each sent on schedule
    assert phases["open"]["failures"] == 0
    assert "| stress | wrk |" in output and "PASS" in output


def test_compare_runs_both_servers_and_writes_the_table(tmp_path, require_tool):
    require_tool("wrk")
    run = harness(tmp_path, "compare", "--duration", "1")
    output, _ = run.communicate(timeout=120)
    assert run.returncode == 0, output
    (folder,) = tmp_path.iterdir()
    data = json.loads((folder / "comparison.json").read_text())
    assert set(data["rows"]) == {"reference", "predictor"}
    assert all(row["requests"] > 0 and row["failures"] == 0 for row in data["rows"].values())
    table = (folder / "comparison.md").read_text()
    assert "| challenge reference (Flask debug server) |" in table and "| our service |" in table


def test_ctrl_c_stops_the_load_and_the_server(tmp_path, require_tool):
    require_tool("wrk")
    run = harness(tmp_path, "run", "--duration", "60", start_new_session=True)
    port = None
    for line in run.stdout:
        if line.startswith("starting "):
            port = int(line.rsplit(":", 1)[1])
        if line.startswith("capacity phase"):
            break
    os.killpg(run.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
    output, _ = run.communicate(timeout=60)
    assert run.returncode == 130, output
    assert "interrupted" in output
    assert port is not None and closed(port)
