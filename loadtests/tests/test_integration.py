"""The harness against real servers on 127.0.0.1: short, bounded loads, then the report files.

Limits are loosened (LOADTEST_MIN_REQUESTS, LOADTEST_P99_MS) so a busy machine cannot fail these
tests: they check behaviour (requests counted, files written, servers stopped), not speed.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from harness import bench_tables, server
from harness.jwks import Issuer
from harness.payloads import malformed_requests, single_body, valid_vectors

pytestmark = pytest.mark.integration
LOADTESTS = Path(__file__).resolve().parents[1]
LOOSE = {"LOADTEST_MIN_REQUESTS": "100", "LOADTEST_P99_MS": "60000", "LOADTEST_MIN_RATIO": "0"}


def harness(reports: Path, *args: str, remote: dict[str, str] | None = None, **popen) -> subprocess.Popen:
    """`python -m harness ARGS` against a local server, or the target and token in `remote`."""
    env = {**os.environ, **LOOSE, "LOADTEST_REPORTS": str(reports), "LOADTEST_RECORDS": str(reports / "records")}
    for name in ("HOST", "LOADTEST_BEARER_TOKEN", "ID_TOKEN"):
        env.pop(name, None)
    env.update(remote or {})
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


SHORT_ALL = (
    "run", "--duration", "2", "--step-duration", "1", "--mix-duration", "2", "--drill-quiet", "2",
    "--drill-faults", "4", "--drill-recovery", "1", "--drill-rate", "1000", "--anchor-duration", "1", "--rounds", "1",
)  # fmt: skip


@pytest.fixture(scope="module")
def short_run(tmp_path_factory, require_tool) -> Path:
    """Every phase, each a second or a few long: the report folder."""
    require_tool("wrk")
    require_tool("prometheus")
    reports = tmp_path_factory.mktemp("reports")
    run = harness(reports, *SHORT_ALL)
    output, _ = run.communicate(timeout=240)
    assert run.returncode == 0, output
    (folder,) = reports.iterdir()
    return folder


def test_every_phase_leaves_its_raw_output_and_figure(short_run):
    names = {p.name for p in short_run.iterdir()}
    raw = {"challenge_wrk.txt", "challenge_probe.txt", "drill_wrk.txt", "slo.json", "mix_stats.csv", "run.json"}
    raw |= {f"capacity_{n:03d}.txt" for n in (25, 50, 75, 90, 100, 110)}
    raw |= {f"anchor_{key}_1.txt" for key in ("reference", "flask", "litestar", "bare", "ours")}
    figures = {"challenge.png", "capacity.png", "drill.png", "slo_api-availability.png", "slo_api-latency.png"}
    figures |= {"anchors.png", "mix.png"}
    assert raw | figures | {"summary.md", "summary.json"} <= names
    for png in figures:
        assert (short_run / png).read_bytes().startswith(b"\x89PNG"), png


def test_the_report_adds_up(short_run):
    figures = json.loads((short_run / "summary.json").read_text())
    challenge = figures["challenge"]
    assert challenge["failures"] == 0 and challenge["requests"] >= 100
    assert challenge["answered_in_window"] == challenge["requests"]  # a 2 s run ends inside the 45 s window
    phases = {p["phase"]: p for p in figures["phases"]}
    assert phases["mix"]["failures"] == 0 and phases["mix"]["expected_rejections"] > 0
    steps = figures["capacity"]["steps"]
    assert [s["fraction"] for s in steps] == [0.25, 0.5, 0.75, 0.9, 1.0, 1.1]
    assert steps[0]["rate"] == round(challenge["throughput"] * 0.25)
    assert [a["key"] for a in figures["anchors"]] == ["reference", "flask", "litestar", "bare", "ours"]
    assert all(a["errors"] == 0 and a["throughput"] > 0 for a in figures["anchors"])


def test_the_drill_fails_requests_in_its_window_and_the_slo_rules_page(short_run):
    figures = json.loads((short_run / "summary.json").read_text())
    drill = next(p for p in figures["phases"] if p["phase"] == "drill")
    assert 0 < drill["errors"].get("status 500", 0) < drill["requests"] // 2
    assert figures["slo"]["alerts"]["ApiAvailabilityPageFastBurn"]["severity"] == "page"
    assert figures["slo"]["final"]["api-availability"]["Objective"] == pytest.approx(0.999)


def test_the_report_names_no_local_path_and_lists_only_its_files(short_run):
    kept = [p for p in short_run.iterdir() if p.is_file() and p.suffix != ".log"]
    assert [p.name for p in kept if str(LOADTESTS.parent).encode() in p.read_bytes()] == []
    summary = (short_run / "summary.md").read_text()
    listed = re.findall(r"^- `([^`]+)`:", summary.split("## Files", 1)[1], re.MULTILINE)
    assert set(listed) <= {p.name for p in kept}
    assert ".log" not in summary


def test_fairness_measures_single_rows_beside_a_batch_flood(tmp_path, require_tool):
    require_tool("wrk")
    run = harness(tmp_path, "fairness", "--rounds", "1", "--duration", "1")
    output, _ = run.communicate(timeout=120)
    assert run.returncode == 0, output
    rows = [line for line in output.splitlines() if line.startswith(("| single rows alone", "| with a batch flood"))]
    assert len(rows) == 3
    assert all(float(row.split("|")[3].replace(",", "")) > 0 for row in rows)  # single rows answered in each
    assert float(rows[1].split("|")[4]) > 0  # and batches beside them
    record = json.loads((tmp_path / "records/fairness.json").read_text())  # for bench:publish
    assert record["command"] == "./task loadtest:fairness -- --rounds 1 --duration 1"
    assert bench_tables.fairness_table(record["results"]).splitlines()[-3:] == rows


def test_probe_cost_compares_the_challenge_run_with_and_without_its_series(tmp_path, require_tool):
    require_tool("wrk")
    run = harness(tmp_path, "probe-cost", "--rounds", "1", "--duration", "1")
    output, _ = run.communicate(timeout=120)
    assert run.returncode == 0, output
    record = json.loads((tmp_path / "records/probe-cost.json").read_text())
    assert list(record["results"]["variants"]) == ["totals only", "series", "series + probe"]
    assert all(rates[0] > 0 for rates in record["results"]["variants"].values())
    assert bench_tables.probe_cost_table(record["results"]) in output


def test_ctrl_c_stops_the_load_and_the_server(tmp_path, require_tool):
    require_tool("wrk")
    run = harness(tmp_path, "run", "--duration", "60", "--phases", "challenge", start_new_session=True)
    port = None
    for line in run.stdout:
        if line.startswith("starting "):
            port = int(line.rsplit(":", 1)[1])
        if line.startswith("challenge phase"):
            break
    os.killpg(run.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
    output, _ = run.communicate(timeout=60)
    assert run.returncode == 130, output
    assert "interrupted" in output
    assert port is not None and closed(port)


ISSUER, AUDIENCE = "https://issuer.loadtest.test", "https://predictor.loadtest.test"
SHORT = ("run", "--duration", "1", "--connections", "4", "--mix-duration", "2", "--users", "2")
SHORT_OPEN = ("--user-rps", "5", "--step-duration", "1", "--paced-connections", "4", "--capacity-base", "100")


@pytest.fixture(scope="module")
def private_predictor(tmp_path_factory):
    """The predictor with in-app JWT checks, as a private Cloud Run service: (URL, valid token)."""
    folder = tmp_path_factory.mktemp("private")
    issuer = Issuer(ISSUER, AUDIENCE)  # keys over http: the service allows it on loopback only
    token = issuer.token(sub="loadtest")
    port = server.free_port()
    auth = {"AUTH_JWKS_URL": issuer.url, "AUTH_JWT_ISSUER": ISSUER, "AUTH_JWT_AUDIENCE": AUDIENCE}
    try:
        with server.running(server.predictor(port, 1, auth), port, folder / "server.log") as url:
            yield url, token
    finally:
        issuer.close()


def test_a_remote_target_gets_the_bearer_token_from_every_tool(tmp_path, private_predictor, require_tool):
    """HOST=URL with LOADTEST_BEARER_TOKEN: wrk (closed and paced) and Locust all authenticate."""
    require_tool("wrk")
    url, token = private_predictor
    run = harness(tmp_path, *SHORT, *SHORT_OPEN, remote={"HOST": url, "LOADTEST_BEARER_TOKEN": token})
    output, _ = run.communicate(timeout=120)
    assert run.returncode == 0, output
    (folder,) = tmp_path.iterdir()
    phases = {p["phase"]: p for p in json.loads((folder / "summary.json").read_text())["phases"]}
    assert {"challenge", "mix", "capacity 25%", "capacity 110%"} <= phases.keys()
    assert {name: p["failures"] for name, p in phases.items() if p["failures"]} == {}
    assert all(p["requests"] > 0 for p in phases.values())
    leaked = [f.name for f in folder.iterdir() if token.encode() in f.read_bytes()]
    assert leaked == [], "the token never reaches a command line or a report"


def test_without_the_token_the_private_target_refuses_the_load(tmp_path, private_predictor, require_tool):
    require_tool("wrk")
    url, _ = private_predictor
    run = harness(tmp_path, *SHORT, *SHORT_OPEN, remote={"HOST": url})
    output, _ = run.communicate(timeout=120)
    assert run.returncode == 1, output
    (folder,) = tmp_path.iterdir()
    phases = {p["phase"]: p for p in json.loads((folder / "summary.json").read_text())["phases"]}
    assert phases["challenge"]["errors"].get("status 401") == phases["challenge"]["requests"]
    assert phases["capacity 50%"]["errors"].get("status 401") == phases["capacity 50%"]["requests"]
