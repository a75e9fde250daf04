"""Start a server under test on 127.0.0.1, wait until it is ready, and always stop it again.

The one launcher of the repository: the load-test phases, the benchmarks and the integration
tests all start servers through it. The server runs in its own process group, so stopping it also
stops the workers or reloader it forked, and a Ctrl-C in the terminal reaches the harness (which
then stops it) rather than killing the server behind the harness's back.
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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.payloads import CHALLENGE_VECTOR, single_body

REPO = Path(__file__).resolve().parents[2]
PREDICTOR = Path(sys.executable).with_name("predictor")
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


@dataclass(frozen=True)
class Running:
    """A server started by `start`: its process (group leader), base URL and log file."""

    name: str
    process: "subprocess.Popen[bytes]"
    url: str
    log: Path

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> str:
        """SIGTERM the whole group (graceful shutdown), SIGKILL it if still there after 10 s; returns
        everything it logged."""
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(wait)
                break
        return self.output()


def free_port() -> int:
    """A port the kernel reports free on 127.0.0.1 (bind to port 0, read it back)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def predictor(port: int, workers: int = 1, env: Mapping[str, str] | None = None) -> Server:
    """Our service in its production configuration (unless `env` says otherwise): `predictor serve`."""
    settings = {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers), **(env or {})}
    return Server("predictor", (str(PREDICTOR), "serve"), settings, "/health/ready")


def reference(port: int) -> Server:
    """The challenge's Flask app; it has no health route, so readiness is a first prediction."""
    app = REPO / "loadtests/reference/app.py"
    body = single_body(CHALLENGE_VECTOR)
    return Server("reference", (sys.executable, str(app)), {"PORT": str(port)}, "/api", body)


def start(server: Server, port: int, log: Path, timeout: float = READY_TIMEOUT_S) -> Running:
    """Run `server` on 127.0.0.1:port with its output in `log`, and wait until it answers ready."""
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            server.command,
            env={**os.environ, **server.env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = Running(server.name, process, base, log)
    deadline = time.monotonic() + timeout
    while not _ready(base + server.ready_path, server.ready_body):
        if process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {process.returncode}:\n{_tail(started.output())}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{server.name} not ready after {timeout:.0f} s:\n{_tail(started.stop())}")
        time.sleep(0.1)
    return started


@contextlib.contextmanager
def running(server: Server, port: int, log: Path) -> Iterator[str]:
    """`start` for a with-block: yields the base URL, stops the server on exit."""
    started = start(server, port, log)
    try:
        yield started.url
    finally:
        started.stop()


def _ready(url: str, body: bytes | None) -> bool:
    # url is always http://127.0.0.1:<port>/..., built above, never user input
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _tail(text: str, lines: int = 20) -> str:
    return "\n".join(text.splitlines()[-lines:])
