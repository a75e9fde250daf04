"""With two worker processes, N requests show as exactly N at /metrics, whichever worker answers."""

import json
import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from predictor.features import CHALLENGE_EXAMPLE

pytestmark = pytest.mark.integration
REQUESTS = 300
BODY = json.dumps({"array": list(CHALLENGE_EXAMPLE)}).encode()


def api_count_and_pids(url: str) -> tuple[float, set[str]]:
    text = httpx.get(f"{url}/metrics").text
    count, pids = 0.0, set()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "http_server_request_duration_seconds_count" and sample.labels["http_route"] == "/api":
                count += sample.value
            if sample.name == "process_cpu_seconds_total":
                pids.add(sample.labels["pid"])
    return count, pids


def test_request_count_is_exact_across_two_workers(predictor_factory):
    running = predictor_factory({"WEB_CONCURRENCY": "2"})
    for _ in range(REQUESTS):  # a new connection each time, so the kernel spreads them over both workers
        response = httpx.post(f"{running.url}/api", content=BODY, headers={"content-type": "application/json"})
        assert response.status_code == 200
    deadline = time.monotonic() + 10
    while (observed := api_count_and_pids(running.url))[0] != REQUESTS and time.monotonic() < deadline:
        time.sleep(0.2)  # other workers publish their counts once a second
    count, pids = observed
    assert count == REQUESTS
    assert len(pids) == 2
    time.sleep(1.5)  # after further publications the total must not move: nothing is counted twice
    assert api_count_and_pids(running.url)[0] == REQUESTS
