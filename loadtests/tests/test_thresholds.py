"""Threshold logic: which checks apply to which phase, and where the limits come from."""

from harness.results import PhaseResult
from harness.thresholds import Thresholds, evaluate

LATENCY = {"p50": 2.0, "p95": 5.0, "p99": 9.0, "max": 30.0}


def phase(name: str, requests: int = 60_000, seconds: float = 40.0, **kw) -> PhaseResult:
    return PhaseResult(name, "tool", requests, seconds, kw.pop("latency_ms", LATENCY), **kw)


def failed(checks) -> set[tuple[str, str]]:
    return {(c.phase, c.name) for c in checks if not c.passed}


def test_a_good_run_passes_every_check():
    checks = evaluate([phase("stress"), phase("mix"), phase("open")], Thresholds())
    assert failed(checks) == set()
    assert len(checks) == 7  # stress: 4, mix: 1 (failures only), open: 2


def test_too_few_requests_or_too_long_fails_the_stress_phase():
    checks = evaluate([phase("stress", requests=49_999, seconds=45.5)], Thresholds())
    assert failed(checks) == {("stress", "requests"), ("stress", "duration")}


def test_exactly_at_the_limits_passes():
    checks = evaluate([phase("stress", requests=50_000, seconds=45.0)], Thresholds())
    assert failed(checks) == set()


def test_any_unexpected_failure_fails_its_phase():
    checks = evaluate([phase("mix", errors={"/api: status 500": 1})], Thresholds())
    assert failed(checks) == {("mix", "unexpected failures")}


def test_expected_rejections_are_not_failures():
    checks = evaluate([phase("mix", expected_rejections=400)], Thresholds())
    assert failed(checks) == set()


def test_p99_is_judged_on_stress_and_open_but_not_on_locust():
    slow = {**LATENCY, "p99": 50.0}
    checks = evaluate([phase(p, latency_ms=slow) for p in ("stress", "mix", "open")], Thresholds())
    assert failed(checks) == {("stress", "p99 latency"), ("open", "p99 latency")}


def test_limits_come_from_the_environment():
    env = {
        "LOADTEST_MIN_REQUESTS": "10",
        "LOADTEST_MAX_DURATION": "5",
        "LOADTEST_MAX_FAILURES": "2",
        "LOADTEST_P99_MS": "15",
    }
    assert Thresholds.from_env(env) == Thresholds(10, 5.0, 2, 15.0)
    assert Thresholds.from_env({}) == Thresholds(50_000, 45.0, 0, 50.0)
