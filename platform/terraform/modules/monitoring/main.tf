# Cloud Monitoring view of the repo's OpenSLO documents: the Cloud Run service, one request-based
# SLO per OpenSLO SLO over the app's own metrics in Managed Service for Prometheus (the events
# local Prometheus counts), and one burn-rate alert policy per (SLO, AlertPolicy) with the long AND
# the short window as two conditions.

module "openslo" {
  source      = "../openslo"
  slo_dir     = var.slo_dir
  conventions = var.slo_conventions
}

module "sli_filters" {
  source    = "../sli-filters"
  slos      = module.openslo.normalized.slos
  namespace = var.cloud_run_service_name
  location  = var.region
}

locals {
  catalog = module.openslo.normalized
  filters = module.sli_filters.filters

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
    # Availability: good and total requests, counted from the app's request-duration histogram.
    dynamic "good_total_ratio" {
      for_each = each.value.sli_kind == "availability" ? [1] : []
      content {
        good_service_filter  = local.filters[each.key].good
        total_service_filter = local.filters[each.key].total
      }
    }
    # Latency: the share of that histogram at or under the SLI's le bound (seconds).
    dynamic "distribution_cut" {
      for_each = each.value.sli_kind == "latency" ? [1] : []
      content {
        distribution_filter = local.filters[each.key].good
        range {
          max = local.filters[each.key].range_max
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
