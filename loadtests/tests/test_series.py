"""rotate.lua's flat per-second table, decoded, and percentiles read from its latency histograms."""

import math

import pytest
from harness import series


def key(second: int, field: int) -> str:
    return str(second * series.FIELD + field)


def bucket_of(ms: float) -> int:
    """The bucket rotate.lua puts a latency of `ms` milliseconds in."""
    return math.floor(math.log(ms * 1000) * series.BUCKETS_PER_E)


def test_decode_splits_seconds_and_fields():
    table = {key(0, series.SENT): 10, key(0, series.OK): 9, key(0, series.BAD): 1, key(3, series.OK): 4}
    table[key(0, series.LATENCY + bucket_of(2.0))] = 9
    table[key(0, series.FROM_SEND + bucket_of(1.5))] = 9
    rows = series.decode(table)
    assert list(rows) == [0, 3]
    assert (rows[0].sent, rows[0].ok, rows[0].bad, rows[0].answered) == (10, 9, 1, 10)
    assert rows[0].latency == {bucket_of(2.0): 9}
    assert rows[0].from_send == {bucket_of(1.5): 9}
    assert (rows[3].sent, rows[3].answered) == (0, 4)


@pytest.mark.parametrize("ms", [0.3, 1.0, 7.5, 49.0, 51.0, 1200.0])
def test_a_percentile_is_at_most_two_percent_above_the_latency_and_never_below(ms):
    found = series.percentile_ms({bucket_of(ms): 1}, 99)
    assert ms <= found <= ms * 1.021


def test_percentiles_rank_the_samples():
    histogram = {bucket_of(1.0): 98, bucket_of(10.0): 1, bucket_of(100.0): 1}
    assert series.percentile_ms(histogram, 50) == pytest.approx(1.0, rel=0.021)
    assert series.percentile_ms(histogram, 99) == pytest.approx(10.0, rel=0.021)
    assert series.percentile_ms(histogram, 99.9) == pytest.approx(100.0, rel=0.021)
    summary = series.summary_ms(histogram)
    assert summary["max"] == pytest.approx(100.0, rel=0.021)
    assert 1.0 < summary["mean"] < 3.2


def test_no_samples_give_nan_not_zero():
    assert math.isnan(series.percentile_ms({}, 99))
    assert math.isnan(series.summary_ms({})["max"])
