"""The real service under uvicorn, over real HTTP on 127.0.0.1."""

import hashlib
import json
import pickle
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from predictor.features import CHALLENGE_EXAMPLE
from predictor.pipeline.data import CHALLENGE_DATA, PICKLE, read_provenance, read_split

pytestmark = pytest.mark.integration
BODY = json.dumps({"array": list(CHALLENGE_EXAMPLE)}).encode()
CHALLENGE_PICKLE = CHALLENGE_DATA / PICKLE
CHALLENGE_SHA256 = read_provenance(CHALLENGE_DATA)["files"][PICKLE]["content_sha256"]


def test_challenge_example_over_http(predictor_server):
    with httpx.Client(base_url=predictor_server.url) as client:
        for _ in range(20):  # one keep-alive connection, many requests
            response = client.post("/api", content=BODY, headers={"content-type": "application/json"})
            assert response.status_code == 200
            assert response.json()["predicciones"] in ([0], [1])
        assert client.get("/nope").status_code == 404


def test_logs_are_json_lines_and_bodies_are_not_printed(predictor_factory):
    running = predictor_factory()
    httpx.post(f"{running.url}/api", content=BODY, headers={"content-type": "application/json"})
    lines = running.stop().splitlines()
    entries = [json.loads(line) for line in lines]
    assert all({"severity", "message", "time"} <= entry.keys() for entry in entries)
    assert any("ready (from pickle_model.pkl)" in entry["message"] for entry in entries)
    assert not any("predicciones" in line or "array" in line for line in lines)


def test_sigterm_lets_the_in_flight_request_finish(predictor_factory):
    running = predictor_factory()
    with socket.create_connection(("127.0.0.1", running.port)) as connection:
        head = f"POST /api HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {len(BODY)}\r\n\r\n"
        connection.sendall(head.encode() + BODY[:10])  # the request is now in flight
        time.sleep(0.3)
        running.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert running.process.poll() is None  # still draining
        connection.sendall(BODY[10:])
        answer = b"".join(iter(lambda: connection.recv(4096), b"")).decode()  # until the server closes
    assert answer.startswith("HTTP/1.1 200")
    assert answer.endswith('{"predicciones":[0]}') or answer.endswith('{"predicciones":[1]}')
    running.process.wait(timeout=15)
    assert "Application shutdown complete" in running.output()
    assert running.process.returncode == 0  # a drain that went as planned


def test_two_workers_serve(predictor_factory):
    running = predictor_factory({"WEB_CONCURRENCY": "2"})
    with httpx.Client(base_url=running.url) as client:
        statuses = {
            client.post("/api", content=BODY, headers={"content-type": "application/json"}).status_code
            for _ in range(50)
        }
    assert statuses == {200}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MODEL_PATH": str(CHALLENGE_PICKLE), "MODEL_SHA256": "0" * 64}, f"SHA-256 is {CHALLENGE_SHA256}"),
        ({"MODEL_PATH": "/nonexistent.pkl", "MODEL_SHA256": "0" * 64}, "cannot be read"),
        ({"PORT": "http"}, "PORT='http': expected `int`"),
    ],
)
def test_bad_model_or_settings_stop_startup_with_one_line(env, message):
    environ = {"PATH": "/usr/bin:/bin", "HOST": "127.0.0.1", "PORT": "8000"} | env
    result = subprocess.run(
        [Path(sys.executable).with_name("predictor"), "serve"], env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("predictor: error: ")
    assert message in result.stderr


def test_the_challenge_pickle_is_served_through_the_import_with_two_workers(predictor_factory):
    running = predictor_factory(
        {"MODEL_PATH": str(CHALLENGE_PICKLE), "MODEL_SHA256": CHALLENGE_SHA256, "WEB_CONCURRENCY": "2"}
    )
    assert httpx.get(f"{running.url}/model").json()["version"] == f"pickle_model-{CHALLENGE_SHA256[:12]}"
    response = httpx.post(f"{running.url}/api", content=BODY, headers={"content-type": "application/json"})
    assert response.content == b'{"predicciones":[0]}'


class Tripwire:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "pwned"))


def test_a_malicious_pickle_pinned_by_its_true_hash_never_runs_in_any_worker(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "pickle_model.pkl"
    path.write_bytes(pickle.dumps(Tripwire(marker)))
    environ = {"PATH": "/usr/bin:/bin", "HOST": "127.0.0.1", "PORT": "8000", "WEB_CONCURRENCY": "2"}
    environ |= {"MODEL_PATH": str(path), "MODEL_SHA256": hashlib.sha256(path.read_bytes()).hexdigest()}
    result = subprocess.run(
        [Path(sys.executable).with_name("predictor"), "serve"], env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "refused: static analysis" in result.stderr
    assert not marker.exists()


def test_the_team_test_set_through_the_api_gives_the_notebooks_confusion_matrix(predictor_server):
    test = read_split(CHALLENGE_DATA, "test")
    predicted: list[int] = []
    with httpx.Client(base_url=predictor_server.url) as client:
        for start in range(0, len(test.rows), 1000):
            response = client.post("/api/batch", json={"arrays": test.rows[start : start + 1000]})
            predicted += response.json()["predicciones"]
    matrix = [[0, 0], [0, 0]]
    for label, guess in zip(test.labels, predicted, strict=True):
        matrix[label][guess] += 1
    assert matrix == [[10958, 7445], [1477, 2628]]


@pytest.mark.parametrize(
    "env", [{"OTEL_SDK_DISABLED": "true"}, {"AUTH_API_KEY_SHA256": "0" * 64}], ids=["telemetry-off", "auth-on"]
)
def test_every_middleware_stack_is_a_clean_asgi_app(predictor_factory, env):
    running = predictor_factory(env)
    headers = {"content-type": "application/json", "x-api-key": "wrong"}
    statuses = {httpx.post(f"{running.url}/api", content=BODY, headers=headers).status_code for _ in range(5)}
    assert statuses == ({200} if "OTEL_SDK_DISABLED" in env else {401})
    assert '"severity":"ERROR"' not in running.stop()  # e.g. uvicorn's "ASGI callable should return None"
