"""Telemetry in-process: metric names, units and labels; spans and their attributes."""

import hashlib

import pytest
from litestar.testing import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from prometheus_client.parser import text_string_to_metric_families

from predictor.app import create_app
from predictor.classifier import LogisticModel
from predictor.features import CHALLENGE_EXAMPLE, TEAM
from predictor.settings import load_settings
from predictor.telemetry import Telemetry
from predictor.telemetry.metrics import BOUNDS, Histogram, MetricsStore, counter_key
from predictor.telemetry.scrape_cache import SharedRender

EXAMPLE = {"array": list(CHALLENGE_EXAMPLE)}
PARENT_TRACE = "0af7651916cd43dd8448eb211c80319c"
PARENT_SPAN = "b7ad6b7169203331"


def traced_client(environ: dict[str, str]) -> tuple[TestClient, InMemorySpanExporter, Telemetry]:
    exporter = InMemorySpanExporter()
    settings = load_settings(environ)
    telemetry = Telemetry(settings, span_exporter=exporter)
    return TestClient(create_app(settings, telemetry)), exporter, telemetry


def finished_spans(exporter: InMemorySpanExporter, telemetry: Telemetry):
    telemetry.provider.force_flush()
    return exporter.get_finished_spans()


def families(client: TestClient) -> dict:
    response = client.get("/metrics")
    assert response.headers.get_list("content-type") == ["text/plain; version=0.0.4; charset=utf-8"]  # once
    return {family.name: family for family in text_string_to_metric_families(response.text)}


def test_request_duration_histogram_follows_the_http_semantic_conventions():
    client, _, _ = traced_client({})
    with client:
        client.post("/api", json=EXAMPLE)
        client.post("/api", json={"array": [2]})
        client.get("/no/such/path/123")
        found = families(client)
    duration = found["http_server_request_duration_seconds"]
    assert duration.type == "histogram"
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value for s in duration.samples}
    ok = (("http_request_method", "POST"), ("http_response_status_code", "200"), ("http_route", "/api"))
    assert samples[("http_server_request_duration_seconds_count", ok)] == 1
    assert (
        samples[("http_server_request_duration_seconds_count", (ok[0], ("http_response_status_code", "422"), ok[2]))]
        == 1
    )
    # the raw path never becomes a label: unknown paths share one route value
    routes = {dict(s.labels)["http_route"] for s in duration.samples}
    assert "/no/such/path/123" not in routes
    assert "unmatched" in routes
    les = {s.labels["le"] for s in duration.samples if s.name.endswith("_bucket")}
    assert {"0.05", "0.001", "10.0", "+Inf"} <= les  # includes the latency SLO threshold


def test_predictions_are_counted_by_class_and_model_version():
    client, _, _ = traced_client({})
    rows = TEAM.valid_combinations()[:100]
    with client:
        expected = client.post("/api/batch", json={"arrays": rows}).json()["predicciones"]
        client.post("/api", json=EXAMPLE)
        single = client.post("/api", json=EXAMPLE).json()["predicciones"][0]
        version = client.get("/model").json()["version"]
        found = families(client)
    counts = {s.labels["predicted_class"]: s.value for s in found["predictor_predictions"].samples}
    assert counts["1"] == expected.count(1) + 2 * (single == 1)
    assert counts["0"] == expected.count(0) + 2 * (single == 0)
    assert {s.labels["model_version"] for s in found["predictor_predictions"].samples} == {version}
    info = found["predictor_model_info"].samples[0]
    assert info.value == 1
    assert info.labels["model_version"] == version
    assert found["process_resident_memory_bytes"].samples[0].value > 0


def test_sampled_request_has_a_server_span_and_an_inference_child():
    client, exporter, telemetry = traced_client({"OTEL_TRACES_SAMPLER_ARG": "1"})
    with client:
        client.post("/api", json=EXAMPLE)
    spans = {span.name: span for span in finished_spans(exporter, telemetry)}
    server, predict = spans["POST /api"], spans["predict"]
    assert server.kind == SpanKind.SERVER
    assert server.attributes["http.route"] == "/api"
    assert server.attributes["http.request.method"] == "POST"
    assert server.attributes["http.response.status_code"] == 200
    assert predict.parent.span_id == server.context.span_id
    assert predict.attributes["predictor.model.version"].startswith("challenge-")
    assert predict.attributes["predictor.rows"] == 1
    assert server.resource.attributes["service.name"] == "predictor"


def test_a_fault_in_the_prediction_path_is_recorded_in_the_span_and_the_histogram(monkeypatch):
    client, exporter, telemetry = traced_client({"OTEL_TRACES_SAMPLER_ARG": "1"})
    monkeypatch.setattr(LogisticModel, "predict_one", lambda *_: 1 / 0)
    with TestClient(client.app, raise_server_exceptions=False) as faulty:
        assert faulty.post("/api", json=EXAMPLE).status_code == 500
    server = next(s for s in finished_spans(exporter, telemetry) if s.name == "POST /api")
    assert server.status.status_code == StatusCode.ERROR
    assert server.attributes["http.response.status_code"] == 500
    assert [event.attributes["exception.type"] for event in server.events] == ["ZeroDivisionError"]
    assert sum(telemetry.store.durations[("POST", "/api", 500)].counts) == 1


def test_incoming_trace_context_is_continued():
    client, exporter, telemetry = traced_client({"OTEL_TRACES_SAMPLER_ARG": "0"})
    with client:
        client.post("/api", json=EXAMPLE, headers={"traceparent": f"00-{PARENT_TRACE}-{PARENT_SPAN}-01"})
    server = next(s for s in finished_spans(exporter, telemetry) if s.name == "POST /api")
    assert f"{server.context.trace_id:032x}" == PARENT_TRACE
    assert f"{server.parent.span_id:016x}" == PARENT_SPAN


@pytest.mark.parametrize(
    ("ratio", "traceparent"),
    [("0", None), ("1", f"00-{PARENT_TRACE}-{PARENT_SPAN}-00"), ("0", "garbage")],
    ids=["ratio-zero", "caller-said-no", "malformed-header"],
)
def test_unsampled_requests_make_no_spans(ratio, traceparent):
    client, exporter, telemetry = traced_client({"OTEL_TRACES_SAMPLER_ARG": ratio})
    headers = {"traceparent": traceparent} if traceparent else {}
    with client:
        assert client.post("/api", json=EXAMPLE, headers=headers).status_code == 200
    assert finished_spans(exporter, telemetry) == ()


def test_otel_sdk_disabled_turns_every_signal_off():
    client, exporter, telemetry = traced_client({"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_SAMPLER_ARG": "1"})
    with client:
        client.post("/api", json=EXAMPLE)
        text = client.get("/metrics").text
    assert telemetry.provider is None
    assert exporter.get_finished_spans() == ()
    assert "http_server_request_duration_seconds" not in text
    assert telemetry.store.durations == {} and telemetry.store.counters == {}


def test_bucket_boundaries_are_inclusive_like_prometheus_le():
    histogram = Histogram()
    for value in (0.05, 0.0500001, 11.0):
        histogram.observe(value)
    assert histogram.counts[BOUNDS.index(0.05)] == 1  # le="0.05" includes 0.05
    assert histogram.counts[BOUNDS.index(0.075)] == 1
    assert histogram.counts[-1] == 1  # +Inf


def test_worker_snapshots_add_up_exactly(tmp_path):
    first, second = MetricsStore(tmp_path), MetricsStore(tmp_path)
    second.pid = first.pid + 1  # two workers sharing one folder
    delayed = counter_key("predictor_predictions", "1", "v")
    for store, requests in ((first, 3), (second, 4)):
        for _ in range(requests):
            store.duration("POST", "/api", 200).observe(0.002)
        store.count(delayed, requests)
        store.publish()
    first.duration("POST", "/api", 200).observe(0.002)  # live, not yet published
    merged = first.merged()
    *counts, total = merged.durations["POST|/api|200"]
    assert sum(counts) == 3 + 4 + 1
    assert total == pytest.approx(0.016)
    assert merged.counters == {delayed: 7}


def test_scrapes_never_go_backwards_whichever_worker_answers(tmp_path):
    """Each scrape first writes the answering worker's own snapshot, so no sum mixes a live value
    with an older copy of the same worker."""
    first, second = MetricsStore(tmp_path), MetricsStore(tmp_path)
    second.pid = first.pid + 1
    totals = []
    for step in range(20):
        for store in (first, second):
            store.duration("POST", "/api", 200).observe(0.001)  # live, published only by scrapes here
        answering = (first, second)[step % 2]
        totals.append(sum(answering.merged().durations["POST|/api|200"][:-1]))
    assert totals == sorted(totals)
    second.publish()  # settled: every worker has written its latest values
    assert sum(first.merged().durations["POST|/api|200"][:-1]) == 40


def test_counts_past_a_million_read_back_exactly(tmp_path):
    """prometheus_client writes 1010349 as 1.010349e+06 (Go's float notation): Prometheus parses
    it back to the same integer, unlike the rounded 1.01041e+06 of a %g format."""
    settings = load_settings({"PREDICTOR_METRICS_DIR": str(tmp_path)})
    telemetry = Telemetry(settings)
    delayed = counter_key("predictor_predictions", "1", "v")
    telemetry.store.count(delayed, 1_010_349)
    histogram = telemetry.store.duration("POST", "/api", 200)
    histogram.counts[0] = 123_456_789
    samples = {
        sample.name: sample.value
        for family in text_string_to_metric_families(telemetry.exposition().decode())
        for sample in family.samples
    }
    assert samples["predictor_predictions_total"] == 1_010_349
    assert samples["http_server_request_duration_seconds_count"] == 123_456_789


def test_one_render_serves_every_worker_until_it_is_stale(tmp_path):
    renders = []

    def render() -> bytes:
        renders.append(1)
        return str(len(renders)).encode()

    first, second = SharedRender(tmp_path, 60, render), SharedRender(tmp_path, 60, render)
    assert [first(), second(), first()] == [b"1", b"1", b"1"]
    assert SharedRender(tmp_path, 0, render)() == b"2"  # 0 seconds: every scrape renders


def test_metrics_can_require_a_token():
    digest = hashlib.sha256(b"scraper-secret").hexdigest()
    with TestClient(create_app(load_settings({"METRICS_TOKEN_SHA256": digest}))) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 401
        allowed = client.get("/metrics", headers={"authorization": "Bearer scraper-secret"})
        assert allowed.status_code == 200
        assert "http_server_request_duration_seconds" in allowed.text
