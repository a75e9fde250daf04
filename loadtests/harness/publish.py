"""Publishing a run: only from a clean commit, with repo-relative paths and nothing left out.

A published report is evidence: it must say which commit produced it, and that commit must be
the whole story. So a run made with uncommitted changes cannot be published, and publishing
itself refuses a dirty tree (its own changes are then the only ones to commit). The docs quote
every phase, so only a passing run of every phase against a local service is published. Commands are
recorded with paths relative to the repository, the report folder written as <report>, so no
report carries the machine it ran on. Logs stay behind; the report is rebuilt in its new place,
so it lists exactly the files that were published, and it replaces the run published before.
"""

import json
import shlex
import shutil
import sys
from pathlib import Path

from harness import environment, phases
from harness.environment import REPO

PUBLISHED = REPO / "loadtests/reports/published"
LEFT_BEHIND = ("*.log",)


def shown(command: list[str], folder: Path) -> str:
    """A command as the report shows it: tools by name, paths relative to the repository."""
    parts = [Path(command[0]).name, *command[1:]]
    text = shlex.join(parts).replace(str(folder), "<report>")
    return text.replace(f"{REPO}/", "").replace(sys.executable, "python")


def publish(source: Path) -> Path:
    """Copy `source` into reports/published/ in place of the runs published before; its path."""
    run = json.loads((source / "run.json").read_text())
    commit = run["environment"]["git commit"]
    if "uncommitted" in commit:
        raise RuntimeError(f"{source.name} was run from a tree with uncommitted changes ({commit}): not published")
    if run["parameters"]["phases"] != list(phases.ORDER) or run["target"] != "local":
        raise RuntimeError(f"{source.name} is not a run of every phase against a local service: not published")
    if not json.loads((source / "summary.json").read_text())["passed"]:
        raise RuntimeError(f"{source.name} failed a threshold: not published")
    if environment.dirty():
        raise RuntimeError("the working tree has uncommitted changes: commit or stash them, then publish")
    for old in PUBLISHED.iterdir() if PUBLISHED.exists() else []:
        shutil.rmtree(old)
    dest = PUBLISHED / source.name
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(*LEFT_BEHIND))
    return dest
