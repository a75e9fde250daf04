locals {
  # Accepted by every URL of the service, including revision-tag URLs used by the deploy smoke test.
  audience       = "${var.project_id}-${var.name}"
  container_port = 8080
  labels         = merge(var.labels, { service = var.name })

  # The OpenTelemetry Collector sidecar: OTLP/HTTP for the app's traces on localhost, and the
  # health_check extension Cloud Run probes before it starts the app (collector_config).
  collector_otlp_endpoint = "http://127.0.0.1:4318"
  collector_health_port   = 13133
  # Tells the app where its project's traces live (log correlation) and where to send spans.
  telemetry_env = {
    GOOGLE_CLOUD_PROJECT        = var.project_id
    OTEL_EXPORTER_OTLP_ENDPOINT = local.collector_otlp_endpoint
  }
}

resource "google_artifact_registry_repository" "main" {
  #checkov:skip=CKV_GCP_84:The images hold public code and a public model; Google-managed encryption is enough.
  project                = var.project_id
  location               = var.location
  repository_id          = var.name
  description            = "Container images of ${var.name}, tagged with the commit SHA."
  format                 = "DOCKER"
  labels                 = local.labels
  cleanup_policy_dry_run = false

  docker_config {
    immutable_tags = true
  }

  # Every image is tagged with its commit, so deleting only untagged images would delete nothing:
  # delete any image older than image_retention, except the versions_to_keep newest (KEEP wins).
  cleanup_policies {
    id     = "keep-newest"
    action = "KEEP"

    most_recent_versions {
      keep_count = var.versions_to_keep
    }
  }

  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"

    condition {
      tag_state  = "ANY"
      older_than = var.image_retention
    }
  }
}

resource "google_service_account" "runtime" {
  project      = var.project_id
  account_id   = "${var.name}-run"
  display_name = "${var.name} Cloud Run runtime"
  description  = "Identity of the ${var.name} containers; holds only the roles in runtime_roles."
}

# The collector sidecar writes the app's metrics and traces with the runtime identity.
resource "google_project_iam_member" "runtime" {
  for_each = toset(concat(var.runtime_roles, ["roles/monitoring.metricWriter", "roles/telemetry.tracesWriter"]))

  project = var.project_id
  role    = each.value
  member  = google_service_account.runtime.member
}

resource "google_cloud_run_v2_service" "main" {
  project             = var.project_id
  location            = var.location
  name                = var.name
  description         = "Flight-delay predictor: POST /api."
  ingress             = var.ingress
  labels              = local.labels
  deletion_protection = var.deletion_protection
  custom_audiences    = [local.audience]

  # Service-level minimum: warm instances belong to the service, so revisions that only carry a
  # tag (the deploy's candidates) keep none and cost nothing once idle.
  scaling {
    min_instance_count = var.min_instances
  }

  template {
    service_account                  = google_service_account.runtime.email
    max_instance_request_concurrency = var.concurrency
    timeout                          = "${var.request_timeout_seconds}s"
    labels                           = local.labels

    scaling {
      max_instance_count = var.max_instances
    }

    # The app first: the deploy workflow's --image and the lifecycle rule below address containers[0].
    containers {
      name       = "predictor"
      image      = var.image
      depends_on = ["collector"]

      ports {
        container_port = local.container_port
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        cpu_idle          = var.cpu_idle
        startup_cpu_boost = var.startup_cpu_boost
      }

      dynamic "env" {
        for_each = merge(local.telemetry_env, var.env)
        content {
          name  = env.key
          value = env.value
        }
      }

      # Traffic waits until the model is verified; until then liveness is not checked.
      startup_probe {
        period_seconds    = 2
        timeout_seconds   = 1
        failure_threshold = 30

        http_get {
          path = "/health/ready"
          port = local.container_port
        }
      }

      liveness_probe {
        period_seconds    = 15
        timeout_seconds   = 2
        failure_threshold = 3

        http_get {
          path = "/health/live"
          port = local.container_port
        }
      }
    }

    # Google's Cloud Run sidecar pattern: the collector starts first (the app depends on it and
    # waits for its health check), scrapes the app's /metrics into Managed Service for Prometheus
    # and forwards its OTLP traces to Cloud Trace. The config comes in through an environment
    # variable (the collector's env: config source), so it needs no secret and no volume.
    containers {
      name  = "collector"
      image = var.collector_image
      args  = ["--config=env:OTELCOL_CONFIG"]

      env {
        name  = "OTELCOL_CONFIG"
        value = var.collector_config
      }

      resources {
        limits = {
          cpu    = "1"
          memory = "256Mi"
        }
        cpu_idle = var.cpu_idle
      }

      startup_probe {
        period_seconds    = 2
        timeout_seconds   = 1
        failure_threshold = 30

        http_get {
          path = "/"
          port = local.collector_health_port
        }
      }
    }
  }

  traffic {
    type    = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
    percent = 100
  }

  # The deploy workflow owns the image, the revisions and their traffic split after the first apply.
  lifecycle {
    ignore_changes = [
      client,
      client_version,
      template[0].containers[0].image,
      template[0].revision,
      traffic,
    ]
  }
}

resource "google_cloud_run_v2_service_iam_member" "invokers" {
  for_each = toset(var.invokers)

  project  = var.project_id
  location = var.location
  name     = google_cloud_run_v2_service.main.name
  role     = "roles/run.invoker"
  member   = each.value
}

resource "google_cloud_run_v2_service_iam_member" "public" {
  count = var.public ? 1 : 0

  project  = var.project_id
  location = var.location
  name     = google_cloud_run_v2_service.main.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_artifact_registry_repository_iam_member" "deployers" {
  for_each = toset(var.deployers)

  project    = var.project_id
  location   = var.location
  repository = google_artifact_registry_repository.main.name
  role       = "roles/artifactregistry.writer"
  member     = each.value
}

resource "google_service_account_iam_member" "deployers" {
  for_each = toset(var.deployers)

  service_account_id = google_service_account.runtime.name
  role               = "roles/iam.serviceAccountUser"
  member             = each.value
}
