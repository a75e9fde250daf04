# Offline: the module has no provider. The repo's own SLIs, read by modules/openslo.
run "read_the_repo_slos" {
  command = apply

  module {
    source = "../openslo"
  }

  variables {
    slo_dir     = "../../../../slo/openslo"
    conventions = "../../../../slo/conventions.yaml"
  }
}

run "same_events_as_local_prometheus" {
  command = apply

  variables {
    slos      = run.read_the_repo_slos.normalized.slos
    namespace = "predictor"
    location  = "southamerica-west1"
  }

  assert {
    condition     = output.filters["api-availability"].total == "metric.type = \"prometheus.googleapis.com/http_server_request_duration_seconds_count/counter\" AND resource.type = \"prometheus_target\" AND resource.label.namespace = \"predictor\" AND resource.label.location = \"southamerica-west1\" AND resource.label.job = \"predictor\" AND metric.label.http_request_method = \"POST\" AND metric.label.http_route = monitoring.regex.full_match(\"/api|/api/batch|/predict\")"
    error_message = "availability counts every POST /api, /api/batch and /predict of the app's job"
  }

  assert {
    condition     = endswith(output.filters["api-availability"].good, " AND NOT metric.label.http_response_status_code = monitoring.regex.full_match(\"5..|429\")")
    error_message = "a good event is neither a 5xx nor a 429"
  }

  assert {
    condition     = output.filters["api-latency"].good == "metric.type = \"prometheus.googleapis.com/http_server_request_duration_seconds/histogram\" AND resource.type = \"prometheus_target\" AND resource.label.namespace = \"predictor\" AND resource.label.location = \"southamerica-west1\" AND resource.label.job = \"predictor\" AND metric.label.http_request_method = \"POST\" AND metric.label.http_route = \"/api\""
    error_message = "latency cuts the app's request-duration histogram of POST /api"
  }

  assert {
    condition     = output.filters["api-latency"].range_max == 0.05
    error_message = "the cut is the le bucket bound of the SLI, in the histogram's unit (seconds)"
  }
}
