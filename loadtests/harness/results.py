"""One shape for every phase's outcome, so thresholds and reports treat all tools alike."""

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class PhaseResult:
    """What one load phase measured. Latencies in milliseconds; `errors` are unexpected only."""

    phase: str
    tool: str
    requests: int
    duration_s: float
    latency_ms: dict[str, float]
    errors: dict[str, int] = field(default_factory=dict)
    expected_rejections: int = 0
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def failures(self) -> int:
        return sum(self.errors.values())

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "throughput": self.throughput, "failures": self.failures}
