"""Locust add-on (loaded with -f next to the locustfile) that makes a headless run's books exact.

1. gevent's loop clock is cached from before Locust imports the locustfile, so on a busy machine
   --run-time fired seconds early (a 6 s run stopped after 4.2 s here). Refreshing the clock at
   init makes the run last what was asked.
2. The headless CSV writer saves once a second and stops without a last write, so the CSVs missed
   up to a second of requests that the summary and HTML report include. At quit time, after every
   user has stopped, the stats and failures CSVs are rewritten with the final totals.
"""

import csv
from typing import Any

import gevent
from locust import events
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV


@events.init.add_listener  # type: ignore[untyped-decorator]  # locust's event hooks are untyped
def _refresh_clock(**_kwargs: Any) -> None:
    gevent.get_hub().loop.update_now()


@events.quitting.add_listener  # type: ignore[untyped-decorator]
def _write_final_csv(environment: Any, **_kwargs: Any) -> None:
    prefix = environment.parsed_options and environment.parsed_options.csv_prefix
    if not prefix:
        return
    writer = StatsCSV(environment, PERCENTILES_TO_REPORT)
    for suffix, write in (("stats", writer.requests_csv), ("failures", writer.failures_csv)):
        with open(f"{prefix}_{suffix}.csv", "w", newline="") as f:
            write(csv.writer(f))
