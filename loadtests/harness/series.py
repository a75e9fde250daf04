"""Per-second figures from the flat table wrk/rotate.lua prints, and percentiles of its histograms.

rotate.lua keys each count by second * 10000 + field (1 sent, 2 ok, 3 not ok, 1000 + b for
latency bucket b from the due time, 5000 + b from the send time); bucket b holds latencies up to
exp((b + 1) / 50) microseconds, so a percentile read from it is at most 2% above the true value,
never below.
"""

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

FIELD = 10_000
SENT, OK, BAD, LATENCY, FROM_SEND = 1, 2, 3, 1000, 5000
BUCKETS_PER_E = 50
PERCENTILES = (50, 75, 90, 95, 99, 99.9)


@dataclass
class Second:
    """One second of a run: requests sent (paced mode only), answered ok and not ok, and latency
    histograms from the due time and from the send time (paced mode only)."""

    sent: int = 0
    ok: int = 0
    bad: int = 0
    latency: Counter[int] = field(default_factory=Counter)
    from_send: Counter[int] = field(default_factory=Counter)

    @property
    def answered(self) -> int:
        return self.ok + self.bad


def decode(table: Mapping[str, int]) -> dict[int, Second]:
    """The flat table as {second since the run's origin: Second}."""
    seconds: dict[int, Second] = {}
    for key, count in table.items():
        second, kind = divmod(int(key), FIELD)
        row = seconds.setdefault(second, Second())
        if kind >= FROM_SEND:
            row.from_send[kind - FROM_SEND] += count
        elif kind >= LATENCY:
            row.latency[kind - LATENCY] += count
        elif kind == SENT:
            row.sent += count
        elif kind == OK:
            row.ok += count
        else:
            row.bad += count
    return dict(sorted(seconds.items()))


def percentile_ms(histogram: Mapping[int, int], p: float) -> float:
    """The p-th percentile (upper edge of its bucket) in milliseconds; nan without samples."""
    total = sum(histogram.values())
    if not total:
        return math.nan
    rank, seen = max(1, math.ceil(total * p / 100)), 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return upper_ms(bucket)
    raise AssertionError("unreachable: the ranks add up to the total")


def upper_ms(bucket: int) -> float:
    return math.exp((bucket + 1) / BUCKETS_PER_E) / 1000


def summary_ms(histogram: Mapping[int, int]) -> dict[str, float]:
    """Percentiles, max and mean (from bucket edges) of a histogram, in milliseconds."""
    total = sum(histogram.values())
    mean = sum(upper_ms(b) * n for b, n in histogram.items()) / total if total else math.nan
    return {
        **{f"p{p:g}": percentile_ms(histogram, p) for p in PERCENTILES},
        "max": upper_ms(max(histogram)) if histogram else math.nan,
        "mean": mean,
    }


def merged(seconds: Mapping[int, Second]) -> Counter[int]:
    """One histogram of every second's latencies."""
    total: Counter[int] = Counter()
    for row in seconds.values():
        total.update(row.latency)
    return total
