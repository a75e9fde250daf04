"""Terraform's modules/openslo reads the OpenSLO files exactly as slokit.model does.

An offline apply of the provider-free module (a throwaway root in tmp_path) prints its
normalized view; it must equal the Python one, for the repo files and for a changed copy.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from slokit import model, paths

pytestmark = pytest.mark.integration
MODULE = paths.REPO / "platform" / "terraform" / "modules" / "openslo"


def _terraform_view(terraform: str, slo_dir: Path, work: Path, conventions: Path = paths.CONVENTIONS) -> dict:
    work.mkdir()
    (work / "main.tf").write_text(
        f'module "openslo" {{\n  source = "{MODULE}"\n  slo_dir = "{slo_dir}"\n  conventions = "{conventions}"\n}}\n'
        'output "normalized" {\n  value = module.openslo.normalized\n}\n'
    )
    env = {**os.environ, "TF_CLI_CONFIG_FILE": "/dev/null", "TF_IN_AUTOMATION": "1"}

    def run(*args: str) -> str:
        result = subprocess.run(
            [terraform, *args, "-no-color"], cwd=work, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    run("init", "-input=false")
    run("apply", "-auto-approve", "-input=false")
    return json.loads(run("output", "-json", "normalized"))


def _same(python: object, terraform: object, where: str = "") -> None:
    """Equal, with numbers compared as numbers (Terraform prints 50, Python 50.0)."""
    if isinstance(python, dict):
        assert isinstance(terraform, dict) and python.keys() == terraform.keys(), where
        for key in python:
            _same(python[key], terraform[key], f"{where}.{key}")
    elif isinstance(python, list):
        assert isinstance(terraform, list) and len(python) == len(terraform), where
        for index, (a, b) in enumerate(zip(python, terraform, strict=True)):
            _same(a, b, f"{where}[{index}]")
    elif isinstance(python, int | float) and not isinstance(python, bool):
        assert terraform == pytest.approx(python, rel=0, abs=0), where
    else:
        assert python == terraform, where


def test_terraform_and_python_agree_on_the_repo_slos(require_tool, tmp_path):
    terraform = require_tool("terraform")
    python = model.normalized(model.load(paths.OPENSLO_DIR))
    _same(python, _terraform_view(terraform, paths.OPENSLO_DIR, tmp_path / "tf"))


def test_they_still_agree_after_a_change(require_tool, tmp_path, openslo_copy, edit):
    terraform = require_tool("terraform")
    edit(openslo_copy, "slo-api-latency.yaml", "target: 0.99", "targetPercent: 97.5")
    edit(openslo_copy, "sli-api-latency.yaml", 'le="0.05"', 'le="0.1"')
    edit(openslo_copy, "alertcondition-page-slow-burn.yaml", "lookbackWindow: 6h", "lookbackWindow: 2d")
    edit(openslo_copy, "alertcondition-page-slow-burn.yaml", "window: 30m", "window: 4h")
    python = model.normalized(model.load(openslo_copy))
    assert {"label": "le", "op": "=", "value": "0.1"} in python["slos"]["api-latency"]["good"]["matchers"]
    assert python["slos"]["api-latency"]["alerts"]["page-slow-burn"]["gcp_supported"] is False
    _same(python, _terraform_view(terraform, openslo_copy, tmp_path / "tf"))


def test_a_convention_changed_for_one_reader_only_is_caught(require_tool, tmp_path):
    """Terraform reading a different GCP lookback limit than slokit: the views must differ."""
    terraform = require_tool("terraform")
    changed = tmp_path / "conventions.yaml"
    changed.write_text(
        paths.CONVENTIONS.read_text().replace("gcp_max_lookback_seconds: 86400", "gcp_max_lookback_seconds: 3600")
    )
    python = model.normalized(model.load(paths.OPENSLO_DIR))
    with pytest.raises(AssertionError):
        _same(python, _terraform_view(terraform, paths.OPENSLO_DIR, tmp_path / "tf", changed))
