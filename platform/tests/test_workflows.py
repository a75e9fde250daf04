"""What the workflows promise, checked on the files: each test names the failure it prevents.

actionlint and zizmor (test_lint.py) check syntax and well-known risks; these check our rules: a
failing pipe fails the step, nothing is promoted but the smoke-tested revision, a stuck or
cancelled rollout rolls back, one change at a time per environment, deploys only after CI, the
applied plan is the reviewed one, and infrastructure plans run whenever an input they read changes.
"""

import fnmatch
import re
from pathlib import Path

import hcl2
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = {path.name: path for path in sorted((ROOT / ".github" / "workflows").glob("*.yml"))}
TERRAFORM_ROOT = ROOT / "platform" / "terraform"


def _load(name: str) -> dict:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    document = yaml.safe_load(WORKFLOWS[name].read_text())
    document["on"] = document.pop(True)
    return document


def _steps(name: str, job: str) -> list[dict]:
    return _load(name)["jobs"][job]["steps"]


def _step(name: str, job: str, step_id: str) -> dict:
    return next(s for s in _steps(name, job) if s.get("id") == step_id)


def _using(steps: list[dict], action: str) -> int:
    """Index of the first step that uses `action` (owner/name)."""
    return next(i for i, step in enumerate(steps) if step.get("uses", "").startswith(f"{action}@"))


def _run_steps(workflow: dict) -> list[tuple[str, str, dict]]:
    return [(job_id, step.get("name", ""), step) for job_id, job in workflow["jobs"].items()
            for step in job.get("steps", []) if "run" in step]  # fmt: skip


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_every_run_step_uses_bash_with_pipefail(name):
    """Without `shell: bash` a step runs as `bash -e {0}`: no pipefail, so `plan | tee` passes."""
    workflow = _load(name)
    assert workflow.get("defaults", {}).get("run", {}).get("shell") == "bash"
    for job_id, step_name, step in _run_steps(workflow):
        job_shell = workflow["jobs"][job_id].get("defaults", {}).get("run", {}).get("shell", "bash")
        assert step.get("shell", job_shell) == "bash", f"{name}: {job_id}: {step_name}"


def test_traffic_moves_only_to_the_smoke_tested_revision():
    """--to-latest would hand 100% to whatever revision is newest, e.g. one Terraform just made."""
    scripts = [step["run"] for name in WORKFLOWS for _, _, step in _run_steps(_load(name))]
    assert not [script for script in scripts if "--to-latest" in script]
    shift = _step("deploy.yml", "rollout", "shift")["run"]
    moves = re.findall(r"update-traffic .*", shift)
    assert moves and all('--to-tags "$TAG=' in move for move in moves)
    assert moves[-1].endswith('--to-tags "$TAG=100"')


def test_a_failed_cancelled_or_stuck_rollout_rolls_back():
    job = _load("deploy.yml")["jobs"]["rollout"]
    rollback = next(s for s in job["steps"] if s.get("name", "").startswith("Roll back"))
    assert "failure()" in rollback["if"] and "cancelled()" in rollback["if"]
    assert "steps.shift.outcome != 'success'" in rollback["if"], "never undo a finished promotion"
    # A job timeout may kill the job outright; step timeouts that add up to less end a hang as a
    # failed step instead, and the rollback step still runs.
    step_limits = [step.get("timeout-minutes") for step in job["steps"]]
    assert None not in step_limits
    assert sum(step_limits) < job["timeout-minutes"]


def test_an_empty_rollback_target_stops_the_rollout():
    """An empty split (a failed describe) used to skip the rollback for the whole rollout."""
    baseline = _step("deploy.yml", "rollout", "baseline")["run"]
    assert 'if [ -z "$split" ]' in baseline and "exit 1" in baseline


@pytest.mark.parametrize(
    ("name", "job"), [("deploy.yml", "rollout"), ("terraform.yml", "apply"), ("loadtest.yml", "loadtest")]
)
def test_one_change_per_environment_at_a_time(name, job):
    """Deploys, applies and load tests of an environment queue in one group; none is cancelled."""
    workflow = _load(name)["jobs"][job]
    environment = workflow["environment"]
    assert workflow["concurrency"] == {"group": f"gcp-{environment}", "cancel-in-progress": False}


def test_deploys_run_only_after_ci_passed_for_the_commit():
    deploy = _load("deploy.yml")
    assert set(deploy["on"]) == {"workflow_call"}, "deploy.yml must not start on its own"
    ci = _load("ci.yml")
    caller = ci["jobs"]["deploy"]
    assert caller["uses"].endswith(".github/workflows/deploy.yml")
    assert set(caller["needs"]) == set(ci["jobs"]) - {"deploy"}
    assert ci["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_the_deploy_ships_the_image_ci_scanned():
    image = _load("ci.yml")["jobs"]["image"]["steps"]
    scan = image[_using(image, "aquasecurity/trivy-action")]
    assert re.fullmatch(r"aquasecurity/trivy-action@[0-9a-f]{40}", scan["uses"])
    assert {"severity": "CRITICAL", "ignore-unfixed": True, "exit-code": "1"}.items() <= scan["with"].items()
    upload = _using(image, "actions/upload-artifact")
    assert _using(image, "aquasecurity/trivy-action") < upload, "only a scanned image is saved for the deploy"
    rollout = _steps("deploy.yml", "rollout")
    assert rollout[_using(rollout, "actions/download-artifact")]["with"]["name"] == image[upload]["with"]["name"]


def test_the_budget_gate_runs_from_pyyaml_alone():
    """The rollout job holds deploy credentials: no dev lock file, only the hashed gate lock."""
    gate = next(s for s in _steps("deploy.yml", "rollout") if s.get("name") == "Error-budget gate")["run"]
    assert "--require-hashes --no-deps -r requirements/gate.txt" in gate
    assert "-m slokit.budget_gate" in gate
    assert "./task" not in gate and "dev.txt" not in gate


def test_apply_applies_the_plan_the_reviewers_saw():
    workflow = _load("terraform.yml")
    plan, apply = workflow["jobs"]["plan"], workflow["jobs"]["apply"]
    assert apply["needs"] == "plan" and "environment" in apply
    assert "environment" not in plan, "the plan exists before anyone is asked to approve"
    upload = plan["steps"][_using(plan["steps"], "actions/upload-artifact")]
    download = apply["steps"][_using(apply["steps"], "actions/download-artifact")]
    assert upload["with"]["name"] == download["with"]["name"]
    plan_runs = "\n".join(s["run"] for s in plan["steps"] if "run" in s)
    apply_runs = "\n".join(s["run"] for s in apply["steps"] if "run" in s)
    assert '-out="$ENVIRONMENT.tfplan"' in plan_runs
    assert "terraform plan" not in apply_runs
    assert 'terraform apply -input=false "$ENVIRONMENT.tfplan"' in apply_runs


def _read_outside_terraform() -> set[str]:
    """Every repo file the root configuration reads outside it (`${path.root}/../..` references)."""
    files = set()
    for path in TERRAFORM_ROOT.glob("*.tf"):
        for relative in re.findall(r"\$\{path\.(?:root|module)\}/((?:\.\./)+[\w./-]+)", path.read_text()):
            target = (TERRAFORM_ROOT / relative).resolve()
            found = [p for p in target.rglob("*") if p.is_file()] if target.is_dir() else [target]
            files |= {str(p.relative_to(ROOT)) for p in found}
    return files


def test_terraform_plans_whenever_an_input_it_reads_changes():
    """The monitoring module reads slo/openslo: an edited target must reach Cloud Monitoring."""
    triggers = _load("terraform.yml")["on"]
    outside = _read_outside_terraform()
    assert {"slo/openslo/slo-api-latency.yaml", "slo/conventions.yaml"} <= outside
    for event in ("pull_request", "push"):
        paths = triggers[event]["paths"]
        assert "platform/terraform/**" in paths
        unwatched = {file for file in outside if not any(fnmatch.fnmatch(file, pattern) for pattern in paths)}
        assert unwatched == set(), event


def test_the_stress_test_workflow_calls_the_private_service_with_an_id_token():
    workflow = _load("loadtest.yml")
    assert set(workflow["on"]) == {"workflow_dispatch"}
    job = workflow["jobs"]["loadtest"]
    assert job["environment"] == "dev"
    token = next(s for s in job["steps"] if s.get("id") == "token")
    assert token["with"]["token_format"] == "id_token"
    run = next(s for s in job["steps"] if s.get("run") == "./task loadtest")
    assert run["env"]["LOADTEST_BEARER_TOKEN"] == "${{ steps.token.outputs.id_token }}"
    assert run["env"]["HOST"] == "${{ steps.service.outputs.url }}"
    upload = job["steps"][_using(job["steps"], "actions/upload-artifact")]
    assert upload["if"] == "always()" and upload["with"]["path"] == run["env"]["LOADTEST_REPORTS"]


def test_the_stress_test_figures_are_per_instance():
    """The workflow refuses to run unless dev allows one instance, which the tfvars set."""
    check = _step("loadtest.yml", "loadtest", "service")["run"]
    assert '"autoscaling.knative.dev/maxScale"' in check and '[ "$max" != 1 ]' in check
    dev = hcl2.loads((TERRAFORM_ROOT / "envs" / "dev" / "terraform.tfvars").read_text())
    assert dev["max_instances"] == 1
