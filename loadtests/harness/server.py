"""Start a server under test on 127.0.0.1, wait until it is ready, and always stop it again.

The server runs in its own process group, so stopping it also stops the workers or reloader it
forked, and a Ctrl-C in the terminal reaches the harness (which then stops it) rather than
killing the server behind the harness's back.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from harness.payloads import CHALLENGE_VECTOR, single_body

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 60.0
# uvicorn as `predictor serve` runs it, for ASGI apps the harness serves itself
UVICORN = (sys.executable, "-m", "uvicorn", "--loop", "uvloop", "--http", "httptools", "--no-access-log")


@dataclass(frozen=True)
class Server:
    """How to launch one kind of server and how to tell that it is ready."""

    name: str
    command: tuple[str, ...]
    env: dict[str, str]
    ready_path: str
    ready_body: bytes | None = None


def free_port() -> int:
    """A port the kernel reports free on 127.0.0.1 (bind to port 0, read it back)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def predictor(port: int, workers: int) -> Server:
    """Our service in its production configuration: the installed `predictor serve`."""
    env = {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers)}
    return Server("predictor", (str(REPO / ".venv/bin/predictor"), "serve"), env, "/health/ready")


def reference(port: int) -> Server:
    """The challenge's Flask app; it has no health route, so readiness is a first prediction."""
    app = REPO / "loadtests/reference/app.py"
    body = single_body(CHALLENGE_VECTOR)
    return Server("reference", (sys.executable, str(app)), {"PORT": str(port)}, "/api", body)


def _ready(url: str, body: bytes | None) -> bool:
    # url is always http://127.0.0.1:<port>/..., built above, never user input
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the whole group (graceful shutdown), SIGKILL it if it is still there after 10 s."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait)
            return


@contextlib.contextmanager
def running(server: Server, port: int, log: Path) -> Iterator[str]:
    """Run `server` on 127.0.0.1:port with output in `log`; yield its base URL; stop it on exit."""
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            server.command,
            env={**os.environ, **server.env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not _ready(base + server.ready_path, server.ready_body):
            if process.poll() is not None:
                raise RuntimeError(f"{server.name} exited with {process.returncode}; see {log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{server.name} not ready after {READY_TIMEOUT_S:.0f} s; see {log}")
            time.sleep(0.2)
        yield base
    finally:
        _stop(process)
