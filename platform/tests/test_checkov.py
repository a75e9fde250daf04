"""checkov with our invariant policies: the stack passes, a deliberately insecure config fails.

The stack is scanned with checkov/config.yaml, exactly as `task tf:checkov` does. checkov takes
seconds to start and mixes up reports when given two directories, so the two scans run at once.
"""

import json
import subprocess
from pathlib import Path

import pytest

TERRAFORM_DIR = Path(__file__).resolve().parents[1] / "terraform"
INSECURE = Path(__file__).parent / "fixtures" / "insecure"
POLICIES = TERRAFORM_DIR / "checkov" / "policies"
POLICY_IDS = {p.read_text().split("id: ", 1)[1].split()[0] for p in POLICIES.glob("*.yaml")}


@pytest.fixture(scope="module")
def reports(checkov) -> dict[str, dict]:
    """checkov's JSON report for the stack and for the insecure fixture."""
    scans = {
        "stack": ["--config-file", "checkov/config.yaml", "--output", "json"],
        "insecure": [
            *("--directory", str(INSECURE), "--framework", "terraform", "--skip-download"),
            *("--external-checks-dir", str(POLICIES), "--check", ",".join(sorted(POLICY_IDS))),
            *("--output", "json"),
        ],
    }
    running = {
        name: subprocess.Popen([checkov, *args], cwd=TERRAFORM_DIR, stdout=subprocess.PIPE, text=True)
        for name, args in scans.items()
    }
    return {name: json.loads(process.communicate(timeout=180)[0]) for name, process in running.items()}


def test_stack_passes_checkov_with_our_policies(reports):
    report = reports["stack"]
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["resource_count"] > 10
    failed = [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]]
    assert failed == []


def test_every_invariant_policy_catches_its_violation(reports):
    failed = {c["check_id"] for c in reports["insecure"]["results"]["failed_checks"]}
    assert failed == POLICY_IDS
