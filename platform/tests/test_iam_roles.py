"""IAM as written in our Terraform: no basic role anywhere, and deploy credentials behind reviewers.

checkov cannot see roles granted through for_each (it never resolves them), so its IAM checks pass
whatever the role lists say. These tests read the role lists themselves: every role string in
every .tf and .tfvars file, variable defaults, locals, resources and environment values alike.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import hcl2

TERRAFORM_DIR = Path(__file__).resolve().parents[1] / "terraform"
ROLE = re.compile(r"roles/[A-Za-z0-9_.]+")
BASIC_ROLES = {"roles/owner", "roles/editor", "roles/viewer"}


def _sources() -> list[Path]:
    files = [*TERRAFORM_DIR.rglob("*.tf"), *TERRAFORM_DIR.rglob("*.tfvars")]
    return sorted(f for f in files if ".terraform" not in f.parts)


def _strings(node: object) -> Iterator[str]:
    """Every string in a parsed HCL document, except inside validation blocks, which name the
    roles they forbid."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "validation" and not key.startswith("__"):
                yield from _strings(value)


def granted_roles(path: Path) -> set[str]:
    return {role for text in _strings(hcl2.loads(path.read_text())) for role in ROLE.findall(text)}


def test_the_role_lists_are_found():
    found = set().union(*(granted_roles(path) for path in _sources()))
    assert {"roles/run.developer", "roles/resourcemanager.projectIamAdmin", "roles/run.viewer"} <= found
    assert {"roles/monitoring.metricWriter", "roles/run.invoker", "roles/storage.objectViewer"} <= found


def test_no_basic_role_anywhere():
    """Basic roles grant whole products at once; the planner used to hold roles/viewer."""
    offenders = {str(path.relative_to(TERRAFORM_DIR)): granted_roles(path) & BASIC_ROLES for path in _sources()}
    assert {path: roles for path, roles in offenders.items() if roles} == {}


def test_a_basic_role_in_an_environment_file_is_caught(tmp_path):
    tfvars = tmp_path / "terraform.tfvars"
    tfvars.write_text('runtime_roles = ["roles/logging.logWriter", "roles/viewer"]\n')
    assert granted_roles(tfvars) & BASIC_ROLES == {"roles/viewer"}


def test_deploy_and_apply_identities_need_a_job_of_the_environment():
    """Bound to refs/heads/main, any job on main with id-token: write could deploy or apply prod
    (projectIamAdmin included) without the prod reviewers. The environment's subject cannot."""
    module = hcl2.loads((TERRAFORM_DIR / "modules" / "github-oidc" / "main.tf").read_text())
    local = {k: v for block in module["locals"] for k, v in block.items()}
    subject = local["environment_subject"]
    assert subject.startswith('"principal://iam.googleapis.com/${google_iam_workload_identity_pool.main.name}')
    assert subject.endswith('/subject/repo:${var.github_repository}:environment:${var.github_environment}"')
    for identity in ("deployer", "tf-apply"):
        assert local["identities"][identity]["member"] == "${local.environment_subject}", identity
    assert "attribute.ref" not in (TERRAFORM_DIR / "modules" / "github-oidc" / "main.tf").read_text()
    root = hcl2.loads((TERRAFORM_DIR / "main.tf").read_text())
    oidc = next(m['"github_oidc"'] for m in root["module"] if '"github_oidc"' in m)
    assert oidc["github_environment"] == "${var.environment}"
