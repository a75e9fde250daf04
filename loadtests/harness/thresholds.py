"""Pass/fail limits for a run. Defaults follow the challenge and the SLOs; env overrides.

- at least 50,000 requests answered within the challenge's 45 s window, by wrk (the challenge);
- zero unexpected failures in the challenge and mixed-traffic phases (a 4xx for a malformed
  request is expected);
- p99 of the challenge phase below the latency SLO's threshold, read from slo/openslo. Locust's
  mixed phase is judged on failures only, because its Python client adds its own queueing to the
  latencies it reports;
- capacity at the SLO at least the challenge's own average rate (50,000 / 45 s);
- the SLO drill makes at least one paging alert fire (the rules notice a real outage);
- our service at least `min_ratio` times the reference app's throughput, without errors.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from harness import objectives
from harness.results import PhaseResult

JUDGED = ("challenge", "mix")


@dataclass(frozen=True)
class Thresholds:
    min_requests: int = 50_000
    max_duration_s: float = 45.0
    max_failures: int = 0
    p99_ms: float = field(default_factory=objectives.latency_threshold_ms)
    min_ratio: float = 12.0

    @property
    def challenge_rate(self) -> float:
        """The challenge's average rate: min_requests within max_duration_s."""
        return self.min_requests / self.max_duration_s

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Thresholds":
        """LOADTEST_MIN_REQUESTS, LOADTEST_MAX_DURATION, LOADTEST_MAX_FAILURES, LOADTEST_P99_MS,
        LOADTEST_MIN_RATIO."""
        source: Mapping[str, str] = os.environ if env is None else env
        default = cls()
        return cls(
            min_requests=int(source.get("LOADTEST_MIN_REQUESTS", default.min_requests)),
            max_duration_s=float(source.get("LOADTEST_MAX_DURATION", default.max_duration_s)),
            max_failures=int(source.get("LOADTEST_MAX_FAILURES", default.max_failures)),
            p99_ms=float(source.get("LOADTEST_P99_MS", default.p99_ms)),
            min_ratio=float(source.get("LOADTEST_MIN_RATIO", default.min_ratio)),
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
    """The checks of the challenge and mixed-traffic phases that ran."""
    checks = []
    for r in (r for r in phases if r.phase in JUDGED):
        if r.phase == "challenge":
            answered = int(r.extra["answered_in_window"])
            checks.append(
                Check(
                    r.phase,
                    f"requests answered within {limits.max_duration_s:g} s",
                    f">= {limits.min_requests:,}",
                    f"{answered:,}",
                    answered >= limits.min_requests,
                )
            )
        checks.append(
            Check(
                r.phase,
                "unexpected failures",
                f"<= {limits.max_failures}",
                f"{r.failures:,}",
                r.failures <= limits.max_failures,
            )
        )
        if r.phase == "challenge":
            p99 = r.latency_ms["p99"]
            checks.append(
                Check(r.phase, "p99 latency", f"< {limits.p99_ms:g} ms", f"{p99:.1f} ms", p99 < limits.p99_ms)
            )
    return checks


def capacity(rate: float, limits: Thresholds) -> Check:
    required = f">= {limits.challenge_rate:,.0f} req/s (the challenge's average rate)"
    return Check("capacity", "capacity at the SLO", required, f"{rate:,.0f} req/s", rate >= limits.challenge_rate)


def drill(pages: list[str]) -> Check:
    """`pages`: the names of the paging alerts Prometheus fired during the run."""
    return Check("drill", "paging alerts fired", ">= 1", ", ".join(sorted(pages)) or "none", bool(pages))


def anchors(ratio: float, failures: int, limits: Thresholds) -> Check:
    required = f">= {limits.min_ratio:g}x the reference, 0 errors"
    measured = f"{ratio:.1f}x, {failures:,} errors"
    return Check("anchors", "our throughput", required, measured, ratio >= limits.min_ratio and failures == 0)
