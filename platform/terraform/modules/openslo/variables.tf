variable "slo_dir" {
  description = "Folder of OpenSLO v1 documents, one per *.yaml file (the repo's slo/openslo). Validate them first with ./task slo:validate; this module trusts their shape."
  type        = string
}
