# The root configuration of one environment: envs/<env>/terraform.tfvars chooses which.

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app         = "predictor"
    environment = var.environment
    managed-by  = "terraform"
  }
}

locals {
  apis = [
    "artifactregistry.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "cloudtrace.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "monitoring.googleapis.com",
    "run.googleapis.com",
    "sts.googleapis.com",
    "telemetry.googleapis.com", # OTLP traces from the collector sidecar
  ]
}

resource "google_project_service" "main" {
  for_each = toset(local.apis)

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

module "github_oidc" {
  source = "./modules/github-oidc"

  project_id                 = var.project_id
  github_repository          = var.github_repository
  github_repository_owner_id = var.github_repository_owner_id
  # Deploys and applies need a job of the GitHub environment of the same name (its reviewers).
  github_environment = var.environment
  state_bucket       = var.state_bucket

  depends_on = [google_project_service.main]
}

module "service" {
  source = "./modules/cloud-run-service"

  project_id          = var.project_id
  location            = var.region
  name                = var.service_name
  image               = var.image
  collector_image     = var.collector_image
  collector_config    = file("${path.root}/../observability/otel-collector/cloud-run.yaml")
  env                 = var.service_env
  concurrency         = var.concurrency
  min_instances       = var.min_instances
  max_instances       = var.max_instances
  public              = var.public
  deletion_protection = var.environment == "prod"
  deployers           = [module.github_oidc.deployer_member]
  # The deployer calls the tagged revision in its smoke test, so it is an invoker too.
  invokers = concat(var.invokers, [module.github_oidc.deployer_member])

  depends_on = [google_project_service.main]
}

module "monitoring" {
  source = "./modules/monitoring"

  project_id             = var.project_id
  region                 = var.region
  cloud_run_service_name = module.service.service_name
  # slo/openslo is the only place SLO targets and windows are written.
  slo_dir               = "${path.root}/../../slo/openslo"
  slo_conventions       = "${path.root}/../../slo/conventions.yaml"
  notification_channels = var.notification_channels

  depends_on = [google_project_service.main]
}
