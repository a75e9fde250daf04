# Plan-mode tests with a mocked provider; see modules/cloud-run-service/tests for where they run.
mock_provider "google" {
  mock_resource "google_iam_workload_identity_pool" {
    defaults = {
      name = "projects/123/locations/global/workloadIdentityPools/github"
    }
  }
}

variables {
  project_id                 = "predictor-test"
  github_repository          = "example-org/predictor"
  github_repository_owner_id = "424242"
  github_environment         = "prod"
  state_bucket               = "predictor-test-tfstate"
}

run "pins_the_repository" {
  command = plan

  assert {
    condition     = google_iam_workload_identity_pool_provider.main.attribute_condition == "assertion.repository_owner_id == '424242' && assertion.repository == 'example-org/predictor'"
    error_message = "Only the repository's workflows may exchange tokens."
  }

  assert {
    condition     = google_iam_workload_identity_pool_provider.main.oidc[0].issuer_uri == "https://token.actions.githubusercontent.com"
    error_message = "Tokens come from GitHub Actions."
  }
}

# apply (against the mock) so the pool's computed name is known.
run "deploys_only_from_the_environment" {
  command = apply

  assert {
    condition     = google_service_account_iam_member.workload_identity["deployer"].member == "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/subject/repo:example-org/predictor:environment:prod"
    error_message = "Only jobs of the prod environment (its reviewers approved them) may impersonate the deployer."
  }

  assert {
    condition     = google_service_account_iam_member.workload_identity["tf-apply"].member == google_service_account_iam_member.workload_identity["deployer"].member
    error_message = "Terraform applies come from the same environment as deploys."
  }

  assert {
    condition     = endswith(google_service_account_iam_member.workload_identity["tf-plan"].member, "/attribute.repository/example-org/predictor")
    error_message = "Plans may come from any run of the repository."
  }
}

run "least_privilege" {
  command = plan

  assert {
    condition     = toset([for key, g in google_project_iam_member.main : g.role if startswith(key, "deployer ")]) == toset(["roles/run.developer", "roles/monitoring.viewer"])
    error_message = "The deployer holds only run.developer and monitoring.viewer at project level."
  }

  assert {
    condition     = alltrue([for g in google_project_iam_member.main : !contains(["roles/owner", "roles/editor", "roles/viewer"], g.role)])
    error_message = "No identity holds a basic role."
  }
}

run "deployer_member_is_known_at_plan" {
  command = plan

  assert {
    condition     = output.deployer_member == "serviceAccount:github-deployer@predictor-test.iam.gserviceaccount.com"
    error_message = "The root module uses deployer_member in for_each, so it must not be computed."
  }
}

run "rejects_owner_for_deployer" {
  command = plan

  variables {
    deployer_project_roles = ["roles/owner"]
  }

  expect_failures = [var.deployer_project_roles]
}

run "rejects_viewer_for_the_planner" {
  command = plan

  variables {
    terraform_plan_roles = ["roles/viewer"]
  }

  expect_failures = [var.terraform_plan_roles]
}
