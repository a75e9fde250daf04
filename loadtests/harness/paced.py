"""Open-model load with wrk: requests leave on a fixed schedule whether or not earlier ones returned.

Closed-model load (wrk's own, Locust) waits for a response before sending the next request, so a
slow server slows the load down and the queueing it causes never shows in the latencies
(coordinated omission). In rotate.lua's paced mode every wrk thread owns one connection and a
fixed schedule, and a request's latency counts from the time it was due: a server that falls
behind makes later requests late, and that lateness is measured. The same idea as wrk2, done in
wrk's Lua hooks because wrk2 is not packaged; a generator in Python falls behind its own schedule
well below the rates wrk reaches on a 2-core machine.
"""

import math
import time
from pathlib import Path

from harness import series, wrk
from harness.results import PhaseResult

LEAD_S = 0.5  # the schedule starts this long after launch: wrk first starts every thread


def command(url: str, payloads: Path, rate: float, seconds: float, connections: int) -> list[str]:
    """wrk in paced mode: `rate` requests/s for `seconds`, over `connections` (one per thread)."""
    start = time.monotonic() + LEAD_S
    mode = ("paced", f"{start:.6f}", f"{rate:g}", f"{seconds:g}", str(connections))
    # wrk counts whole seconds; at least half a second after the schedule lets the last answers arrive
    return wrk.command(url, payloads, connections, connections, math.ceil(LEAD_S + seconds + 0.5), *mode)


def parse(text: str, phase: str, rate: float, seconds: float) -> PhaseResult:
    """Requests sent on schedule, their latency from the due time, and what went wrong.

    A request still unanswered when wrk stopped counts as an error; wrk's own 2 s timeout counter
    does not, because the latency from the due time already judges slow answers.
    """
    closed = wrk.parse(text, phase)
    rows = series.decode(wrk.summary(text)["series"])
    sent = sum(r.sent for r in rows.values())
    answered = sum(r.answered for r in rows.values())
    errors = {kind: n for kind, n in closed.errors.items() if kind != "socket timeout"}
    if unanswered := sent - answered:
        errors["no answer before wrk stopped"] = unanswered
    return PhaseResult(
        phase=phase,
        tool="wrk (paced)",
        requests=sent,
        duration_s=seconds,
        latency_ms=series.summary_ms(series.merged(rows)),
        errors=errors,
        extra={"intended_rate": rate, "achieved_send_rate": sent / seconds, "completed_rate": answered / seconds},
    )
