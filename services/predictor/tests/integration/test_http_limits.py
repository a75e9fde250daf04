"""HTTP-level attacks on the real service: huge headers, slowloris, silent connections past the
file-descriptor budget, protocol garbage, too many requests at once, oversized bodies.

While an attack runs, a probe opens a new connection and asks /health/live every 20 ms, as a
platform's liveness check would. Every probe must be answered; their p99 is printed (pytest -s)
for docs/reliability.md, not asserted: this machine is shared and timings are noisy.
"""

import contextlib
import json
import resource
import socket
import statistics
import threading
import time

import httpx
import pytest

from predictor.features import CHALLENGE_EXAMPLE

pytestmark = pytest.mark.integration
BODY = json.dumps({"array": list(CHALLENGE_EXAMPLE)}).encode()
ATTACK_SECONDS = 2


class Probes:
    """GET /health/live on a new connection every 20 ms (plain sockets: cheap for this process),
    from a thread, while the block runs."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.statuses: list[int | str] = []
        self.seconds: list[float] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._probe)

    def __enter__(self) -> "Probes":
        self.thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.done.set()
        self.thread.join()

    def _probe(self) -> None:
        while not self.done.wait(0.02):
            start = time.perf_counter()
            try:
                with connect(self.url) as probe:
                    probe.sendall(b"GET /health/live HTTP/1.1\r\nhost: probe\r\nconnection: close\r\n\r\n")
                    self.statuses.append(int(read_all(probe)[9:12]))
            except (OSError, ValueError) as error:
                self.statuses.append(type(error).__name__)
            self.seconds.append(time.perf_counter() - start)

    def report(self, attack: str) -> None:
        cuts = statistics.quantiles(self.seconds, n=100) if len(self.seconds) > 1 else [float("nan")] * 99
        print(f"\n{attack}: {len(self.statuses)} probes, p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms")
        assert len(self.statuses) >= 10
        assert set(self.statuses) == {200}


def connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def read_all(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    return b"".join(iter(lambda: connection.recv(65536), b""))


def send_64_mb_header(url: str) -> tuple[int, bytes]:
    """Bytes sent before the server closed the connection, and its answer."""
    chunk, sent = b"a" * 65536, 0
    with connect(url) as attacker:
        attacker.sendall(b"GET /health/live HTTP/1.1\r\nhost: x\r\nx-big: ")
        try:
            while sent < 64 * 1024 * 1024:
                attacker.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the server closed the connection
        return sent, read_all(attacker)


def test_64_mb_headers_get_431_while_probes_are_answered(predictor_factory):
    running = predictor_factory()
    attempts = []
    with Probes(running.url) as probes:
        deadline = time.monotonic() + ATTACK_SECONDS
        while time.monotonic() < deadline:
            attempts.append(send_64_mb_header(running.url))
    for sent, answer in attempts:
        assert sent < 16 * 1024 * 1024  # refused long before 64 MB (what was sent sat in kernel buffers)
        assert answer.startswith(b"HTTP/1.1 431 ")
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"] == "headers_too_large"
    probes.report(f"{len(attempts)} headers of 64 MB, one after the other")


def test_slowloris_connections_get_408_while_probes_are_answered(predictor_factory):
    running = predictor_factory({"HEADER_TIMEOUT_SECONDS": "1"})
    attackers = [connect(running.url) for _ in range(100)]
    with Probes(running.url) as probes:
        for attacker in attackers:
            attacker.sendall(b"GET /health/live HTTP/1.1\r\n")
        for _ in range(8):  # one header line every 0.25 s each: never done within the deadline
            time.sleep(0.25)
            for attacker in attackers:
                with contextlib.suppress(OSError):  # already timed out and closed
                    attacker.sendall(b"x-slow: 1\r\n")
        answers = [read_all(attacker) for attacker in attackers]
    for attacker in attackers:
        attacker.close()
    assert all(answer.startswith(b"HTTP/1.1 408 ") for answer in answers)
    probes.report("100 slowloris connections")


def test_a_body_that_stops_arriving_gets_408(predictor_factory):
    running = predictor_factory({"BODY_TIMEOUT_SECONDS": "1"})
    head = f"POST /api HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {len(BODY)}\r\n\r\n"
    with connect(running.url) as connection:
        connection.sendall(head.encode() + BODY[:10])
        answer = read_all(connection)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert "request body" in json.loads(answer.split(b"\r\n\r\n", 1)[1])["detail"]


@contextlib.contextmanager
def descriptor_limit(soft: int):
    """This process's soft limit on open files, for the block (a server started inside inherits it)."""
    before, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft > hard:
        pytest.skip(f"the hard limit on open files is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (before, hard))


def test_silent_connections_past_the_fd_budget_do_not_lock_probes_out(predictor_factory):
    with descriptor_limit(1024):  # the server's: a budget of 960 connections
        running = predictor_factory({"IDLE_TIMEOUT_SECONDS": "60"})
    with descriptor_limit(4096):  # this process opens 1,100 and probes
        with Probes(running.url) as probes:
            silent = [connect(running.url) for _ in range(1100)]
            time.sleep(ATTACK_SECONDS)  # held open, silent
        closed = 0
        for connection in silent:
            connection.setblocking(False)
            with contextlib.suppress(BlockingIOError):  # still open, nothing to read
                closed += connection.recv(1) == b""
            connection.close()
    assert closed >= 1100 - 960  # the longest-waiting ones made room
    probes.report("1,100 silent connections, 960 allowed")
    assert "budget 960" in running.stop()


def test_a_connection_that_sends_nothing_is_closed_after_the_idle_timeout(predictor_factory):
    running = predictor_factory({"IDLE_TIMEOUT_SECONDS": "1"})
    with connect(running.url) as silent:
        assert silent.recv(1) == b""  # closed by the server (the socket timeout is 10 s)


def test_protocol_errors_get_the_json_error_body(predictor_factory):
    running = predictor_factory()
    with connect(running.url) as connection:
        connection.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        answer = read_all(connection)
    head, body = answer.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"content-type: application/json" in head
    assert json.loads(body)["error"] == "malformed_request"


def test_past_max_concurrent_requests_the_answer_is_503_with_retry_after(predictor_factory):
    running = predictor_factory({"MAX_CONCURRENT_REQUESTS": "2"})
    head = f"POST /api HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {len(BODY)}\r\n\r\n"
    waiting = [connect(running.url) for _ in range(2)]
    for connection in waiting:
        connection.sendall(head.encode())  # in progress until their bodies arrive
    time.sleep(0.3)
    refused = httpx.post(f"{running.url}/api", content=BODY, headers={"content-type": "application/json"})
    for connection in waiting:
        connection.sendall(BODY)
    answers = [connection.recv(65536) for connection in waiting]
    for connection in waiting:
        connection.close()
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["error"] == "overloaded"
    assert all(answer.startswith(b"HTTP/1.1 200 ") for answer in answers)
    assert httpx.get(f"{running.url}/health/ready").status_code == 200  # probes are never shed


def test_an_oversized_body_with_connection_close_gets_its_413(predictor_factory):
    running = predictor_factory()
    body = b"[" + b"0," * 150_000 + b"0]"  # 300 kB, over MAX_BODY_BYTES (256 kB)
    head = f"POST /api HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
    answers = []
    for _ in range(20):
        with connect(running.url) as connection:
            connection.sendall(head.encode() + b"connection: close\r\n\r\n" + body)
            answers.append(read_all(connection))
    assert all(answer.startswith(b"HTTP/1.1 413 ") for answer in answers)
