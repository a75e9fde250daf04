# Reads the OpenSLO folder into the normalized view that slo/slokit/model.py also builds; a pytest
# compares the two (slo/tests/test_terraform_crosscheck.py), so both read targets, windows and
# thresholds the same way. What both need beside the documents comes from var.conventions
# (slo/conventions.yaml), which slokit reads too: no constant is written twice.

locals {
  conventions = yamldecode(file(var.conventions))
  docs        = [for f in sort(fileset(var.slo_dir, "*.yaml")) : yamldecode(file("${var.slo_dir}/${f}"))]
  by_kind = {
    for kind in ["Service", "SLI", "SLO", "AlertPolicy", "AlertCondition"] :
    kind => { for d in local.docs : d.metadata.name => d if d.kind == kind }
  }
  service = one(values(local.by_kind.Service))

  annotation   = { for name, suffix in local.conventions.annotations : name => "${local.conventions.annotation_prefix}${suffix}" }
  query_shape  = local.conventions.query_shape
  matcher      = local.conventions.label_matcher
  unit_seconds = local.conventions.duration_unit_seconds

  alerts = {
    for name, policy in local.by_kind.AlertPolicy : name => {
      policy    = policy
      condition = local.by_kind.AlertCondition[policy.spec.conditions[0].conditionRef]
    }
  }
  windows = {
    for name, a in local.alerts : name => {
      long  = a.condition.spec.condition.lookbackWindow
      short = a.condition.metadata.annotations[local.annotation.short_window]
    }
  }
  window_seconds = {
    for name, w in local.windows : name => {
      for which, text in w : which => tonumber(regex("^[0-9]+", text)) * local.unit_seconds[regex("[a-z]$", text)]
    }
  }
  normalized_alerts = {
    for name, a in local.alerts : name => {
      display_name         = try(a.policy.metadata.displayName, name)
      severity             = a.condition.spec.severity
      burn_rate            = a.condition.spec.condition.threshold
      long_window_seconds  = local.window_seconds[name].long
      short_window_seconds = local.window_seconds[name].short
      notification_targets = [for t in a.policy.spec.notificationTargets : t.targetRef]
      gcp_supported        = local.window_seconds[name].long <= local.conventions.gcp_max_lookback_seconds
    }
  }

  selectors = {
    for name, sli in local.by_kind.SLI : name => {
      for which in ["good", "total"] : which => {
        metric = regex(local.query_shape, trimspace(sli.spec.ratioMetric[which].metricSource.spec.query))[0]
        matchers = [
          for m in regexall(local.matcher, regex(local.query_shape, trimspace(sli.spec.ratioMetric[which].metricSource.spec.query))[1]) :
          { label = m[0], op = m[1], value = replace(m[2], "\\\"", "\"") }
        ]
      }
    }
  }

  normalized_slos = {
    for name, slo in local.by_kind.SLO : name => {
      display_name = try(slo.metadata.displayName, name)
      service      = slo.spec.service
      target       = try(slo.spec.objectives[0].target, slo.spec.objectives[0].targetPercent / 100)
      period_days = floor(
        tonumber(regex("^[0-9]+", slo.spec.timeWindow[0].duration))
        * local.unit_seconds[regex("[a-z]$", slo.spec.timeWindow[0].duration)] / 86400
      )
      sli_kind = local.by_kind.SLI[slo.spec.indicatorRef].metadata.annotations[local.annotation.cloud_run_sli]
      # The metric and label matchers of the good and total queries: every backend counts these.
      good        = local.selectors[slo.spec.indicatorRef].good
      total       = local.selectors[slo.spec.indicatorRef].total
      deploy_gate = try(slo.metadata.annotations[local.annotation.deploy_gate], "false") == "true"
      alerts = {
        for ref in try(slo.spec.alertPolicies, []) : ref.alertPolicyRef => local.normalized_alerts[ref.alertPolicyRef]
      }
    }
  }
}
