"""The docs quote the published run and the benchmark records through generated blocks, never by hand."""

import json
import shutil
from pathlib import Path

import pytest
from harness import bench_tables, findings, measurements, quotes
from harness.server import REPO
from harness.spanish import es

from predictor.artifacts import BUNDLED_DIR, read_manifest

RUN = Path(__file__).parent / "fixtures/run"
DOC = """# A doc

<!-- loadtest:summary -->
old figures
<!-- /loadtest:summary -->

<!-- loadtest:resumen -->
<!-- /loadtest:resumen -->

<!-- loadtest:anchors -->
<!-- /loadtest:anchors -->
"""


@pytest.fixture
def published(tmp_path, monkeypatch) -> Path:
    """The recorded run as the published one: its summary.json, as the report generator writes it."""
    folder = tmp_path / "published/20261130T094357Z"
    shutil.copytree(RUN, folder)
    run, found, limits = findings.load(folder)
    figures = findings.figures(run, found, limits, findings.checks(found, limits))
    (folder / "summary.json").write_text(json.dumps(figures))
    monkeypatch.setattr(quotes, "PUBLISHED", folder.parent)
    return folder


def test_blocks_quote_the_published_summary_and_link_its_report(published, tmp_path):
    doc = tmp_path / "docs/doc.md"
    text = quotes.rendered(doc, DOC)
    figures = json.loads((published / "summary.json").read_text())
    assert "old figures" not in text
    assert "[report](../published/20261130T094357Z/summary.md)" in text
    assert f"**{figures['challenge']['answered_in_window']:,} requests answered within 45 s**" in text
    assert f"**{es(figures['challenge']['answered_in_window'])} requests respondidas en 45 s**" in text
    assert text.count("| our service, telemetry on |") == 1
    assert quotes.rendered(doc, text) == text  # rendering is stable


def test_terraform_blocks_are_comments(published, tmp_path):
    text = quotes.rendered(tmp_path / "variables.tf", "# loadtest:capacity\n# /loadtest:capacity\nvariable {}\n")
    block = text.split("# loadtest:capacity\n", 1)[1].split("# /loadtest:capacity", 1)[0]
    assert block and all(line.startswith("# ") for line in block.splitlines())
    assert "req/s" in block and "published/20261130T094357Z/summary.md" in block


def test_without_a_published_run_the_blocks_say_so(tmp_path, monkeypatch):
    monkeypatch.setattr(quotes, "PUBLISHED", tmp_path / "none")
    text = quotes.rendered(tmp_path / "doc.md", DOC)
    assert quotes.NOTHING in text and quotes.NADA in text


def test_the_repositorys_docs_match_the_published_run():
    assert quotes.stale() == [], "run ./task docs:quote (or publish) and commit the docs"


def test_a_measured_block_quotes_its_benchmark_record_and_links_it(tmp_path, monkeypatch):
    results = {
        "runs": 3,
        "floor_command": "python -c 'import x'",
        "floor_seconds": [0.5, 0.6, 0.7],
        "service_seconds": [0.6, 0.66, 0.9],
        "ratio": 1.1,
    }
    monkeypatch.setattr(measurements, "RECORDS", tmp_path / "records")
    monkeypatch.setattr(measurements, "PUBLISHED", tmp_path / "docs/measurements")
    record = measurements.record("startup", results, "./task bench:startup")
    (tmp_path / "docs/measurements").mkdir(parents=True)
    shutil.copy(record, tmp_path / "docs/measurements")
    doc = "<!-- measured:startup -->\n<!-- /measured:startup -->\n"
    text = quotes.rendered(tmp_path / "docs/performance.md", doc)
    assert "`./task bench:startup`" in text and "([record](measurements/startup.json))" in text
    assert "| **ratio** (target: at most 1.2x) | **1.10**, within the target |" in text
    assert "0.660 (0.600-0.900)" in text
    assert quotes.rendered(tmp_path / "docs/performance.md", text) == text


def test_a_start_up_ratio_past_the_target_is_called_so():
    results = {"runs": 1, "floor_command": "x", "floor_seconds": [1.0], "service_seconds": [1.3], "ratio": 1.3}
    assert "**1.30**, above the target" in bench_tables.startup_table(results)


def test_model_blocks_quote_the_bundled_manifest():
    manifest = read_manifest(BUNDLED_DIR)
    assert manifest.holdout is not None and manifest.sklearn_parity is not None
    (on_time, _), (_, delayed_flagged) = manifest.holdout.confusion_matrix
    doc = "<!-- model:holdout -->\n<!-- /model:holdout -->\n<!-- model:modelo -->\n<!-- /model:modelo -->\n"
    text = quotes.rendered(REPO / "docs/model.md", doc)
    assert f"| **on time** | {on_time:,} |" in text and f"| {delayed_flagged:,} |" in text
    assert f"| **a tiempo** | {es(on_time)} |" in text
    assert f"{manifest.sklearn_parity.label_mismatches} etiquetas distintas" in text
    assert ("cell for cell" in text) is bool(manifest.holdout.matches_notebook)


def test_a_figure_edited_by_hand_inside_a_block_is_caught(tmp_path, monkeypatch):
    """What the repository's docs test does on every run, shown on a copy: a stale figure fails it."""
    performance = quotes.REPO / "docs/performance.md"
    copy = tmp_path / "docs/performance.md"
    copy.parent.mkdir()
    text = quotes.rendered(performance, performance.read_text())
    block = text.split("<!-- measured:startup -->\n", 1)[1].split("<!-- /measured:startup -->", 1)[0]
    copy.write_text(text.replace(block, block + "| hand-typed | 0.123 |\n"))
    monkeypatch.setattr(quotes, "DOCS", [copy])
    assert quotes.stale() == [copy]
    quotes.write()
    assert quotes.stale() == [] and "hand-typed" not in copy.read_text()


def test_without_a_record_a_measured_block_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(measurements, "PUBLISHED", tmp_path / "none")
    text = quotes.rendered(tmp_path / "doc.md", "<!-- measured:auth -->\nold\n<!-- /measured:auth -->\n")
    assert quotes.NOT_MEASURED in text and "old" not in text


def test_publishing_needs_a_clean_tree(monkeypatch):
    monkeypatch.setattr(measurements.environment, "dirty", lambda: True)
    with pytest.raises(RuntimeError, match="uncommitted"):
        measurements.publish()


def test_the_ceiling_verdict_is_the_last_variant_against_the_first():
    def runs(*rates: float) -> list[dict[str, float]]:
        return [{"rps": rate, "p50": 1.0, "p99": 2.0} for rate in rates]

    results = {"wrk": "-t1 -c64 -d3s", "rounds": 3, "variants": {"bare": runs(100, 90, 110), "on": runs(80, 95, 86)}}
    assert "**0.86x** the ceiling's throughput, which meets the target" in bench_tables.ceiling_table(results)
    results["variants"]["on"] = runs(80, 70, 90)
    assert "**0.80x** the ceiling's throughput, which is below the target" in bench_tables.ceiling_table(results)
    assert "served like ours" not in bench_tables.ceiling_table(results)
    results["variants"] = {"bare": runs(100), bench_tables.SERVED_LIKE_OURS: runs(160), "on": runs(120)}
    text = bench_tables.ceiling_table(results)
    assert "**1.20x** the ceiling's throughput, which meets" in text
    assert "served like ours it does **0.75x**" in text
