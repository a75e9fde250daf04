terraform {
  required_version = "~> 1.11.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "6.50.0"
    }
  }

  # Partial configuration: the bucket comes from -backend-config=bucket=..., the prefix from
  # envs/<env>/backend.hcl (see docs/deploy.md, "One-time bootstrap").
  backend "gcs" {}
}
