# The SLIs' PromQL selectors as Cloud Monitoring filters over the same series, as the collector
# sidecar writes them to Managed Service for Prometheus: so Cloud Monitoring counts the same events
# as local Prometheus. A histogram <name> is stored as the distribution
# prometheus.googleapis.com/<name>/histogram; the sidecar also writes its count as the counter
# prometheus.googleapis.com/<name>_count/counter (good/total ratios need a counter).

locals {
  # Labels of the prometheus_target monitored resource; every other label is a metric label.
  resource_labels = ["cluster", "instance", "job", "location", "namespace"]
  # One filter term per PromQL matcher operator: format(term, label path, value).
  terms = {
    "="  = "%s = \"%s\""
    "!=" = "NOT %s = \"%s\""
    "=~" = "%s = monitoring.regex.full_match(\"%s\")"
    "!~" = "NOT %s = monitoring.regex.full_match(\"%s\")"
  }
  target = "resource.type = \"prometheus_target\" AND resource.label.namespace = \"${var.namespace}\" AND resource.label.location = \"${var.location}\""

  filters = {
    for name, slo in var.slos : name => {
      for which in ["good", "total"] : which => join(" AND ", concat(
        [
          "metric.type = \"prometheus.googleapis.com/${endswith(slo[which].metric, "_bucket") ? "${trimsuffix(slo[which].metric, "_bucket")}/histogram" : "${slo[which].metric}/counter"}\"",
          local.target,
        ],
        [
          for m in slo[which].matchers :
          format(local.terms[m.op], "${contains(local.resource_labels, m.label) ? "resource" : "metric"}.label.${m.label}", m.value)
          if m.label != "le" # a bucket bound is the distribution cut's range, not a filter
        ],
      ))
    }
  }
}
