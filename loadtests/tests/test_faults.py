"""The drill's faults: they live in the harness's launcher only, and follow their plan."""

from pathlib import Path

import pytest
from harness import faults

SERVICE_SOURCE = Path(__file__).resolve().parents[2] / "services/predictor/src"


def plan(**kw) -> faults.Plan:
    always = {"after_s": 0.0, "for_s": 3600.0, "error_share": 0.0, "slow_share": 0.0, "slow_ms": 0.0}
    return faults.Plan(**(always | kw))


def test_inside_the_window_the_error_share_of_calls_raise():
    failing = plan(error_share=0.25)
    raised = 0
    for _ in range(4000):
        try:
            failing.apply()
        except faults.InjectedFault:
            raised += 1
    assert 800 < raised < 1200


def test_before_the_window_opens_nothing_fails():
    later = plan(after_s=3600.0, error_share=1.0)
    for _ in range(100):
        later.apply()


def test_wrapping_keeps_the_models_answer():
    calls = []

    def predict_one(row):
        calls.append(row)
        return 1

    wrapped = faults._faulty(predict_one, plan())
    assert wrapped([0, 1]) == 1 and calls == [[0, 1]]
    with pytest.raises(faults.InjectedFault):
        faults._faulty(predict_one, plan(error_share=1.0))([0, 1])


def test_nothing_in_the_service_package_can_turn_faults_on():
    mentions = [
        str(path.relative_to(SERVICE_SOURCE))
        for path in SERVICE_SOURCE.rglob("*.py")
        if any(word in path.read_text() for word in ("LOADTEST_FAULTS", "harness", "InjectedFault"))
    ]
    assert mentions == []
