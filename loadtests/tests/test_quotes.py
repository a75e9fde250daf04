"""The docs quote the published run through generated blocks, never by hand."""

import json
import shutil
from pathlib import Path

import pytest
from harness import findings, quotes

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
    assert f"**{quotes.es(figures['challenge']['answered_in_window'])} requests respondidas en 45 s**" in text
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
    assert quotes.stale() == [], "run ./task loadtest:quote (or publish) and commit the docs"


def test_every_doc_the_publisher_rewrites_has_a_block():
    assert all("loadtest:" in path.read_text() for path in quotes.DOCS)
