terraform {
  # Provider-free on purpose: `terraform test` proves the filters offline.
  required_version = ">= 1.6"
}
