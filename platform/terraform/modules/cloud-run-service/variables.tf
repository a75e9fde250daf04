variable "collector_config" {
  description = "OpenTelemetry Collector configuration (YAML text) of the telemetry sidecar: the repo's platform/observability/otel-collector/cloud-run.yaml."
  type        = string

  validation {
    condition     = can(yamldecode(var.collector_config).service.pipelines)
    error_message = "collector_config must be a collector configuration in YAML with service.pipelines."
  }
}

variable "collector_image" {
  description = "Image of the Google-Built OpenTelemetry Collector sidecar, pinned by digest (REGISTRY/otelcol-google:VERSION@sha256:<64 hex>)."
  type        = string

  validation {
    condition     = can(regex("@sha256:[0-9a-f]{64}$", var.collector_image))
    error_message = "collector_image must be pinned by digest: it has to end in @sha256:<64 lowercase hex digits>."
  }
}

variable "concurrency" {
  description = "Requests one instance serves at once (Cloud Run max_instance_request_concurrency)."
  type        = number
  default     = 80

  validation {
    condition     = var.concurrency >= 1 && var.concurrency <= 1000
    error_message = "concurrency must be between 1 and 1000."
  }
}

variable "cpu" {
  description = "vCPU limit of the container, as Cloud Run spells it (\"1\", \"2\", \"4\")."
  type        = string
  default     = "1"

  validation {
    condition     = contains(["1", "2", "4", "6", "8"], var.cpu)
    error_message = "cpu must be one of \"1\", \"2\", \"4\", \"6\", \"8\"."
  }
}

variable "cpu_idle" {
  description = "true: CPU is allocated only while a request is served (request-based billing), so the collector sidecar scrapes and exports only then. false: always allocated (instance-based billing), what Google recommends for telemetry sidecars."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse to destroy the Cloud Run service from Terraform."
  type        = bool
  default     = true
}

variable "deployers" {
  description = "Principals (\"serviceAccount:...\") that push images and deploy revisions: they get Artifact Registry writer on the repository and Service Account User on the runtime service account."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.deployers : startswith(m, "serviceAccount:")])
    error_message = "deployers must be service accounts written as \"serviceAccount:EMAIL\"."
  }
}

variable "env" {
  description = "Plain environment variables of the app container, on top of GOOGLE_CLOUD_PROJECT and OTEL_EXPORTER_OTLP_ENDPOINT, which point it at its project and the collector sidecar (a value here wins). PORT is set by Cloud Run and cannot be overridden."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(setintersection(keys(var.env), ["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"])) == 0
    error_message = "env must not set PORT, K_SERVICE, K_REVISION or K_CONFIGURATION: Cloud Run sets them."
  }
}

variable "image" {
  description = "Container image by digest, e.g. REGION-docker.pkg.dev/PROJECT/REPO/predictor@sha256:<64 hex>. Tags are mutable, so they are refused."
  type        = string

  validation {
    condition     = can(regex("@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be pinned by digest: it has to end in @sha256:<64 lowercase hex digits>."
  }
}

variable "image_retention" {
  description = "Images older than this are deleted by the repository cleanup policy, tagged or not, unless they are among the versions_to_keep newest (seconds with an s suffix)."
  type        = string
  default     = "2592000s"

  validation {
    condition     = can(regex("^[0-9]+s$", var.image_retention))
    error_message = "image_retention must be a duration in seconds such as \"2592000s\" (30 days)."
  }
}

variable "ingress" {
  description = "Which networks may reach the service."
  type        = string
  default     = "INGRESS_TRAFFIC_ALL"

  validation {
    condition     = contains(["INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"], var.ingress)
    error_message = "Allowed values for ingress are \"INGRESS_TRAFFIC_ALL\", \"INGRESS_TRAFFIC_INTERNAL_ONLY\" and \"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER\"."
  }
}

variable "invokers" {
  description = "Principals allowed to call the service (roles/run.invoker), e.g. \"serviceAccount:caller@PROJECT.iam.gserviceaccount.com\". Callers present a Google-signed ID token."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.invokers : can(regex("^(serviceAccount|group|user|principal|principalSet|domain):", m))])
    error_message = "invokers must be IAM members such as \"serviceAccount:EMAIL\"; use public = true instead of \"allUsers\"."
  }
}

variable "labels" {
  description = "Labels put on every resource the module creates."
  type        = map(string)
  default     = {}
}

variable "location" {
  description = "Region of the service and of the Artifact Registry repository, e.g. \"southamerica-west1\" (Santiago)."
  type        = string
}

variable "max_instances" {
  description = "Upper bound of instances per revision: caps cost and protects what the service calls."
  type        = number
  default     = 10

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 1000
    error_message = "max_instances must be between 1 and 1000."
  }
}

variable "memory" {
  description = "Memory limit of the container (Kubernetes quantity, e.g. \"512Mi\")."
  type        = string
  default     = "512Mi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.memory))
    error_message = "memory must be a quantity in Mi or Gi, e.g. \"512Mi\"."
  }
}

variable "min_instances" {
  description = "Instances kept warm for the whole service (service-level scaling, so tagged revisions without traffic keep none). 0 scales to zero (cold starts); 1 removes them at the price of an idle instance."
  type        = number
  default     = 0

  validation {
    condition     = var.min_instances >= 0
    error_message = "min_instances must not be negative."
  }
}

variable "name" {
  description = "Name of the service; also the Artifact Registry repository and the runtime service account (\"<name>-run\")."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,24}[a-z0-9]$", var.name))
    error_message = "name must be 2-26 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen."
  }
}

variable "project_id" {
  description = "Project that holds every resource of the module."
  type        = string
}

variable "public" {
  description = "Grant roles/run.invoker to allUsers. Keep false: the service is private and only invokers may call it."
  type        = bool
  default     = false
}

variable "request_timeout_seconds" {
  description = "How long Cloud Run waits for a response before returning 504."
  type        = number
  default     = 30

  validation {
    condition     = var.request_timeout_seconds >= 1 && var.request_timeout_seconds <= 3600
    error_message = "request_timeout_seconds must be between 1 and 3600."
  }
}

variable "runtime_roles" {
  description = "Project roles of the runtime service account besides the collector sidecar's (monitoring.metricWriter, telemetry.tracesWriter), which it always gets. The predictor itself needs none: logs go to stdout, the model ships in the image."
  type        = list(string)
  default     = []

  validation {
    condition     = length(setintersection(var.runtime_roles, ["roles/owner", "roles/editor", "roles/viewer"])) == 0
    error_message = "runtime_roles must not contain basic roles (owner, editor, viewer)."
  }
}

variable "startup_cpu_boost" {
  description = "Give the container extra CPU while it starts, which shortens cold starts."
  type        = bool
  default     = true
}

variable "versions_to_keep" {
  description = "The cleanup policy always keeps this many newest image versions, whatever their age, so rollbacks have images to go to."
  type        = number
  default     = 20

  validation {
    condition     = var.versions_to_keep >= 1
    error_message = "versions_to_keep must be at least 1."
  }
}
