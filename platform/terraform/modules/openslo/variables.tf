variable "conventions" {
  description = "The file of values both OpenSLO readers share (the repo's slo/conventions.yaml): annotation names, duration units, the SLI query shape, the Cloud Monitoring lookback limit."
  type        = string
}

variable "slo_dir" {
  description = "Folder of OpenSLO v1 documents, one per *.yaml file (the repo's slo/openslo). Validate them first with ./task slo:validate; this module trusts their shape."
  type        = string
}
