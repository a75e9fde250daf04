"""wrk and Locust outputs recorded from real runs, read back into PhaseResults."""

from pathlib import Path

import pytest
from harness import locustrun, paced, series, wrk

FIXTURES = Path(__file__).parent / "fixtures"
RUN = FIXTURES / "run"


def test_wrk_summary_line_gives_totals_and_latencies_in_ms():
    result = wrk.parse((RUN / "challenge_wrk.txt").read_text(), "challenge")
    assert (result.tool, result.requests, result.failures) == ("wrk", 16_976, 0)
    assert result.duration_s == pytest.approx(3.023, abs=0.001)
    assert result.latency_ms["p50"] < result.latency_ms["p99"] <= result.latency_ms["max"]


def test_wrk_series_mode_counts_every_answer_by_second():
    text = (RUN / "challenge_wrk.txt").read_text()
    rows = series.decode(wrk.summary(text)["series"])
    assert list(rows) == [0, 1, 2, 3]  # 3.023 s: three whole seconds and the start of a fourth
    assert sum(r.ok for r in rows.values()) == wrk.parse(text, "challenge").requests


def test_paced_output_counts_what_was_sent_on_schedule_and_what_failed():
    step = paced.parse((RUN / "capacity_050.txt").read_text(), "capacity 50%", 2807, 1)
    assert (step.tool, step.requests, step.failures) == ("wrk (paced)", 2807, 0)
    assert step.extra == {"intended_rate": 2807, "achieved_send_rate": 2807.0, "completed_rate": 2807.0}
    assert step.latency_ms["p50"] <= step.latency_ms["p99"] <= step.latency_ms["max"]
    drill = paced.parse((RUN / "drill_wrk.txt").read_text(), "drill", 500, 8)
    assert (drill.requests, drill.errors) == (4000, {"status 500": 188})


def test_wrk_non_200_answers_are_counted_by_status():
    result = wrk.parse((FIXTURES / "wrk_status_errors.txt").read_text(), "stress")
    assert result.requests == 2_911
    assert result.errors == {"status 422": 1_456}
    assert result.latency_ms["p99"] == pytest.approx(12.531)


def test_wrk_output_without_summary_line_is_an_error():
    with pytest.raises(StopIteration):
        wrk.parse("Running 1s test @ http://127.0.0.1:1/api\n", "stress")


def test_locust_final_totals_and_expected_rejections():
    result = locustrun.parse(RUN / "mix", "mix")
    assert result.tool == "locust"
    assert result.requests == 1_500 == 1_207 + 24 + 119 + 150  # the Aggregated row: all endpoints
    assert result.failures == 0
    assert result.expected_rejections == 24
    assert result.duration_s == pytest.approx(2.99, abs=0.01)


def test_locust_failures_become_kinds_with_our_own_messages():
    result = locustrun.parse(FIXTURES / "run_reference/mix", "mix")
    assert result.errors["/api/batch: status 404"] == 42
    assert result.errors["/api (malformed): extra field: status 200, not a 4xx JSON error"] == 4
    assert result.failures == 54
    assert result.expected_rejections == 0  # the reference app never answers a 4xx JSON error
