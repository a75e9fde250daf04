"""Load-test harness: payloads, load generators, report and thresholds for `task loadtest`."""
