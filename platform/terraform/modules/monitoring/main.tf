# Cloud Monitoring view of the repo's OpenSLO documents: the Cloud Run service, one request-based
# SLO per OpenSLO SLO, and one burn-rate alert policy per (SLO, AlertPolicy) with the long AND the
# short window as two conditions.

module "openslo" {
  source  = "../openslo"
  slo_dir = var.slo_dir
}

locals {
  catalog = module.openslo.normalized

  run_revision = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.label.\"service_name\"=\"${var.cloud_run_service_name}\"",
    "resource.label.\"location\"=\"${var.region}\"",
  ])
  request_count     = "metric.type=\"run.googleapis.com/request_count\" AND ${local.run_revision}"
  request_latencies = "metric.type=\"run.googleapis.com/request_latencies\" AND ${local.run_revision}"

  # Lookbacks over 24 h are Prometheus-only; see output prometheus_only_alerts and docs/slo.md.
  alert_policies = merge([
    for slo_name, slo in local.catalog.slos : {
      for policy, alert in slo.alerts : "${slo_name}/${policy}" => merge(alert, { slo = slo_name })
      if alert.gcp_supported
    }
  ]...)
}

resource "google_monitoring_service" "this" {
  project      = var.project_id
  service_id   = local.catalog.service.name
  display_name = local.catalog.service.display_name

  basic_service {
    service_type = "CLOUD_RUN"
    service_labels = {
      service_name = var.cloud_run_service_name
      location     = var.region
    }
  }
}

resource "google_monitoring_slo" "this" {
  for_each = local.catalog.slos

  project             = var.project_id
  service             = google_monitoring_service.this.service_id
  slo_id              = each.key
  display_name        = each.value.display_name
  goal                = each.value.target
  rolling_period_days = each.value.period_days

  request_based_sli {
    # Availability: bad = 5xx among all requests that reached a revision.
    dynamic "good_total_ratio" {
      for_each = each.value.sli_kind == "availability" ? [1] : []
      content {
        total_service_filter = local.request_count
        bad_service_filter   = "${local.request_count} AND metric.label.\"response_code_class\"=\"5xx\""
      }
    }
    # Latency: good = request_latencies (milliseconds) below the threshold.
    dynamic "distribution_cut" {
      for_each = each.value.sli_kind == "latency" ? [1] : []
      content {
        distribution_filter = local.request_latencies
        range {
          max = each.value.latency_threshold_ms
        }
      }
    }
  }
}

resource "google_monitoring_alert_policy" "burn_rate" {
  for_each = local.alert_policies

  project      = var.project_id
  display_name = "${local.catalog.slos[each.value.slo].display_name}: ${each.value.display_name}"
  combiner     = "AND"

  dynamic "conditions" {
    for_each = {
      long  = each.value.long_window_seconds
      short = each.value.short_window_seconds
    }
    content {
      display_name = "burn rate over ${conditions.value}s above ${each.value.burn_rate}"
      condition_threshold {
        filter          = "select_slo_burn_rate(\"${google_monitoring_slo.this[each.value.slo].name}\", \"${conditions.value}s\")"
        comparison      = "COMPARISON_GT"
        threshold_value = each.value.burn_rate
        duration        = "0s"
      }
    }
  }

  notification_channels = flatten([for target in each.value.notification_targets : lookup(var.notification_channels, target, [])])
  user_labels = {
    severity     = each.value.severity
    slo          = each.value.slo
    alert_policy = split("/", each.key)[1]
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Error budget of SLO `${each.value.slo}` is burning faster than ${each.value.burn_rate}x over both ${each.value.long_window_seconds}s and ${each.value.short_window_seconds}s. Runbook: docs/runbook.md, section \"${title(replace(replace(each.value.slo, "api-", ""), "-", " "))} burn\"."
  }
}
