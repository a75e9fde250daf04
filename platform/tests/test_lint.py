"""Linters of what ships: the Dockerfile (hadolint), the GitHub workflows (actionlint, zizmor)."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_dockerfile_is_hadolint_clean(require_tool):
    result = _run(require_tool("hadolint"), "services/predictor/Dockerfile")
    assert result.returncode == 0, result.stdout + result.stderr


def test_container_scripts_are_shellcheck_clean(require_tool):
    scripts = sorted((ROOT / "platform" / "container").glob("*.sh"))
    result = _run(require_tool("shellcheck"), *scripts)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_exist():
    assert {w.name for w in WORKFLOWS} >= {"ci.yml", "deploy.yml", "terraform.yml"}


def test_workflows_are_actionlint_clean(require_tool):
    result = _run(require_tool("actionlint"), *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_are_zizmor_clean(require_tool):
    result = _run(require_tool("zizmor"), "--offline", "--no-progress", ".github/workflows")
    assert result.returncode == 0, result.stdout + result.stderr
