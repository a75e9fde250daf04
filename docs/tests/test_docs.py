"""Docs that cannot drift: links resolve, the configuration table matches the settings, and the
README's curl examples give the answers they show when run against a live local server."""

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from predictor.settings import ENV_NAMES

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def markdown_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return [REPO / name for name in listed if (REPO / name).is_file()]


def test_every_relative_link_in_the_markdown_resolves():
    broken = []
    for document in markdown_files():
        for target in LINK.findall(document.read_text()):
            if target.startswith(("http://", "https://", "mailto:", "#")):
                continue
            path = target.split("#", 1)[0]
            if path and not (document.parent / path).exists():
                broken.append(f"{document.relative_to(REPO)} -> {target}")
    assert broken == []


def test_configuration_table_lists_exactly_the_variables_the_settings_read():
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", section, re.MULTILINE))
    assert documented == set(ENV_NAMES.values())


def curl_examples() -> list[tuple[str, str]]:
    """(command, expected output) for every curl example followed by a `# output` comment."""
    examples = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL):
        command: list[str] = []
        for line in block.splitlines():
            if line.startswith("# ") and command:
                examples.append((" ".join(command), line[2:]))
                command = []
            elif line.startswith("curl") or (command and line.startswith("  ")):
                command.append(line.rstrip("\\").strip())
    return examples


def test_the_readme_has_curl_examples_with_their_output():
    assert len(curl_examples()) >= 3


@pytest.mark.integration
@pytest.mark.parametrize(("command", "expected"), curl_examples(), ids=lambda value: value[:40])
def test_readme_curl_examples_answer_as_documented(predictor_server, command, expected, require_tool):
    argv = shlex.split(command.replace("http://127.0.0.1:8000", predictor_server.url))
    assert argv[0] == "curl"
    argv[0] = require_tool("curl")
    result = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=True)
    assert result.stdout.strip() == expected


BOOTSTRAP_DOCS = [REPO / "docs" / "deploy.md", REPO / "platform" / "terraform" / "README.md"]


def task_names() -> set[str]:
    """Every task and alias `./task` offers, as go-task lists them."""
    task = Path(sys.executable).with_name("task")
    listed = subprocess.run(
        [task, "--taskfile", REPO / "Taskfile.yml", "--list-all", "--json"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return {name for entry in json.loads(listed)["tasks"] for name in [entry["name"], *entry.get("aliases", [])]}


@pytest.mark.parametrize("document", BOOTSTRAP_DOCS, ids=lambda path: path.name)
def test_infrastructure_docs_run_real_tasks_from_the_repository_root(document):
    """A bare `task` from inside platform/terraform fails: every command is ./task from the root."""
    text = document.read_text()
    commands = re.findall(r"```sh\n(.*?)```", text, re.DOTALL) + re.findall(r"`([^`\n]+)`", text)
    named = {name for command in commands for name in re.findall(r"\./task ([\w:-]+)", command)}
    assert named, "the document names the tasks it relies on"
    assert named <= task_names()
    assert [c for c in commands if re.search(r"(^|\s)cd\s", c) or re.search(r"(?<![./\w-])task\s", c)] == []
