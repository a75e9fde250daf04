variable "location" {
  description = "Region of the Cloud Run service: the location label of its prometheus_target series."
  type        = string
}

variable "namespace" {
  description = "Cloud Run service name: the namespace label its collector sidecar gives its prometheus_target series."
  type        = string
}

variable "slos" {
  description = "The slos map of modules/openslo's normalized view: per SLO its sli_kind and the good and total selectors (metric and label matchers)."
  type        = any
}
