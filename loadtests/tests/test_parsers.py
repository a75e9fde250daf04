"""wrk and Locust outputs recorded from real runs, read back into PhaseResults."""

from pathlib import Path

import pytest
from harness import locustrun, openloop, wrk

FIXTURES = Path(__file__).parent / "fixtures"


def test_wrk_summary_line_gives_totals_and_latencies_in_ms():
    result = wrk.parse((FIXTURES / "run_pass/stress_wrk.txt").read_text(), "stress")
    assert (result.tool, result.requests, result.failures) == ("wrk", 13_413, 0)
    assert result.duration_s == pytest.approx(3.03, abs=0.01)
    assert result.latency_ms["p50"] < result.latency_ms["p99"] <= result.latency_ms["max"]


def test_wrk_non_200_answers_are_counted_by_status():
    result = wrk.parse((FIXTURES / "wrk_status_errors.txt").read_text(), "stress")
    assert result.requests == 2_911
    assert result.errors == {"status 422": 1_456}
    assert result.latency_ms["p99"] == pytest.approx(12.531)


def test_wrk_output_without_summary_line_is_an_error():
    with pytest.raises(StopIteration):
        wrk.parse("Running 1s test @ http://127.0.0.1:1/api\n", "stress")


def test_locust_final_totals_and_expected_rejections():
    result = locustrun.parse(FIXTURES / "run_pass/mix", "mix")
    assert result.tool == "locust"
    assert result.requests == 1_678 == 1_503 + 36 + 139  # the Aggregated row: all endpoints
    assert result.failures == 0
    assert result.expected_rejections == 36
    assert result.duration_s == pytest.approx(4.28, abs=0.01)


def test_locust_failures_become_kinds_with_our_own_messages():
    result = locustrun.parse(FIXTURES / "run_reference/mix", "mix")
    assert result.errors["/api/batch: status 404"] == 42
    assert result.errors["/api (malformed): extra field: status 200, not a 4xx JSON error"] == 4
    assert result.failures == 54
    assert result.expected_rejections == 0  # the reference app never answers a 4xx JSON error


def test_openloop_json_reads_back_with_rates():
    result = openloop.parse(FIXTURES / "run_pass/openloop.json")
    assert (result.tool, result.requests, result.failures) == ("harness.openloop", 1_500, 0)
    assert result.extra["intended_rate"] == 500
    assert result.extra["achieved_send_rate"] == pytest.approx(500, rel=0.02)
