variable "collector_image" {
  description = "Google-Built OpenTelemetry Collector image of the telemetry sidecar, by digest (docs/deploy.md, bootstrap step 3)."
  type        = string
}

variable "concurrency" {
  description = "Requests one instance serves at once. The predictor answers in about a millisecond of CPU, so the default 80 is safe."
  type        = number
  default     = 80
}

variable "environment" {
  description = "Which environment this state describes."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "Allowed values for environment are \"dev\" and \"prod\"."
  }
}

variable "github_repository" {
  description = "Repository whose workflows may deploy, as \"owner/name\"."
  type        = string
}

variable "github_repository_owner_id" {
  description = "Numeric ID of the repository owner (pins the owner even if its name is re-registered)."
  type        = string
}

variable "image" {
  description = "Image the first apply deploys, by digest. Later images are rolled out by the deploy workflow, which Terraform leaves alone."
  type        = string
}

variable "invokers" {
  description = "Systems allowed to call the API (roles/run.invoker), e.g. \"serviceAccount:scheduler@PROJECT.iam.gserviceaccount.com\"."
  type        = list(string)
  default     = []
}

variable "max_instances" {
  description = "Upper bound of instances (cost ceiling)."
  type        = number
  default     = 10
}

variable "min_instances" {
  description = "Instances kept warm; 0 lets the service scale to zero."
  type        = number
  default     = 0
}

variable "notification_channels" {
  description = "Cloud Monitoring notification channel IDs per OpenSLO alert target name (slo/openslo), e.g. { on-call-pager = [\"projects/P/notificationChannels/N\"] }. prod needs at least one: its pages must reach someone."
  type        = map(list(string))
  default     = {}

  validation {
    condition     = alltrue([for channel in flatten(values(var.notification_channels)) : can(regex("^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/notificationChannels/[0-9]+$", channel))])
    error_message = "notification_channels must hold channel IDs written projects/PROJECT_ID/notificationChannels/NUMBER."
  }

  validation {
    condition     = var.environment != "prod" || length(flatten(values(var.notification_channels))) > 0
    error_message = "prod needs at least one notification channel: without one its burn-rate alerts page no one."
  }
}

variable "project_id" {
  description = "Google Cloud project of this environment."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project ID (6-30 lowercase letters, digits, hyphens), not a project number or name."
  }
}

variable "public" {
  description = "Let anyone on the internet call the API. Keep false; see docs/deploy.md, \"Calling the private service\"."
  type        = bool
  default     = false
}

variable "region" {
  description = "Region of every regional resource."
  type        = string
  default     = "southamerica-west1"
}

variable "service_env" {
  description = "Environment variables of the predictor container (settings documented in services/predictor)."
  type        = map(string)
  default     = {}
}

variable "service_name" {
  description = "Name of the Cloud Run service and its image repository."
  type        = string
  default     = "predictor"
}

variable "state_bucket" {
  description = "GCS bucket that holds this Terraform state; the CI identities get access to it."
  type        = string
}
