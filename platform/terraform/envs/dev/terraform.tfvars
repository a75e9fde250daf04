# Development environment. Values marked REPLACE_ME are placeholders: set them before the
# first apply (docs/deploy.md, "One-time bootstrap").
environment                = "dev"
project_id                 = "predictor-dev-REPLACE_ME"
state_bucket               = "predictor-dev-REPLACE_ME-tfstate"
github_repository          = "REPLACE_ME-owner/REPLACE_ME-repo"
github_repository_owner_id = "0" # REPLACE_ME: numeric owner ID
region                     = "southamerica-west1"

# REPLACE_ME: digest of the first image pushed by hand (bootstrap step 4).
image = "southamerica-west1-docker.pkg.dev/predictor-dev-REPLACE_ME/predictor/predictor@sha256:0000000000000000000000000000000000000000000000000000000000000000"

# The telemetry sidecar, by digest. REPLACE_ME: the digest of this tag (bootstrap step 3).
collector_image = "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google:0.156.1@sha256:0000000000000000000000000000000000000000000000000000000000000000"

# One instance at most: the stress-test workflow (loadtest.yml) then measures one instance.
min_instances = 0
max_instances = 1
invokers      = []

service_env = {
  WEB_CONCURRENCY = "1"
}

# Channel IDs for the burn-rate alerts; empty in dev: incidents appear only in the console.
notification_channels = {}
