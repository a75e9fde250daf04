"""Publishing: only runs from a clean commit, from a clean tree, with nothing machine-specific."""

import json
import subprocess
import sys

import pytest
from harness import environment, phases, publish


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A real git repository standing in for ours, with one commit."""
    root = tmp_path / "repo"
    root.mkdir()
    for cmd in (["init", "-q"], ["config", "user.email", "t@example.test"], ["config", "user.name", "t"]):
        subprocess.run(["git", *cmd], cwd=root, check=True)
    (root / "tracked.txt").write_text("one\n")
    subprocess.run(["git", "add", "."], cwd=root, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "first"], cwd=root, check=True)
    monkeypatch.setattr(environment, "REPO", root)
    monkeypatch.setattr(publish, "PUBLISHED", root / "published")
    return root


def run_folder(parent, name: str, commit: str, phases=phases.ORDER, target="local", passed=True):
    folder = parent / name
    folder.mkdir(parents=True)
    run = {"environment": {"git commit": commit}, "parameters": {"phases": list(phases)}, "target": target}
    (folder / "run.json").write_text(json.dumps(run))
    (folder / "summary.json").write_text(json.dumps({"passed": passed}))
    (folder / "summary.md").write_text("report\n")
    (folder / "server.log").write_text("log\n")
    return folder


def test_a_tree_with_changes_or_untracked_files_is_dirty(repo):
    assert not environment.dirty()
    (repo / "tracked.txt").write_text("two\n")
    assert environment.dirty()
    subprocess.run(["git", "checkout", "-q", "tracked.txt"], cwd=repo, check=True)
    (repo / "new.txt").write_text("untracked\n")
    assert environment.dirty()


def test_publishing_refuses_a_dirty_tree(repo, tmp_path):
    (repo / "tracked.txt").write_text("two\n")
    with pytest.raises(RuntimeError, match="uncommitted changes"):
        publish.publish(run_folder(tmp_path, "20260101T000000Z", "abc1234"))
    assert not (repo / "published").exists()


def test_publishing_refuses_a_run_made_from_a_dirty_tree(repo, tmp_path):
    with pytest.raises(RuntimeError, match="was run from a tree with uncommitted changes"):
        publish.publish(run_folder(tmp_path, "20260101T000000Z", "abc1234 (uncommitted changes)"))


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ({"phases": ("challenge",)}, "not a run of every phase"),
        ({"target": "remote"}, "not a run of every phase"),
        ({"passed": False}, "failed a threshold"),
    ],
)
def test_publishing_refuses_a_partial_remote_or_failing_run(repo, tmp_path, kind, message):
    with pytest.raises(RuntimeError, match=message):
        publish.publish(run_folder(tmp_path, "20260101T000000Z", "abc1234", **kind))


def test_publishing_replaces_the_old_run_and_leaves_logs_behind(repo, tmp_path):
    old = run_folder(repo / "published", "20250101T000000Z", "0000000")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "old run"], cwd=repo, check=True)
    dest = publish.publish(run_folder(tmp_path, "20260101T000000Z", "abc1234"))
    assert dest == repo / "published/20260101T000000Z"
    assert sorted(p.name for p in dest.iterdir()) == ["run.json", "summary.json", "summary.md"]
    assert not old.exists()


def test_commands_are_shown_with_repository_relative_paths(tmp_path):
    folder = tmp_path / "reports/20260101T000000Z"
    command = ["/usr/bin/wrk", "-s", str(publish.REPO / "loadtests/wrk/rotate.lua"), "--", str(folder / "payloads.txt")]
    assert publish.shown(command, folder) == "wrk -s loadtests/wrk/rotate.lua -- <report>/payloads.txt"
    assert publish.shown([sys.executable, "-m", "locust"], folder) == "python -m locust"
