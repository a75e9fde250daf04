"""uvicorn's httptools protocol with the HTTP limits it lacks, and a drain that drops nothing.

uvicorn reads any header size, never times out a request head or body, leaves a connection that
sends nothing open forever, answers protocol errors in text/plain, and closes idle keep-alive
connections when it shuts down, racing the request a client may be sending on them
(docs/reliability.md). This subclass adds:

- a cap on the request line and headers (MAX_HEADER_BYTES, 431), counted as the bytes arrive;
- deadlines for the head (HEADER_TIMEOUT_SECONDS, 408) and the body (BODY_TIMEOUT_SECONDS, 408);
- the idle timeout from the moment a connection opens, not only between requests;
- a file-descriptor budget: a warning when connections near it, and past it the connection that
  has waited longest without a request in progress is closed, so probes still get in;
- our JSON error body for every refusal;
- on drain, the last request received on each connection is answered with Connection: close;
- one write per response: uvicorn writes a response's head and body apart, two system calls and
  two TCP segments where one does (`JoinedWrites`).

Every request pays for one hook only (`data_received`, `./task bench:ceiling`): the deadlines are
not kept per request but read from uvicorn's own request state by a sweep every SWEEP_SECONDS.
"""

import logging
import resource
import time
from asyncio import AbstractEventLoop, BaseProtocol, Transport
from collections.abc import Iterable, Set
from dataclasses import dataclass
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from predictor.errors import JSON, ApiError
from predictor.settings import Settings

log = logging.getLogger("predictor")
FD_RESERVE = 64  # descriptors kept for everything that is not a client connection (files, pipes, sockets)
NEAR_BUDGET = 0.8
WARN_EVERY_SECONDS = 10.0
SWEEP_SECONDS = 0.5  # deadlines are checked this often, so a deadline is met late by up to this


@dataclass(frozen=True)
class Limits:
    max_header_bytes: int
    header_timeout: float
    body_timeout: float
    connection_budget: int  # client connections one worker keeps open at most

    @classmethod
    def from_settings(cls, settings: Settings) -> "Limits":
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        descriptors = soft if soft != resource.RLIM_INFINITY else 1 << 20
        return cls(
            settings.max_header_bytes,
            settings.header_timeout_seconds,
            settings.body_timeout_seconds,
            max(descriptors - FD_RESERVE, 1),
        )


def protocol_class(limits: Limits) -> type["LimitedHttpProtocol"]:
    """The protocol uvicorn instantiates for every connection, with these limits."""

    class Protocol(LimitedHttpProtocol):
        pass

    Protocol.limits = limits
    return Protocol


class LimitedHttpProtocol(HttpToolsProtocol):
    limits: ClassVar[Limits]
    warned_at: ClassVar[float] = -WARN_EVERY_SECONDS
    watch: ClassVar["Watch | None"] = None  # this worker's deadline sweep, made with its first connection
    # Defaults on the class, set on a connection only when they change (a head in several reads, a
    # drain): uvicorn's connection object already has 28 attributes, and at 30 (SHARED_KEYS_MAX_SIZE,
    # CPython's Include/internal/pycore_dict.h) its attributes move to a plain dict and every access
    # uvicorn makes per request gets slower (docs/decisions/0001-...).
    head_bytes = 0
    draining = False

    def connection_made(self, transport: Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # uvicorn's flow control keeps the socket's own transport
        self.transport = JoinedWrites(transport, self.loop)
        self._keep_within_budget()
        # uvicorn arms its idle timer only after a response: a connection that never sends stays open
        self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)
        if LimitedHttpProtocol.watch is None:
            LimitedHttpProtocol.watch = Watch(self.connections, self.loop)
        LimitedHttpProtocol.watch.opened(self)

    def data_received(self, data: bytes) -> None:
        """The one hook every request pays: the parser runs, then a head still arriving counts this
        chunk (the whole chunk: the cap is exceeded by one read at most), and a request received
        while draining is made its connection's last."""
        HttpToolsProtocol.data_received(self, data)
        cycle = self.cycle  # uvicorn makes a new one when a request's head is complete
        if cycle is None or cycle.scope is not self.scope:
            self.head_bytes += len(data)
            if self.head_bytes > self.limits.max_header_bytes:
                limit = self.limits.max_header_bytes
                self.refuse(ApiError(431, "headers_too_large", f"request line and headers exceed {limit} bytes"))
        else:
            if self.head_bytes:
                self.head_bytes = 0
            if self.draining:
                cycle.keep_alive = False

    def send_400_response(self, msg: str) -> None:
        self.refuse(ApiError(400, "malformed_request", msg))

    def shutdown(self) -> None:
        """The server drains: the last request received (in progress or queued behind it) is answered
        with Connection: close, and so is the next one on a connection that has none; an idle
        connection closes at its idle timeout, as it would anyway, never while a request may be on
        its way (uvicorn closes idle connections at once)."""
        self.draining = True
        last = self.pipeline[0][0] if self.pipeline else self.cycle
        if last is not None and not last.response_complete:
            last.keep_alive = False

    def waiting(self) -> bool:
        """No request of this connection is with the app: closing it loses no work in progress."""
        return self.cycle is None or self.cycle.response_complete

    def in_progress(self) -> tuple[object, float, str]:
        """What this connection is sending, read from uvicorn's own state, and how long it may take:
        the head of a request begun (a new scope), its body (a cycle waiting for more), or nothing
        the client owes (the last cycle, no deadline)."""
        cycle, scope = self.cycle, self.scope
        if scope is not None and (cycle is None or cycle.scope is not scope):
            return scope, self.limits.header_timeout, "request line and headers"
        if cycle is not None and cycle.more_body and not cycle.response_complete:
            return cycle, self.limits.body_timeout, "request body"
        return cycle, 0.0, ""

    def refuse(self, error: ApiError) -> None:
        """Answer with our JSON error, unless a response is already being written, and close."""
        if self.transport.is_closing():
            return
        if self.waiting() or not self.cycle.response_started:
            body = error.encode()
            head = [STATUS_LINE[error.status]]
            for name, value in [*self.server_state.default_headers, (b"content-type", JSON)]:
                head += [name, b": ", value, b"\r\n"]
            head += [b"content-length: ", str(len(body)).encode(), b"\r\nconnection: close\r\n\r\n"]
            self.transport.write(b"".join(head) + body)
        self.transport.close()

    def _keep_within_budget(self) -> None:
        budget, open_now = self.limits.connection_budget, len(self.connections)
        now = time.monotonic()
        if open_now >= NEAR_BUDGET * budget and now - LimitedHttpProtocol.warned_at >= WARN_EVERY_SECONDS:
            LimitedHttpProtocol.warned_at = now
            log.warning(
                "%d connections open in this worker, budget %d (file descriptor limit less %d): "
                "past it the longest-waiting connection is closed for each new one",
                open_now, budget, FD_RESERVE,
            )  # fmt: skip
        if open_now > budget and self.watch is not None:
            waiting = [
                c for c in self.connections if isinstance(c, LimitedHttpProtocol) and c is not self and c.waiting()
            ]
            if waiting:
                min(waiting, key=self.watch.since).transport.close()


class Watch:
    """The deadline sweep of one worker: every SWEEP_SECONDS, what each connection is sending and
    since when (the first sweep that saw it), and 408 for those past their deadline. It runs while
    the worker has connections; the table replaces per-request timers and per-connection state."""

    def __init__(self, connections: Set[Any], loop: AbstractEventLoop) -> None:
        self.connections = connections
        self.loop = loop
        self.seen: dict[LimitedHttpProtocol, tuple[object, float]] = {}  # connection -> (request, since)
        self.running = False

    def opened(self, connection: LimitedHttpProtocol) -> None:
        self.seen[connection] = (None, time.monotonic())
        if not self.running:
            self.running = True
            self.loop.call_later(SWEEP_SECONDS, self.sweep)

    def since(self, connection: LimitedHttpProtocol) -> float:
        """When this connection's current request (or, without one, the connection) was first seen."""
        return self.seen.get(connection, (None, time.monotonic()))[1]

    def sweep(self) -> None:
        now = time.monotonic()
        seen = {}
        for connection in list(self.connections):
            if not isinstance(connection, LimitedHttpProtocol):
                continue
            request, allowed, part = connection.in_progress()
            before, since = self.seen.get(connection, (request, now))
            if before is not request:
                since = now
            seen[connection] = (request, since)
            if allowed and now - since >= allowed:
                connection.refuse(ApiError(408, "request_timeout", f"the {part} did not arrive within {allowed:g} s"))
        self.seen = seen
        if self.connections:
            self.loop.call_later(SWEEP_SECONDS, self.sweep)
        else:
            self.running = False


class JoinedWrites(Transport):
    """A connection's transport that sends what one turn of the event loop writes as one write.

    An app's `send` calls run back to back in one turn, and uvicorn writes a response's head at the
    first and its body at the second. Here the writes of a turn are kept and written together
    (one writev) when the turn ends; `close` writes what is kept first. Only what uvicorn's
    protocol asks of a transport is passed on.
    """

    def __init__(self, transport: Transport, loop: AbstractEventLoop) -> None:
        super().__init__()
        self.transport = transport
        self.loop = loop
        self.kept: list[bytes | bytearray | memoryview] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self.kept:
            self.loop.call_soon(self.flush)
        self.kept.append(data)

    def writelines(self, lines: Iterable[bytes | bytearray | memoryview]) -> None:
        for data in lines:
            self.write(data)

    def flush(self) -> None:
        kept, self.kept = self.kept, []
        if kept and not self.transport.is_closing():  # a connection lost meanwhile takes nothing more
            self.transport.writelines(kept)

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def is_closing(self) -> bool:
        return self.transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.transport.get_extra_info(name, default)

    def set_protocol(self, protocol: BaseProtocol) -> None:
        self.transport.set_protocol(protocol)
