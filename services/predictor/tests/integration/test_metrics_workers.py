"""With two worker processes, /metrics is exact and never goes backwards, whichever worker answers."""

import json
import socket
import threading
import time
from itertools import pairwise

import httpx
import pytest
from harness import payloads, wrk
from prometheus_client.parser import text_string_to_metric_families

from predictor.features import CHALLENGE_EXAMPLE

pytestmark = pytest.mark.integration
BODY = json.dumps({"array": list(CHALLENGE_EXAMPLE)}).encode()
REQUEST = (
    f"POST /api HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {len(BODY)}\r\n\r\n".encode()
    + BODY
)
CONNECTIONS, PER_CONNECTION = 40, 500  # 20,000 requests; 40 connections land on both workers
SCRAPES = 191
ACCUMULATING = ("_total", "_count", "_bucket", "_sum")


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """Every counter-like sample of an exposition, by name and labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name.endswith(ACCUMULATING)
    }


def api_count_and_pids(url: str) -> tuple[float, set[str]]:
    found = samples(httpx.get(f"{url}/metrics").text)
    count = sum(
        v for (name, labels), v in found.items() if name.endswith("_count") and ("http_route", "/api") in labels
    )
    pids = {dict(labels)["pid"] for name, labels in found if name == "process_cpu_seconds_total"}
    return count, pids


def post_challenge(url: str, times: int) -> None:
    """`times` POST /api on one keep-alive connection, each answer read before the next request."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as connection:
        for _ in range(times):
            connection.sendall(REQUEST)
            answer = b""
            while not answer.endswith(b"}"):
                answer += connection.recv(4096)
            assert answer.startswith(b"HTTP/1.1 200 ")


def test_20000_requests_show_as_exactly_20000_across_two_workers(predictor_factory):
    running = predictor_factory({"WEB_CONCURRENCY": "2"})
    clients = [threading.Thread(target=post_challenge, args=(running.url, PER_CONNECTION)) for _ in range(CONNECTIONS)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    expected = CONNECTIONS * PER_CONNECTION
    deadline = time.monotonic() + 10
    while (observed := api_count_and_pids(running.url))[0] != expected and time.monotonic() < deadline:
        time.sleep(0.2)  # other workers publish their counts once a second
    count, pids = observed
    assert count == expected
    assert len(pids) == 2
    time.sleep(1.5)  # after further publications the total must not move: nothing is counted twice
    assert api_count_and_pids(running.url)[0] == expected


def test_scrapes_every_100_ms_under_load_never_go_backwards(predictor_factory, require_tool, tmp_path):
    """No render cache (METRICS_CACHE_SECONDS=0): every scrape merges the workers' counts afresh."""
    require_tool("wrk")
    running = predictor_factory({"WEB_CONCURRENCY": "2", "METRICS_CACHE_SECONDS": "0"})
    bodies = tmp_path / "bodies.txt"
    bodies.write_bytes(payloads.single_lines())
    command = wrk.command(running.url, bodies, 1, 16, SCRAPES // 10 + 4)
    load = threading.Thread(target=wrk.run, args=(command, tmp_path / "wrk.txt"))
    load.start()
    time.sleep(1)
    scrapes = []
    with httpx.Client(base_url=running.url, limits=httpx.Limits(max_keepalive_connections=0)) as client:
        for _ in range(SCRAPES):  # a new connection each time: either worker may answer
            scrapes.append(samples(client.get("/metrics").text))
            time.sleep(0.1)
    load.join()
    drops = [
        (key, before[key], after[key])
        for before, after in pairwise(scrapes)
        for key in before.keys() & after.keys()
        if after[key] < before[key]
    ]
    assert drops == []
    api = [
        sum(v for (name, labels), v in s.items() if name.endswith("_count") and ("http_route", "/api") in labels)
        for s in scrapes
    ]
    assert api[-1] > api[0]  # the load was counted while we watched
