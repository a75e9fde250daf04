"""Terraform that runs offline: the modules' own tests, and the schema check catching typos.

Formatting and the schema check of our .tf files are `./task tf:check` (part of `./task check`).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

TERRAFORM_DIR = Path(__file__).resolve().parents[1] / "terraform"
MODULES = sorted(p.parent for p in TERRAFORM_DIR.glob("modules/*/versions.tf"))
SCHEMA_TOOL = TERRAFORM_DIR / "tools" / "tfschema.py"
REGISTRY_DOWN = re.compile(r"registry\.terraform\.io|no such host|Failed to query available provider")
pytestmark = pytest.mark.integration


def _needs_provider(module: Path) -> bool:
    return any("hashicorp/google" in f.read_text() for f in module.glob("*.tf"))


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_module_tests_pass(module, terraform, tmp_path):
    """Provider-free modules always run; google modules need the registry for the mock's schema."""
    if not list(module.glob("tests/*.tftest.hcl")):
        pytest.skip(f"{module.name} has no tests/*.tftest.hcl yet")
    init = terraform("init", "-backend=false", "-input=false", cwd=module, data_dir=tmp_path)
    if init.returncode != 0 and _needs_provider(module) and REGISTRY_DOWN.search(init.stderr):
        pytest.skip(
            f"{module.name}: `terraform init` cannot reach the Terraform registry for "
            "hashicorp/google (mock_provider still needs its schema); CI's terraform job runs it"
        )
    assert init.returncode == 0, init.stderr
    result = terraform("test", cwd=module, data_dir=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Success! \d+ passed, 0 failed", result.stdout), result.stdout


def _schema_check(lib: Path, *dirs: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, SCHEMA_TOOL, lib, *dirs], capture_output=True, text=True, timeout=60)


def test_schema_check_catches_typos(provider_schema, tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "google_cloud_run_v2_service" "s" {\n'
        "  template {\n    scaling {\n      min_instances = 1\n    }\n  }\n"
        "  labels {\n    a = 1\n  }\n}\n"
        'resource "google_cloud_run_v3_service" "t" {}\n'
    )
    result = _schema_check(provider_schema, tmp_path)
    assert result.returncode == 1
    assert "template.scaling.min_instances: unknown argument" in result.stdout
    assert "labels: is an argument, written as a block" in result.stdout
    assert "google_cloud_run_v3_service.t: unknown resource type" in result.stdout
