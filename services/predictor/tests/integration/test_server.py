"""The real service under uvicorn, over real HTTP on 127.0.0.1."""

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from predictor.artifacts import BUNDLED_DIR, sha256_of
from predictor.features import CHALLENGE_EXAMPLE

pytestmark = pytest.mark.integration
BODY = json.dumps({"array": list(CHALLENGE_EXAMPLE)}).encode()


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
    assert any("ready (weights backend)" in entry["message"] for entry in entries)
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
    output, _ = running.process.communicate(timeout=15)
    assert "Application shutdown complete" in output.decode()
    # uvicorn re-raises the SIGTERM it caught once it has drained, so the exit status says SIGTERM
    assert running.process.returncode in (0, -signal.SIGTERM)


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
        ({"MODEL_PATH": str(BUNDLED_DIR / "pickle_model.pkl"), "MODEL_SHA256": "0" * 64}, "has SHA-256"),
        ({"MODEL_PATH": "/nonexistent.pkl", "MODEL_SHA256": "0" * 64}, "does not exist"),
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


def test_pinned_team_pickle_is_served(predictor_factory):
    pickle_path = BUNDLED_DIR / "pickle_model.pkl"
    running = predictor_factory({"MODEL_PATH": str(pickle_path), "MODEL_SHA256": sha256_of(pickle_path)})
    assert httpx.get(f"{running.url}/model").json()["backend"] == "pickle"
    response = httpx.post(f"{running.url}/api", content=BODY, headers={"content-type": "application/json"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "env", [{"OTEL_SDK_DISABLED": "true"}, {"AUTH_API_KEY_SHA256": "0" * 64}], ids=["telemetry-off", "auth-on"]
)
def test_every_middleware_stack_is_a_clean_asgi_app(predictor_factory, env):
    running = predictor_factory(env)
    headers = {"content-type": "application/json", "x-api-key": "wrong"}
    statuses = {httpx.post(f"{running.url}/api", content=BODY, headers=headers).status_code for _ in range(5)}
    assert statuses == ({200} if "OTEL_SDK_DISABLED" in env else {401})
    assert '"severity":"ERROR"' not in running.stop()  # e.g. uvicorn's "ASGI callable should return None"
