# Offline: the module has no provider. Reads the repo's own OpenSLO folder.
variables {
  slo_dir     = "../../../../slo/openslo"
  conventions = "../../../../slo/conventions.yaml"
}

run "reads_the_repo_slos" {
  command = apply

  assert {
    condition     = output.normalized.service.name == "predictor"
    error_message = "the Service document names the Cloud Monitoring service id"
  }
  assert {
    condition     = output.normalized.slos["api-availability"].target == 0.999 && output.normalized.slos["api-availability"].period_days == 30
    error_message = "availability: 99.9% over 30 days"
  }
  assert {
    condition     = output.normalized.slos["api-latency"].good.metric == "http_server_request_duration_seconds_bucket" && contains(output.normalized.slos["api-latency"].good.matchers, { label = "le", op = "=", value = "0.05" })
    error_message = "the latency SLI counts the le=\"0.05\" bucket of the request-duration histogram"
  }
  assert {
    condition     = contains(output.normalized.slos["api-availability"].good.matchers, { label = "http_response_status_code", op = "!~", value = "5..|429" })
    error_message = "good availability events are neither 5xx nor 429"
  }
  assert {
    condition     = output.normalized.slos["api-availability"].alerts["page-fast-burn"].short_window_seconds * 12 == output.normalized.slos["api-availability"].alerts["page-fast-burn"].long_window_seconds
    error_message = "the short window is 1/12 of the long one"
  }
  assert {
    condition     = !output.normalized.slos["api-availability"].alerts["ticket-slow-burn"].gcp_supported && output.normalized.slos["api-availability"].alerts["ticket-fast-burn"].gcp_supported
    error_message = "lookbacks over 24h are Prometheus-only; 24h itself is supported"
  }
  assert {
    condition     = output.normalized.slos["api-availability"].deploy_gate && !output.normalized.slos["api-latency"].deploy_gate
    error_message = "only the availability SLO gates deploys"
  }
}
