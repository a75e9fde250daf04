variable "cloud_run_service_name" {
  description = "Name of the Cloud Run service the SLOs measure."
  type        = string
}

variable "notification_channels" {
  description = "Notification channel ids (projects/P/notificationChannels/N) per OpenSLO AlertNotificationTarget name, e.g. { on-call-pager = [...], team-tickets = [...] }. Targets without channels still get alert policies (incidents show in the console)."
  type        = map(list(string))
  default     = {}
}

variable "project_id" {
  description = "Project that runs the Cloud Run service and holds its Cloud Monitoring SLOs."
  type        = string
}

variable "region" {
  description = "Region of the Cloud Run service (the basic service's location label)."
  type        = string
}

variable "slo_conventions" {
  description = "The file of values the OpenSLO readers share (the repo's slo/conventions.yaml)."
  type        = string
}

variable "slo_dir" {
  description = "Folder of OpenSLO v1 documents (the repo's slo/openslo), the only place targets, windows and thresholds are written."
  type        = string
}
