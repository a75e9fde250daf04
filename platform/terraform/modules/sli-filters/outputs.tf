output "filters" {
  description = "Per SLO name: good and total filters (counters for availability SLIs, a good_total_ratio); for latency SLIs good selects the histogram, a distribution_cut's filter, and range_max is the SLI's le bound (null otherwise)."
  value = {
    for name, slo in var.slos : name => {
      good      = local.filters[name].good
      total     = local.filters[name].total
      range_max = slo.sli_kind == "latency" ? tonumber(one([for m in slo.good.matchers : m.value if m.label == "le"])) : null
    }
  }
}
