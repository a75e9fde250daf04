# Plan-mode tests with a mocked provider: no credentials, no cloud calls. `terraform init` still
# has to fetch hashicorp/google for its schema, so these run where the Terraform registry is
# reachable (the terraform job of .github/workflows/ci.yml).
mock_provider "google" {}

variables {
  project_id = "predictor-test"
  location   = "southamerica-west1"
  name       = "predictor"
  image      = "southamerica-west1-docker.pkg.dev/predictor-test/predictor/predictor@sha256:1111111111111111111111111111111111111111111111111111111111111111"
  invokers   = ["serviceAccount:caller@predictor-test.iam.gserviceaccount.com"]
}

run "private_by_default" {
  command = plan

  assert {
    condition     = length(google_cloud_run_v2_service_iam_member.public) == 0
    error_message = "No allUsers invoker unless public = true."
  }

  assert {
    condition     = [for m in google_cloud_run_v2_service_iam_member.invokers : m.member] == ["serviceAccount:caller@predictor-test.iam.gserviceaccount.com"]
    error_message = "Exactly the listed invokers get roles/run.invoker."
  }
}

run "public_only_when_asked" {
  command = plan

  variables {
    public = true
  }

  assert {
    condition     = google_cloud_run_v2_service_iam_member.public[0].member == "allUsers"
    error_message = "public = true grants roles/run.invoker to allUsers."
  }
}

run "service_shape" {
  command = plan

  assert {
    condition     = google_cloud_run_v2_service.main.template[0].containers[0].startup_probe[0].http_get[0].path == "/health/ready"
    error_message = "The startup probe waits for readiness."
  }

  assert {
    condition     = google_cloud_run_v2_service.main.template[0].containers[0].liveness_probe[0].http_get[0].path == "/health/live"
    error_message = "The liveness probe checks the process only."
  }

  assert {
    condition     = google_cloud_run_v2_service.main.template[0].containers[0].resources[0].cpu_idle == true && google_cloud_run_v2_service.main.template[0].containers[0].resources[0].startup_cpu_boost == true
    error_message = "cpu_idle and startup_cpu_boost are set explicitly."
  }

  assert {
    condition     = google_artifact_registry_repository.main.docker_config[0].immutable_tags == true
    error_message = "Image tags are immutable."
  }

  assert {
    condition     = length(google_project_iam_member.runtime) == 0
    error_message = "The runtime service account holds no project role by default."
  }
}

run "rejects_image_by_tag" {
  command = plan

  variables {
    image = "southamerica-west1-docker.pkg.dev/predictor-test/predictor/predictor:latest"
  }

  expect_failures = [var.image]
}

run "rejects_allusers_as_invoker" {
  command = plan

  variables {
    invokers = ["allUsers"]
  }

  expect_failures = [var.invokers]
}

run "rejects_reserved_env" {
  command = plan

  variables {
    env = { PORT = "9000" }
  }

  expect_failures = [var.env]
}
