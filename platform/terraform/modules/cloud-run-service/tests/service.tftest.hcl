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

  collector_image  = "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google:0.156.1@sha256:2222222222222222222222222222222222222222222222222222222222222222"
  collector_config = "service:\n  pipelines: {}\n"
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
    condition     = toset([for m in google_project_iam_member.runtime : m.role]) == toset(["roles/monitoring.metricWriter", "roles/telemetry.tracesWriter"])
    error_message = "The runtime identity holds only what the collector sidecar writes with."
  }

  assert {
    condition     = google_cloud_run_v2_service.main.scaling[0].min_instance_count == 0 && google_cloud_run_v2_service.main.template[0].scaling[0].min_instance_count == null
    error_message = "Warm instances are set for the service, not per revision."
  }

  assert {
    condition     = anytrue([for p in google_artifact_registry_repository.main.cleanup_policies : p.action == "DELETE" && p.condition[0].tag_state == "ANY"])
    error_message = "The cleanup policy deletes old images whether tagged or not."
  }
}

run "collector_sidecar" {
  command = plan

  assert {
    condition     = [for c in google_cloud_run_v2_service.main.template[0].containers : c.name] == ["predictor", "collector"]
    error_message = "The app comes first (the deploy's --image targets it), the collector second."
  }

  assert {
    condition     = google_cloud_run_v2_service.main.template[0].containers[0].depends_on == tolist(["collector"])
    error_message = "The app starts after the collector is healthy."
  }

  assert {
    condition     = contains([for e in google_cloud_run_v2_service.main.template[0].containers[0].env : "${e.name}=${e.value}"], "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318") && contains([for e in google_cloud_run_v2_service.main.template[0].containers[0].env : "${e.name}=${e.value}"], "GOOGLE_CLOUD_PROJECT=predictor-test")
    error_message = "The app sends traces to the sidecar and knows its project."
  }

  assert {
    condition     = google_cloud_run_v2_service.main.template[0].containers[1].env[0].value == "service:\n  pipelines: {}\n"
    error_message = "The collector reads the given configuration."
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

run "rejects_collector_by_tag" {
  command = plan

  variables {
    collector_image = "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google:0.156.1"
  }

  expect_failures = [var.collector_image]
}
