"""Our variable validations, run by real terraform offline: a module's variables.tf alone needs no
provider, so `terraform plan` in a copy of it evaluates every validation against given values.

They hold rules checkov cannot: prod must page someone, every container image (the app's and the
collector sidecar's) is pinned by digest, and no placeholder of the shipped tfvars gets through.
"""

import json
import shutil
import tempfile
from pathlib import Path

import pytest

TERRAFORM_DIR = Path(__file__).resolve().parents[1] / "terraform"
DIGEST = "@sha256:" + "1" * 64
COLLECTOR = "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google"
APP = "southamerica-west1-docker.pkg.dev/predictor-prod-1/predictor/predictor"
CHANNEL = "projects/predictor-prod-1/notificationChannels/42"

ROOT_VALUES = {
    "environment": "prod",
    "project_id": "predictor-prod-1",
    "state_bucket": "predictor-prod-1-tfstate",
    "github_repository": "example-org/predictor",
    "github_repository_owner_id": "424242",
    "image": APP + DIGEST,
    "collector_image": COLLECTOR + ":0.156.1" + DIGEST,
    "notification_channels": {"on-call-pager": [CHANNEL]},
}
SERVICE_VALUES = {
    "project_id": "predictor-prod-1",
    "location": "southamerica-west1",
    "name": "predictor",
    "image": APP + DIGEST,
    "collector_image": COLLECTOR + ":0.156.1" + DIGEST,
    "collector_config": "service:\n  pipelines: {}\n",
}


@pytest.fixture
def plan_variables(terraform, tmp_path):
    """plan_variables(module, values): terraform plan over a copy of the module's variables.tf."""

    def plan(module: Path, values: dict | Path):
        work = Path(tempfile.mkdtemp(dir=tmp_path))
        shutil.copy(module / "variables.tf", work)
        if isinstance(values, Path):
            shutil.copy(values, work / "terraform.tfvars")
        else:
            (work / "terraform.tfvars.json").write_text(json.dumps(values))
        init = terraform("init", "-input=false", cwd=work)
        assert init.returncode == 0, init.stderr
        return terraform("plan", "-input=false", cwd=work)

    return plan


def _refused(result, message: str) -> bool:
    return result.returncode != 0 and message in " ".join(result.stderr.split())


def test_valid_values_pass(plan_variables):
    assert plan_variables(TERRAFORM_DIR, ROOT_VALUES).returncode == 0


def test_prod_must_page_someone(plan_variables):
    result = plan_variables(TERRAFORM_DIR, {**ROOT_VALUES, "notification_channels": {}})
    assert _refused(result, "prod needs at least one notification channel")


def test_dev_may_alert_only_in_the_console(plan_variables):
    values = {**ROOT_VALUES, "environment": "dev", "notification_channels": {}}
    assert plan_variables(TERRAFORM_DIR, values).returncode == 0


PLACEHOLDER_REFUSALS = [
    "project_id must be a project ID",
    "state_bucket must be a Cloud Storage bucket name",
    "github_repository must be the repository that deploys",
    "github_repository_owner_id must be the owner's numeric ID",
    "image must be the first pushed image, by its real digest",
    "collector_image must be pinned by its real digest",
    "invokers must be IAM members",
    "notification_channels must hold channel IDs",
]


@pytest.mark.parametrize(
    ("environment", "refusals"),
    [("dev", PLACEHOLDER_REFUSALS[:6]), ("prod", PLACEHOLDER_REFUSALS)],  # dev ships no invokers, no channels
)
def test_the_shipped_tfvars_are_refused_until_every_placeholder_is_replaced(plan_variables, environment, refusals):
    result = plan_variables(TERRAFORM_DIR, TERRAFORM_DIR / "envs" / environment / "terraform.tfvars")
    said = " ".join(result.stderr.split())
    assert result.returncode != 0
    assert [message for message in refusals if message not in said] == []


def test_placeholder_channels_are_refused(plan_variables):
    placeholder = {"on-call-pager": ["projects/predictor-prod-REPLACE_ME/notificationChannels/REPLACE_ME"]}
    result = plan_variables(TERRAFORM_DIR, {**ROOT_VALUES, "notification_channels": placeholder})
    assert _refused(result, "notification_channels must hold channel IDs")


@pytest.mark.parametrize("image", ["image", "collector_image"])
def test_every_container_image_is_pinned_by_digest(plan_variables, image):
    module = TERRAFORM_DIR / "modules" / "cloud-run-service"
    assert plan_variables(module, SERVICE_VALUES).returncode == 0
    by_tag = {**SERVICE_VALUES, image: SERVICE_VALUES[image].removesuffix(DIGEST)}
    assert _refused(plan_variables(module, by_tag), f"{image} must be pinned by digest")


def test_the_planner_gets_no_basic_role(plan_variables):
    values = {
        "project_id": "predictor-prod-1",
        "github_repository": "example-org/predictor",
        "github_repository_owner_id": "424242",
        "github_environment": "prod",
        "state_bucket": "predictor-prod-1-tfstate",
    }
    module = TERRAFORM_DIR / "modules" / "github-oidc"
    assert plan_variables(module, values).returncode == 0
    result = plan_variables(module, {**values, "terraform_plan_roles": ["roles/viewer"]})
    assert _refused(result, "terraform_plan_roles must be narrow read-only roles")
