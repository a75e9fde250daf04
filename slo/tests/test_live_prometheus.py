"""A real Prometheus, the generated rules and the repo config, scraping the real service.

Catches rules and dashboards that name metrics or labels the service does not export, and
checks that the availability SLI equals what the load generator saw. Bounded: a few hundred
requests to 127.0.0.1.
"""

import json
import random
import subprocess
import time
import urllib.parse
import urllib.request
from collections import Counter

import httpx
import pytest
import yaml
from harness.server import free_port
from slokit import localprom, paths

pytestmark = pytest.mark.integration
GOOD_ROWS, BATCHES, BAD_JSON, BAD_SCHEMA, BAD_TYPE = 150, 10, 15, 15, 10
ROUTES = ("/api", "/api/batch")


def _poll(fetch, done, what: str, attempts: int = 150):
    """Call fetch() until done(value); return the value, or fail showing the last one."""
    for _ in range(attempts):
        value = fetch()
        if done(value):
            return value
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}; last saw {value!r}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def service(predictor_server) -> str:
    return predictor_server.url


@pytest.fixture(scope="module")
def prometheus(service, tmp_path_factory, require_tool):
    require_tool("prometheus")
    listen = f"127.0.0.1:{free_port()}"
    data = tmp_path_factory.mktemp("prometheus")
    config = localprom.render_config([service.removeprefix("http://")], "1s", "1s")
    process = localprom.start(config, listen, data, data / "prometheus.log")
    try:
        localprom.wait_ready(listen, process)
        yield f"http://{listen}"
    finally:
        _stop(process)


def _query(prometheus: str, expr: str) -> dict:
    url = f"{prometheus}/api/v1/query?{urllib.parse.urlencode({'query': expr})}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _vector(prometheus: str, expr: str) -> list[dict]:
    answer = _query(prometheus, expr)
    assert answer["status"] == "success", answer
    return answer["data"]["result"]


@pytest.fixture(scope="module")
def load(service, prometheus) -> Counter:
    """Send a bounded mix of good and malformed requests; count statuses per route.

    One request of each kind goes first and is scraped before the rest: rate() only sees
    increases after a series' first sample, so every series must exist before the bulk.
    """
    rng = random.Random(7)
    seen: Counter = Counter()
    kinds = {
        ("/api", "good"): ({"json": {"array": [0] * 37}}, GOOD_ROWS),
        ("/api/batch", "good"): ({"json": {"arrays": [[1] * 37] * 5}}, BATCHES),
        ("/api", "bad json"): (
            {"content": b'{"array": [0, 1', "headers": {"content-type": "application/json"}},
            BAD_JSON,
        ),
        ("/api", "bad schema"): ({"json": {"array": [0, 1, 2]}}, BAD_SCHEMA),
        ("/api", "bad type"): (
            {"content": b"array=1", "headers": {"content-type": "text/plain"}},
            BAD_TYPE,
        ),
    }
    with httpx.Client(base_url=service, timeout=10) as client:

        def send(route: str, kind: str, request: dict) -> None:
            if (route, kind) == ("/api", "good"):  # vary the vector: any 0/1 vector is valid
                request = {"json": {"array": [rng.randint(0, 1) for _ in range(37)]}}
            seen[(route, str(client.post(route, **request).status_code))] += 1

        for (route, kind), (request, _) in kinds.items():
            send(route, kind, request)
        _poll(lambda: _scraped(prometheus), lambda s: s == seen, "the first scrape")
        for (route, kind), (request, count) in kinds.items():
            for _ in range(count - 1):
                send(route, kind, request)
    assert sum(n for (_, s), n in seen.items() if s.startswith("4")) >= BAD_JSON + BAD_SCHEMA
    return seen


def _scraped(prometheus: str) -> Counter:
    expr = (
        "sum by (http_route, http_response_status_code) (http_server_request_duration_seconds_count"
        '{job="predictor", http_request_method="POST"})'
    )
    return Counter(
        {
            (r["metric"]["http_route"], r["metric"]["http_response_status_code"]): int(float(r["value"][1]))
            for r in _vector(prometheus, expr)
        }
    )


def _settled(prometheus: str, load: Counter) -> None:
    _poll(lambda: _scraped(prometheus), lambda s: s == load, f"Prometheus to scrape {dict(load)}")


def test_prometheus_counts_exactly_what_the_load_generator_sent(prometheus, load):
    _settled(prometheus, load)


def test_every_recording_rule_returns_data(prometheus, load):
    _settled(prometheus, load)
    records = [
        rule
        for path in sorted(paths.RULES_DIR.glob("*.rules.yml"))
        for group in yaml.safe_load(path.read_text())["groups"]
        for rule in group["rules"]
        if "record" in rule
    ]
    assert len(records) >= 30

    def empty() -> list[str]:
        selectors = [
            "{"
            + ", ".join([f'__name__="{rule["record"]}"', *(f'{k}="{v}"' for k, v in rule.get("labels", {}).items())])
            + "}"
            for rule in records
        ]
        return [s for s in selectors if not _vector(prometheus, s)]

    _poll(empty, lambda missing: missing == [], "every recording rule to return data")


def test_availability_sli_equals_the_non_5xx_share_the_load_generator_saw(prometheus, load):
    _settled(prometheus, load)
    total = sum(n for (route, _), n in load.items() if route in ROUTES)
    good = sum(n for (route, status), n in load.items() if route in ROUTES and status[0] != "5" and status != "429")
    expected = good / total
    sli = '1 - slo:sli_error:ratio_rate5m{sloth_slo="api-availability"}'

    # Rules are evaluated on their own schedule: wait for an evaluation that saw the load
    # (before it, the ratio is 0/0, NaN).
    result = _poll(lambda: _vector(prometheus, sli), lambda r: bool(r) and r[0]["value"][1] != "NaN", "the SLI")
    value = float(result[0]["value"][1])
    if good == total:  # no 5xx: good and total sum the same series, so the ratio is exact
        assert value == 1.0
    else:  # rate() extrapolates series born at different times differently
        assert value == pytest.approx(expected, abs=0.01)
    counters = _vector(
        prometheus,
        'sum(http_server_request_duration_seconds_count{job="predictor",http_request_method="POST",'
        'http_route=~"/api|/api/batch|/predict",http_response_status_code!~"5..|429"}) / sum('
        'http_server_request_duration_seconds_count{job="predictor",http_request_method="POST",'
        'http_route=~"/api|/api/batch|/predict"})',
    )
    assert float(counters[0]["value"][1]) == pytest.approx(expected, rel=1e-12)


def test_every_dashboard_expression_evaluates(prometheus, load, dashboard_expressions):
    _settled(prometheus, load)
    expressions = dashboard_expressions
    assert len(expressions) >= 20
    failures = {e: a for e in expressions if (a := _query(prometheus, e))["status"] != "success"}
    assert failures == {}
    with_data = [e for e in expressions if _vector(prometheus, e)]
    assert len(with_data) >= len(expressions) // 2, "most panels should show the load just sent"
