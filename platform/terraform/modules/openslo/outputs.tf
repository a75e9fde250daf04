output "normalized" {
  description = "The SLO catalog: service {name, display_name} and slos keyed by SLO name (target, period_days, sli_kind, good and total selectors {metric, matchers [{label, op, value}]}, deploy_gate, alerts keyed by AlertPolicy name with burn_rate, long/short_window_seconds, severity, notification_targets, gcp_supported)."
  value = {
    service = {
      name         = local.service.metadata.name
      display_name = try(local.service.metadata.displayName, local.service.metadata.name)
    }
    slos = local.normalized_slos
  }
}
