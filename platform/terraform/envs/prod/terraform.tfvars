# Production environment. Values marked REPLACE_ME are placeholders: set them before the
# first apply (docs/deploy.md, "One-time bootstrap").
environment                = "prod"
project_id                 = "predictor-prod-REPLACE_ME"
state_bucket               = "predictor-prod-REPLACE_ME-tfstate"
github_repository          = "REPLACE_ME-owner/REPLACE_ME-repo"
github_repository_owner_id = "0" # REPLACE_ME: numeric owner ID
region                     = "southamerica-west1"

# REPLACE_ME: digest of the first image pushed by hand (bootstrap step 4).
image = "southamerica-west1-docker.pkg.dev/predictor-prod-REPLACE_ME/predictor/predictor@sha256:0000000000000000000000000000000000000000000000000000000000000000"

# The telemetry sidecar, by digest. REPLACE_ME: the digest of this tag (bootstrap step 3).
collector_image = "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google:0.156.1@sha256:0000000000000000000000000000000000000000000000000000000000000000"

# One warm instance: no cold start on the first request after a quiet period.
min_instances = 1
max_instances = 20

# REPLACE_ME: the systems allowed to call the API.
invokers = [
  "serviceAccount:REPLACE_ME-caller@REPLACE_ME-project.iam.gserviceaccount.com",
]

service_env = {
  WEB_CONCURRENCY = "1"
}

# REPLACE_ME: channel IDs for the burn-rate alerts. prod needs at least one (validated).
notification_channels = {
  on-call-pager = ["projects/predictor-prod-REPLACE_ME/notificationChannels/REPLACE_ME"]
  team-tickets  = ["projects/predictor-prod-REPLACE_ME/notificationChannels/REPLACE_ME"]
}
