# Plans against a mocked google provider (mock_provider needs the provider schema, so
# `terraform init` must reach the registry: CI's terraform job, not the offline suite). The
# filters themselves are proven offline by modules/sli-filters/tests.
mock_provider "google" {}

variables {
  project_id             = "predictor-test"
  region                 = "us-central1"
  cloud_run_service_name = "predictor"
  slo_dir                = "../../../../slo/openslo"
  slo_conventions        = "../../../../slo/conventions.yaml"
  notification_channels = {
    on-call-pager = ["projects/predictor-test/notificationChannels/1"]
  }
}

run "one_slo_and_alert_policy_per_openslo_object" {
  command = plan

  assert {
    condition     = length(google_monitoring_slo.this) == 2
    error_message = "one Cloud Monitoring SLO per OpenSLO SLO"
  }
  assert {
    condition     = google_monitoring_slo.this["api-latency"].request_based_sli[0].distribution_cut[0].range[0].max == 0.05
    error_message = "latency SLO cuts the app's request-duration histogram (seconds) at its le bound"
  }
  assert {
    condition     = startswith(google_monitoring_slo.this["api-availability"].request_based_sli[0].good_total_ratio[0].total_service_filter, "metric.type = \"prometheus.googleapis.com/http_server_request_duration_seconds_count/counter\"")
    error_message = "availability counts the app's requests in Managed Service for Prometheus, not run.googleapis.com"
  }
  assert {
    condition     = google_monitoring_slo.this["api-availability"].goal == 0.999 && google_monitoring_slo.this["api-availability"].rolling_period_days == 30
    error_message = "availability goal and period come from the OpenSLO file"
  }
  assert {
    condition     = length(google_monitoring_alert_policy.burn_rate) == 6
    error_message = "four alert policies per SLO minus the Prometheus-only 3d lookback"
  }
  assert {
    condition     = length(google_monitoring_alert_policy.burn_rate["api-availability/page-fast-burn"].conditions) == 2
    error_message = "long AND short window"
  }
  assert {
    condition     = google_monitoring_alert_policy.burn_rate["api-availability/page-fast-burn"].notification_channels == tolist(["projects/predictor-test/notificationChannels/1"])
    error_message = "pages go to the on-call-pager channels"
  }
}
