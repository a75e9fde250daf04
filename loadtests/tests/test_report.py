"""The report generator on a recorded run folder: summary.md, summary.json and the figures."""

import json
import re
import shutil
from pathlib import Path

import pytest
from harness import report

RUN = Path(__file__).parent / "fixtures/run"
PNG = b"\x89PNG\r\n\x1a\n"
FIGURES = ("challenge", "capacity", "drill", "slo_api-availability", "slo_api-latency", "anchors", "mix")


@pytest.fixture
def folder(tmp_path) -> Path:
    copy = tmp_path / "20261130T094357Z"
    shutil.copytree(RUN, copy)
    return copy


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list]:
    """The recorded run, reported once for the tests that only read the report."""
    copy = tmp_path_factory.mktemp("built") / "20261130T094357Z"
    shutil.copytree(RUN, copy)
    return copy, report.build(copy)


def edit_thresholds(folder: Path, **limits) -> None:
    run = json.loads((folder / "run.json").read_text())
    run["thresholds"] |= limits
    (folder / "run.json").write_text(json.dumps(run))


def test_summary_opens_with_the_requirement_the_result_and_the_verdict_in_both_languages(built):
    folder, checks = built
    assert all(c.passed for c in checks)
    lines = (folder / "summary.md").read_text().splitlines()
    assert lines[1].startswith("# Load test report: 2026-11-30")
    assert lines[3].startswith("> **Desafío:** al menos 1.000 requests en 45 s, con wrk. **Medido:** 16.976 requests")
    assert "**Veredicto: cumple** (17,0 veces lo exigido)" in lines[3]
    assert lines[5].startswith("> **Challenge:** at least 1,000 requests in 45 s, with wrk. **Measured:** 16,976")
    assert "**Verdict: pass** (17.0 times the requirement)" in lines[5]


def test_one_section_and_figure_per_phase_the_challenge_first(built):
    folder, _ = built
    summary = (folder / "summary.md").read_text()
    sections = re.findall(r"^## (.+)$", summary, re.MULTILINE)
    assert sections[:5] == [
        "1. The challenge's phase",
        "2. Capacity at the SLO",
        "3. SLO burn during the run",
        "4. The anchors side by side",
        "5. Mixed traffic",
    ]
    shown = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", summary)
    assert shown == [f"{name}.png" for name in FIGURES]
    for name in shown:
        assert (folder / name).read_bytes().startswith(PNG)


def test_the_figures_in_summary_json_add_up(built):
    folder, _ = built
    figures = json.loads((folder / "summary.json").read_text())
    assert figures["challenge"]["answered_in_window"] == figures["challenge"]["requests"] == 16_976
    steps = figures["capacity"]["steps"]
    knee = figures["capacity"]["knee"]
    first_miss = next((s for s in steps if not s["within_slo"]), None)
    assert knee["rate"] == max(s["rate"] for s in steps if first_miss is None or s["rate"] < first_miss["rate"])
    assert figures["slo"]["alerts"]["ApiAvailabilityPageFastBurn"]["severity"] == "page"
    ours = figures["anchors"][-1]
    assert ours["key"] == "ours" and ours["share_of_ours"] == 1.0
    assert ours["ratio_to_reference"] == pytest.approx(ours["throughput"] / figures["anchors"][0]["throughput"])


def test_a_failing_run_names_what_failed_in_the_headline_and_the_thresholds(folder):
    edit_thresholds(folder, min_requests=100_000, p99_ms=0.001)
    checks = report.build(folder)
    summary = (folder / "summary.md").read_text()
    failed = {(c.phase, c.name) for c in checks if not c.passed}
    assert failed == {
        ("challenge", "requests answered within 45 s"),
        ("challenge", "p99 latency"),
        ("capacity", "capacity at the SLO"),
    }
    assert "**Veredicto: NO cumple**" in summary and "**Verdict: FAIL**" in summary
    assert summary.count("| **FAIL** |") == len(failed)


def test_the_file_list_names_exactly_the_described_files_in_the_folder(folder):
    (folder / "unrelated.log").write_text("not listed\n")
    for path in folder.glob("mix_*"):
        path.unlink()
    report.build(folder)
    summary = (folder / "summary.md").read_text()
    listed = re.findall(r"^- `([^`]+)`:", summary.split("## Files", 1)[1], re.MULTILINE)
    assert set(listed) == {p.name for p in folder.iterdir()} - {"unrelated.log", "summary.md"}
    assert "The mixed-traffic phase did not run." in summary


def test_a_folder_with_only_the_challenge_still_reports(tmp_path):
    for name in ("run.json", "challenge_wrk.txt"):
        shutil.copy(RUN / name, tmp_path)
    checks = report.build(tmp_path)
    assert {c.phase for c in checks} == {"challenge"}
    summary = (tmp_path / "summary.md").read_text()
    assert "The capacity phase did not run." in summary and "no SLO burn to show" in summary
    assert (tmp_path / "challenge.png").read_bytes().startswith(PNG)
