"""Fixtures of the infrastructure tests: where things are, and tools that tasks install."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import hcl2
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _missing(what: str, install: str) -> None:
    """Skip locally, fail under CI (CI=true): there `./task test` builds it first, a skip would hide a bug."""
    message = f"{what} is missing; `./task {install}` installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def provider_schema() -> Path:
    """The google provider schema folder, fetched and verified once into .cache/ (as `./task tf:schema`)."""
    tool = ROOT / "platform" / "terraform" / "tools" / "provider_schema.py"
    fetched = subprocess.run([sys.executable, tool, ROOT / ".cache"], capture_output=True, text=True, timeout=300)
    if fetched.returncode != 0:
        pytest.fail(f"the provider schema could not be fetched: {fetched.stderr}")
    return Path(fetched.stdout.strip())


@pytest.fixture(scope="session")
def checkov() -> Path:
    """checkov in its own venv, built from requirements/checkov.txt (task tf:checkov:install)."""
    path = ROOT / ".venv-checkov" / "bin" / "checkov"
    if not path.is_file():
        _missing("checkov (.venv-checkov)", "tf:checkov:install")
    return path


@pytest.fixture(scope="session")
def terraform(require_tool: Callable[[str], str]) -> Callable[..., subprocess.CompletedProcess]:
    """Run terraform quietly: no CLI config file (the image points at a missing one), no colour."""
    binary = require_tool("terraform")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": "/dev/null", "TF_IN_AUTOMATION": "1"}

    def run(*args: str, cwd: Path, data_dir: Path | None = None) -> subprocess.CompletedProcess:
        extra = {"TF_DATA_DIR": str(data_dir)} if data_dir else {}
        return subprocess.run(
            [binary, *args, "-no-color"],
            cwd=cwd,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


@pytest.fixture(scope="session")
def service_module() -> dict:
    """modules/cloud-run-service/main.tf as python-hcl2 reads it: {"locals": {...}, resource type: body}."""
    document = hcl2.loads((ROOT / "platform" / "terraform" / "modules" / "cloud-run-service" / "main.tf").read_text())
    resources = {
        kind.strip('"'): named['"main"']
        for block in document["resource"]
        for kind, named in block.items()
        if '"main"' in named
    }
    local = {key: value for block in document["locals"] for key, value in block.items()}
    return {"locals": local, **resources}
