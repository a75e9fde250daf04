terraform {
  # Provider-free on purpose: `terraform test` runs offline, and the monitoring module (and the
  # pytest cross-check against slo/slokit) read the same normalized view.
  required_version = ">= 1.6"
}
