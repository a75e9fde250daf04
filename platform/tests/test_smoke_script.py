"""platform/container/smoke.sh, which CI and every deploy trust, against the real service."""

import http.server
import os
import subprocess
import threading
from pathlib import Path

import pytest
from harness.server import free_port

ROOT = Path(__file__).resolve().parents[2]
SMOKE = ROOT / "platform" / "container" / "smoke.sh"


@pytest.fixture(scope="module")
def service_url(predictor_server) -> str:
    return predictor_server.url


def _smoke(url: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([SMOKE, url], env={**os.environ, **env}, capture_output=True, text=True, timeout=60)


@pytest.mark.integration
def test_smoke_passes_on_a_healthy_service(service_url, require_tool):
    require_tool("curl")
    result = _smoke(service_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("smoke ok: ")
    assert result.stdout.rstrip().endswith(('{"predicciones":[0]}', '{"predicciones":[1]}'))


@pytest.mark.integration
def test_smoke_fails_when_nothing_answers(require_tool):
    require_tool("curl")
    result = _smoke(f"http://127.0.0.1:{free_port()}")
    assert result.returncode != 0


class _WrongAnswers(http.server.BaseHTTPRequestHandler):
    """Ready, and answers every POST with 200 but a prediction that is not 0 or 1."""

    def do_GET(self):
        self.send_response(200)
        self.end_headers()

    def do_POST(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"predicciones":[2]}')

    def log_message(self, *args):
        pass


@pytest.mark.integration
def test_smoke_fails_on_a_wrong_prediction(require_tool):
    require_tool("curl")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _WrongAnswers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = _smoke(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 1
    assert "smoke FAILED" in result.stderr
