output "alert_policy_names" {
  description = "Alert policy resource names, by \"<slo>/<alert policy>\"."
  value       = { for key, policy in google_monitoring_alert_policy.burn_rate : key => policy.name }
}

output "prometheus_only_alerts" {
  description = "\"<slo>/<alert policy>\" pairs whose lookback exceeds what this module sends to Cloud Monitoring (24 h)."
  value = flatten([
    for slo_name, slo in local.catalog.slos : [
      for policy, alert in slo.alerts : "${slo_name}/${policy}" if !alert.gcp_supported
    ]
  ])
}

output "service_id" {
  description = "Cloud Monitoring service id (the OpenSLO Service name); the deploy gate reads SLOs under it."
  value       = google_monitoring_service.this.service_id
}

output "slo_names" {
  description = "Full resource names of the SLOs (projects/P/services/S/serviceLevelObjectives/ID), by SLO name."
  value       = { for name, slo in google_monitoring_slo.this : name => slo.name }
}
