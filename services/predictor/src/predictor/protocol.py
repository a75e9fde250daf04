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
- on drain, the last request received on each connection is answered with Connection: close.
"""

import logging
import resource
import time
from asyncio import AbstractEventLoop, Transport
from collections.abc import Set
from dataclasses import dataclass
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from predictor.errors import JSON, ApiError
from predictor.settings import Settings

log = logging.getLogger("predictor")
FD_RESERVE = 64  # descriptors kept for everything that is not a client connection (files, pipes, sockets)
NEAR_BUDGET = 0.8
WARN_EVERY_SECONDS = 10.0
SWEEP_SECONDS = 0.5  # deadlines are checked this often: a timer per request would cost more than the check


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
    sweeping: ClassVar[bool] = False  # one deadline sweep per worker, while it has connections

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_head = False
        self.head_bytes = 0
        self.expected: tuple[float, str, float] | None = None  # (deadline, what, seconds allowed)
        self.active_at = time.monotonic()
        self.draining = False

    def connection_made(self, transport: Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._keep_within_budget()
        # uvicorn arms its idle timer only after a response: a connection that never sends stays open
        self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)
        if not LimitedHttpProtocol.sweeping:
            LimitedHttpProtocol.sweeping = True
            self.loop.call_later(SWEEP_SECONDS, _sweep, self.connections, self.loop)

    def data_received(self, data: bytes) -> None:
        self.active_at = time.monotonic()
        super().data_received(data)
        if self.in_head:  # the whole chunk counts: the cap is exceeded by one read at most
            self.head_bytes += len(data)
            if self.head_bytes > self.limits.max_header_bytes:
                limit = self.limits.max_header_bytes
                self._refuse(ApiError(431, "headers_too_large", f"request line and headers exceed {limit} bytes"))

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.in_head, self.head_bytes = True, 0
        self._expect("request line and headers", self.limits.header_timeout)

    def on_headers_complete(self) -> None:
        self.in_head = False
        super().on_headers_complete()
        if self.draining:
            self.cycle.keep_alive = False
        self._expect("request body", self.limits.body_timeout)

    def on_message_complete(self) -> None:
        self.expected = None
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        self._refuse(ApiError(400, "malformed_request", msg))

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

    def _expect(self, part: str, seconds: float) -> None:
        self.expected = (time.monotonic() + seconds, part, seconds)

    def too_slow(self, now: float) -> None:
        """408 if what this connection was expected to send is late."""
        if self.expected is not None and self.expected[0] <= now:
            _, part, seconds = self.expected
            self._refuse(ApiError(408, "request_timeout", f"the {part} did not arrive within {seconds:g} s"))

    def _refuse(self, error: ApiError) -> None:
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
        if open_now > budget:
            waiting = [
                c for c in self.connections if isinstance(c, LimitedHttpProtocol) and c is not self and c.waiting()
            ]
            if waiting:
                min(waiting, key=lambda c: c.active_at).transport.close()


def _sweep(connections: Set[Any], loop: AbstractEventLoop) -> None:
    now = time.monotonic()
    for connection in list(connections):
        if isinstance(connection, LimitedHttpProtocol):
            connection.too_slow(now)
    if connections:
        loop.call_later(SWEEP_SECONDS, _sweep, connections, loop)
    else:
        LimitedHttpProtocol.sweeping = False
