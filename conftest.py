"""Fixtures shared by every test folder in the repository."""

import os
import shutil
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


@pytest.fixture(scope="session")
def require_tool() -> Callable[[str], str]:
    """Return the path of an external tool (promtool, terraform, wrk...).

    Locally a missing tool skips the test with the install hint; under CI (CI=true) it fails:
    `./task test` installs every tool (terraform aside) before any test, or stops.
    """

    def find(name: str) -> str:
        path = shutil.which(name)
        if path:
            return path
        message = f"{name} is not on PATH (README, 'Prerequisites', says how to get it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    return find


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A `predictor serve` process on 127.0.0.1, started by a test."""

    process: subprocess.Popen
    url: str

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def stop(self) -> str:
        """SIGTERM, wait for the drain, and return everything the server logged."""
        if self.process.poll() is None:
            self.process.terminate()
        output, _ = self.process.communicate(timeout=20)
        return output.decode()


def start_predictor(env: dict[str, str] | None = None, timeout: float = 60) -> Server:
    """Start the real service (production settings unless `env` says otherwise); wait until ready."""
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
def predictor_factory() -> Iterator[Callable[..., Server]]:
    """Start as many services as a test needs; all are stopped when it ends."""
    started: list[Server] = []

    def factory(env: dict[str, str] | None = None) -> Server:
        started.append(start_predictor(env))
        return started[-1]

    yield factory
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def predictor_server() -> Iterator[Server]:
    """One service in its production configuration, shared by a test module."""
    running = start_predictor()
    yield running
    running.stop()
