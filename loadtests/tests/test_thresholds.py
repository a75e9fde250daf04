"""Threshold logic: which checks apply to which phase, and where the limits come from."""

import shutil

import pytest
from harness import objectives
from harness.results import PhaseResult
from harness.thresholds import Thresholds, anchors, capacity, drill, evaluate
from slokit import model, paths

LATENCY = {"p50": 2.0, "p95": 5.0, "p99": 9.0, "max": 30.0}


def phase(name: str, answered: int = 60_000, **kw) -> PhaseResult:
    extra = {"answered_in_window": answered} if name == "challenge" else {}
    return PhaseResult(name, "tool", answered, 45.0, kw.pop("latency_ms", LATENCY), extra=extra, **kw)


def failed(checks) -> set[tuple[str, str]]:
    return {(c.phase, c.name) for c in checks if not c.passed}


def test_a_good_run_passes_every_check():
    checks = evaluate([phase("challenge"), phase("mix"), phase("drill")], Thresholds())
    assert failed(checks) == set()
    assert len(checks) == 4  # challenge: requests, failures, p99; mix: failures; the drill is judged by its alerts


def test_fewer_answers_than_required_within_the_window_fail_the_challenge():
    checks = evaluate([phase("challenge", answered=49_999)], Thresholds())
    assert failed(checks) == {("challenge", "requests answered within 45 s")}
    assert evaluate([phase("challenge", answered=50_000)], Thresholds())[0].passed


def test_any_unexpected_failure_fails_its_phase_but_expected_rejections_do_not():
    assert failed(evaluate([phase("mix", errors={"/api: status 500": 1})], Thresholds())) == {
        ("mix", "unexpected failures")
    }
    assert failed(evaluate([phase("mix", expected_rejections=400)], Thresholds())) == set()


def test_p99_is_judged_on_the_challenge_but_not_on_locust():
    slow = {**LATENCY, "p99": 50.0}
    checks = evaluate([phase(p, latency_ms=slow) for p in ("challenge", "mix")], Thresholds(p99_ms=50.0))
    assert failed(checks) == {("challenge", "p99 latency")}


def test_capacity_must_reach_the_challenges_average_rate():
    limits = Thresholds(min_requests=45_000, max_duration_s=45.0)
    assert capacity(1_000, limits).passed and not capacity(999, limits).passed


def test_the_drill_passes_only_when_a_paging_alert_fired():
    assert drill(["ApiAvailabilityPageFastBurn"]).passed
    assert not drill([]).passed


def test_our_service_must_beat_the_reference_by_the_ratio_without_errors():
    limits = Thresholds(min_ratio=12.0)
    assert anchors(12.0, 0, limits).passed
    assert not anchors(11.9, 0, limits).passed
    assert not anchors(30.0, 1, limits).passed


def test_limits_come_from_the_environment():
    env = {
        "LOADTEST_MIN_REQUESTS": "10",
        "LOADTEST_MAX_DURATION": "5",
        "LOADTEST_MAX_FAILURES": "2",
        "LOADTEST_P99_MS": "15",
        "LOADTEST_MIN_RATIO": "3",
    }
    assert Thresholds.from_env(env) == Thresholds(10, 5.0, 2, 15.0, 3.0)


@pytest.fixture
def catalog_with_a_100_ms_threshold(tmp_path, monkeypatch):
    folder = tmp_path / "openslo"
    shutil.copytree(paths.OPENSLO_DIR, folder)
    sli = folder / "sli-api-latency.yaml"
    sli.write_text(sli.read_text().replace('le="0.05"', 'le="0.1"'))
    monkeypatch.setattr(objectives, "catalog", lambda: model.load(folder))


def test_the_p99_limit_is_the_latency_slos_threshold_in_slo_openslo(catalog_with_a_100_ms_threshold):
    assert objectives.latency_threshold_ms() == 100.0
    assert Thresholds().p99_ms == 100.0
    assert Thresholds.from_env({}).p99_ms == 100.0
