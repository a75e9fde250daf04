"""Pass/fail limits for a run. Defaults follow the challenge and the latency SLO; env overrides.

- at least 50,000 requests in the capacity phase, finished within 45 s (the challenge);
- zero unexpected failures in every phase (a 4xx for a malformed request is expected);
- p99 below 50 ms in the capacity and open-model phases: the latency SLI threshold of the
  service (a histogram bucket boundary in /metrics). Locust's mixed phase is judged on failures
  only, because its Python client adds its own queueing to the latencies it reports.
"""

import os
from dataclasses import dataclass

from harness.results import PhaseResult

LATENCY_JUDGED = ("stress", "open")


@dataclass(frozen=True)
class Thresholds:
    min_requests: int = 50_000
    max_duration_s: float = 45.0
    max_failures: int = 0
    p99_ms: float = 50.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Thresholds":
        """LOADTEST_MIN_REQUESTS, LOADTEST_MAX_DURATION, LOADTEST_MAX_FAILURES, LOADTEST_P99_MS."""
        env = os.environ if env is None else env
        default = cls()
        return cls(
            min_requests=int(env.get("LOADTEST_MIN_REQUESTS", default.min_requests)),
            max_duration_s=float(env.get("LOADTEST_MAX_DURATION", default.max_duration_s)),
            max_failures=int(env.get("LOADTEST_MAX_FAILURES", default.max_failures)),
            p99_ms=float(env.get("LOADTEST_P99_MS", default.p99_ms)),
        )


@dataclass(frozen=True)
class Check:
    """One judged figure: what was required, what was measured, and whether it passed."""

    phase: str
    name: str
    required: str
    measured: str
    passed: bool


def evaluate(phases: list[PhaseResult], limits: Thresholds) -> list[Check]:
    """Every check that applies to the phases that ran."""
    checks = []
    for r in phases:
        if r.phase == "stress":
            checks += [
                Check(
                    r.phase,
                    "requests",
                    f">= {limits.min_requests:,}",
                    f"{r.requests:,}",
                    r.requests >= limits.min_requests,
                ),
                Check(
                    r.phase,
                    "duration",
                    f"<= {limits.max_duration_s:g} s",
                    f"{r.duration_s:.2f} s",
                    r.duration_s <= limits.max_duration_s,
                ),
            ]
        checks.append(
            Check(
                r.phase,
                "unexpected failures",
                f"<= {limits.max_failures}",
                str(r.failures),
                r.failures <= limits.max_failures,
            )
        )
        if r.phase in LATENCY_JUDGED:
            p99 = r.latency_ms["p99"]
            checks.append(
                Check(r.phase, "p99 latency", f"< {limits.p99_ms:g} ms", f"{p99:.1f} ms", p99 < limits.p99_ms)
            )
    return checks
