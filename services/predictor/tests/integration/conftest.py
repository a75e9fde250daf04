"""Start the real service (`predictor serve` under uvicorn) on 127.0.0.1 for HTTP tests."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

PREDICTOR = Path(sys.executable).with_name("predictor")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    url: str

    def stop(self) -> str:
        """SIGTERM, wait for the drain, and return everything the server logged."""
        if self.process.poll() is None:
            self.process.terminate()
        output, _ = self.process.communicate(timeout=20)
        return output.decode()


def start_server(env: dict[str, str] | None = None, timeout: float = 30) -> Server:
    port = free_port()
    environ = os.environ | {"HOST": "127.0.0.1", "PORT": str(port)} | (env or {})
    process = subprocess.Popen([PREDICTOR, "serve"], env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output, _ = process.communicate()
            raise RuntimeError(f"predictor serve exited with {process.returncode}: {output.decode()}")
        try:
            if httpx.get(f"{url}/health/ready", timeout=1).status_code == 200:
                return Server(process, url)
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    process.communicate()
    raise RuntimeError(f"predictor serve was not ready within {timeout} s")


@pytest.fixture
def server_factory() -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def factory(env: dict[str, str] | None = None) -> Server:
        started.append(start_server(env))
        return started[-1]

    yield factory
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = start_server()
    yield running
    running.stop()
