"""Our invariant checkov policies catch what they are written for, on a deliberately insecure config.

That the stack itself passes checkov with them is `./task tf:checkov` (part of `./task check`).
"""

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

TERRAFORM_DIR = Path(__file__).resolve().parents[1] / "terraform"
INSECURE = Path(__file__).parent / "fixtures" / "insecure"
POLICIES = TERRAFORM_DIR / "checkov" / "policies"
POLICY_IDS = {p.read_text().split("id: ", 1)[1].split()[0] for p in POLICIES.glob("*.yaml")}


def test_every_invariant_policy_catches_its_violation(checkov):
    scan = [
        *("--directory", str(INSECURE), "--framework", "terraform", "--skip-download"),
        *("--external-checks-dir", str(POLICIES), "--check", ",".join(sorted(POLICY_IDS))),
        *("--output", "json"),
    ]
    result = subprocess.run([checkov, *scan], cwd=TERRAFORM_DIR, capture_output=True, text=True, timeout=180)
    failed = {c["check_id"] for c in json.loads(result.stdout)["results"]["failed_checks"]}
    assert failed == POLICY_IDS
