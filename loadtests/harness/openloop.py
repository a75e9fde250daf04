"""Open-model load: requests leave on a fixed schedule whether or not earlier ones have returned.

Closed-model tools (wrk, Locust) wait for a response before sending the next request, so a slow
server slows the load down and the queueing it causes never shows in their latencies (coordinated
omission). Here request i is due at start + i / rate, and its latency is measured from that due
time: waiting for a free connection or behind a late schedule counts as latency.
"""

import asyncio
import itertools
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import uvloop

from harness.http1 import Connection, Target
from harness.results import PhaseResult

TIMEOUT_S = 10.0
WARM_CONNECTIONS = 16  # opened before the clock starts, so start-up is not a connect storm


@dataclass
class Samples:
    """What happened to every request: due offset (s), send lag (s), latency (s), outcome."""

    due: list[float] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)
    latency: list[float] = field(default_factory=list)
    outcome: list[str] = field(default_factory=list)
    connections: int = 0


def _judge(status: int, body: bytes) -> str:
    """'ok' for a 200 carrying one 0/1 prediction, otherwise the kind of error."""
    if status != 200:
        return f"status {status}"
    try:
        ok = json.loads(body).get("predicciones") in ([0], [1])
    except (ValueError, AttributeError):
        ok = False
    return "ok" if ok else "bad body"


class _Pool:
    """At most `size` keep-alive connections, opened lazily and reused."""

    def __init__(self, target: Target, size: int, samples: Samples) -> None:
        self.target, self.samples = target, samples
        self.free = asyncio.Semaphore(size)
        self.idle: list[Connection] = []

    async def warm(self, count: int) -> None:
        self.idle += await asyncio.gather(*(Connection.open(self.target) for _ in range(count)))
        self.samples.connections += count

    def _reuse(self) -> Connection | None:
        """The most recently used idle connection the server has not closed meanwhile."""
        while self.idle:
            conn = self.idle.pop()
            if not conn.reader.at_eof():
                return conn
            conn.close()  # the server's keep-alive timeout closed it while it sat idle
        return None

    async def send(self, request: bytes) -> tuple[int, bytes]:
        async with self.free:
            if (conn := self._reuse()) is None:
                conn = await Connection.open(self.target)
                self.samples.connections += 1
            try:
                status, body = await conn.exchange(request)
            except BaseException:
                conn.close()
                raise
            if conn.reusable:
                self.idle.append(conn)
            else:
                conn.close()
            return status, body


async def _one(pool: _Pool, request: bytes, due: float, start: float, out: Samples) -> None:
    sent = time.perf_counter()
    try:
        status, body = await asyncio.wait_for(pool.send(request), TIMEOUT_S)
        outcome = _judge(status, body)
    except TimeoutError:
        outcome = "timeout"
    except OSError as error:
        outcome = f"connection error ({type(error).__name__})"
    except asyncio.IncompleteReadError:
        outcome = "connection closed mid-response"
    except ValueError:
        outcome = "malformed response"
    out.due.append(due - start)
    out.lag.append(sent - due)
    out.latency.append(time.perf_counter() - due)
    out.outcome.append(outcome)


async def _run(target: Target, bodies: list[bytes], rate: float, duration: float, size: int):
    out = Samples()
    pool = _Pool(target, size, out)
    await pool.warm(WARM_CONNECTIONS)
    requests = [target.post(b) for b in bodies]
    start, pending = time.perf_counter() + 0.05, set()
    next_progress = 5.0
    for i, request in zip(range(int(rate * duration)), itertools.cycle(requests), strict=False):
        due = start + i / rate
        # Sleep until due; when behind, still yield so responses keep being read.
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        task = asyncio.create_task(_one(pool, request, due, start, out))
        pending.add(task)
        task.add_done_callback(pending.discard)
        if due - start >= next_progress:
            errors = sum(o != "ok" for o in out.outcome)
            print(
                f"  open-loop {next_progress:4.0f}/{duration:.0f} s: sent {i + 1}, "
                f"done {len(out.outcome)}, errors {errors}",
                flush=True,
            )
            next_progress += 5.0
    await asyncio.gather(*pending)
    for conn in pool.idle:
        conn.close()
    return out, time.perf_counter() - start


def run(target: Target, bodies: list[bytes], rate: float, duration: float, size: int = 256):
    """Send rate * duration requests on schedule; return the samples and the elapsed seconds."""
    return uvloop.run(_run(target, bodies, rate, duration, size))


def _per_second(due, lag, latency_ms, answered, duration: float) -> list[dict]:
    """Requests sent and completed in each second of the run; latency of those due in it."""
    sent_at = np.floor(due + lag)
    done_at = np.floor(due + latency_ms / 1000)[answered]
    seconds = int(max(np.ceil(duration), done_at.max() + 1 if len(done_at) else 0))
    rows = []
    for second in range(seconds):
        chunk = latency_ms[(due >= second) & (due < second + 1) & answered]
        rows.append(
            {
                "t": second,
                "sent": int((sent_at == second).sum()),
                "completed": int((done_at == second).sum()),
                **{f"p{p}": float(np.percentile(chunk, p)) if len(chunk) else None for p in (50, 95, 99)},
            }
        )
    return rows


def summarise(samples: Samples, rate: float, duration: float, elapsed: float) -> dict:
    """Rates, latency percentiles (from the due time), errors by kind, per-second series.

    Timeouts and connection errors have no latency; they count as requests and as errors.
    """
    due, lag = np.asarray(samples.due), np.asarray(samples.lag)
    latency_ms = np.asarray(samples.latency) * 1000
    answered = np.asarray([not o.startswith(("timeout", "connection")) for o in samples.outcome])
    ms = latency_ms[answered] if answered.any() else np.zeros(1)
    edges = np.geomspace(max(ms.min(), 0.05), max(ms.max(), 0.1), 41)
    counts, _ = np.histogram(ms, bins=edges)
    last_send = float((due + lag).max()) if len(lag) else 0.0
    return {
        "intended_rate": rate,
        "duration_s": duration,
        "requests": len(samples.outcome),
        "achieved_send_rate": len(lag) / (last_send + 1 / rate),
        "throughput": len(samples.outcome) / elapsed if elapsed else 0.0,
        "elapsed_s": elapsed,
        "connections_opened": samples.connections,
        "errors": dict(Counter(o for o in samples.outcome if o != "ok")),
        "latency_ms": {
            **{f"p{p}": float(np.percentile(ms, p)) for p in (50, 90, 95, 99, 99.9)},
            "max": float(ms.max()),
            "mean": float(ms.mean()),
        },
        "send_lag_ms": {p: float(np.percentile(lag * 1000, q)) for p, q in (("p50", 50), ("p99", 99), ("max", 100))},
        "per_second": _per_second(due, lag, latency_ms, answered, duration),
        "histogram_ms": {"edges": edges.tolist(), "counts": counts.tolist()},
    }


def measure(url: str, bodies: list[bytes], rate: float, duration: float, token: str | None) -> dict:
    """Run the open-loop load against url and return its summary (see `summarise`)."""
    samples, elapsed = run(Target.from_url(url, token), bodies, rate, duration)
    return summarise(samples, rate, duration, elapsed)


def parse(path: Path) -> PhaseResult:
    """The open-model phase as a PhaseResult, read back from the openloop.json it wrote."""
    data = json.loads(path.read_text())
    return PhaseResult(
        phase="open",
        tool="harness.openloop",
        requests=data["requests"],
        duration_s=data["elapsed_s"],
        latency_ms=data["latency_ms"],
        errors=data["errors"],
        extra={
            "intended_rate": data["intended_rate"],
            "achieved_send_rate": data["achieved_send_rate"],
            "send_lag_p99_ms": data["send_lag_ms"]["p99"],
            "connections_opened": data["connections_opened"],
        },
    )
