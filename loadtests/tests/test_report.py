"""The report generator on recorded run folders: summary.md, summary.json and plots."""

import json
import shutil
from pathlib import Path

import pytest
from harness import report

FIXTURES = Path(__file__).parent / "fixtures"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def built(tmp_path, request):
    folder = tmp_path / request.param
    shutil.copytree(FIXTURES / request.param, folder)
    phases, checks = report.build(folder)
    return folder, phases, checks


@pytest.mark.parametrize("built", ["run_pass"], indirect=True)
def test_a_passing_run_gets_every_section_and_file(built):
    folder, phases, checks = built
    summary = (folder / "summary.md").read_text()
    assert "**PASS**: all 7 checks passed" in summary
    for section in ("## Environment", "## Methodology", "## Results", "## Thresholds", "## Plots"):
        assert section in summary
    assert "| cores | 2 |" in summary and "| git commit |" in summary
    assert "| stress | wrk | 13,413 |" in summary
    assert "| mix | locust | 1,678 |" in summary
    assert "| open | harness.openloop | 1,500 |" in summary
    assert "No unexpected failures in any phase." in summary
    for png in ("throughput.png", "latency.png", "histogram.png"):
        assert (folder / png).read_bytes().startswith(PNG)
    assert [p.phase for p in phases] == ["stress", "mix", "open"]
    assert all(c.passed for c in checks)


@pytest.mark.parametrize("built", ["run_pass"], indirect=True)
def test_summary_json_matches_the_raw_outputs(built):
    folder, _, _ = built
    data = json.loads((folder / "summary.json").read_text())
    assert data["passed"] is True
    stress = data["phases"][0]
    assert stress["requests"] == 13_413
    assert stress["throughput"] == pytest.approx(13_413 / stress["duration_s"])


@pytest.mark.parametrize("built", ["run_reference"], indirect=True)
def test_a_failing_run_names_what_failed(built):
    folder, _, checks = built
    summary = (folder / "summary.md").read_text()
    failed = {(c.phase, c.name) for c in checks if not c.passed}
    assert ("mix", "unexpected failures") in failed and ("stress", "requests") in failed
    assert summary.count("| **FAIL** |") == len(failed)
    assert f"**FAIL**: {len(failed)} of {len(checks)} checks failed" in summary
    assert "| mix | /api/batch: status 404 | 42 |" in summary


def test_a_folder_with_only_wrk_output_still_reports(tmp_path):
    shutil.copy(FIXTURES / "run_pass/run.json", tmp_path)
    shutil.copy(FIXTURES / "run_pass/stress_wrk.txt", tmp_path)
    phases, checks = report.build(tmp_path)
    assert [p.phase for p in phases] == ["stress"]
    assert len(checks) == 4
    assert "The open-model phase did not run." in (tmp_path / "summary.md").read_text()
    assert not (tmp_path / "latency.png").exists()
