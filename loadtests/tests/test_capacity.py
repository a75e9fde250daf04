"""The knee: the last open-model step within the SLO before the first one that misses it."""

from harness.capacity import Step, knee
from harness.results import PhaseResult


def step(fraction: float, p99: float, failures: int = 0) -> Step:
    errors = {"status 500": failures} if failures else {}
    return Step(fraction, PhaseResult(f"capacity {fraction:.0%}", "wrk (paced)", 100, 4.0, {"p99": p99}, errors))


def test_the_knee_is_the_last_step_before_the_first_miss():
    steps = [step(0.25, 2.0), step(0.5, 9.0), step(0.75, 49.0), step(0.9, 51.0), step(1.0, 40.0)]
    assert knee(steps, 50.0).fraction == 0.75  # 100% passing again after a miss is noise, not capacity


def test_a_step_with_any_failure_is_past_the_knee():
    assert knee([step(0.25, 2.0), step(0.5, 3.0, failures=1)], 50.0).fraction == 0.25


def test_no_step_within_the_slo_means_no_capacity():
    assert knee([step(0.25, 60.0)], 50.0) is None
