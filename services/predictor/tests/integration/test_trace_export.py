"""Traces leave the service by OTLP/HTTP, as the collector (local or the Cloud Run sidecar) receives
them: a real `predictor serve` exports to a receiver on 127.0.0.1, and the spans are decoded from
the protobuf it sent."""

import secrets
import time

import httpx
import pytest
from harness.jwks import Issuer
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from predictor.features import CHALLENGE_EXAMPLE

pytestmark = pytest.mark.integration


def exported_spans(receiver: Issuer, names: set[str], seconds: float = 15) -> dict:
    """The spans named `names`, from every trace export received so far (a batch may hold only some)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        spans = {
            span.name: span
            for path, body in list(receiver.exports)
            if path == "/v1/traces"
            for resource in ExportTraceServiceRequest.FromString(body).resource_spans
            for scope in resource.scope_spans
            for span in scope.spans
        }
        if names <= spans.keys():
            return spans
        time.sleep(0.05)
    raise AssertionError(f"no OTLP trace export with {sorted(names)} arrived")


def test_a_callers_sampled_trace_is_exported_with_the_server_and_predict_spans(predictor_factory):
    receiver = Issuer("https://issuer.trace.test", "https://predictor.trace.test")
    try:
        running = predictor_factory({"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.base, "OTEL_BSP_SCHEDULE_DELAY": "100"})
        trace_id, parent_id = secrets.token_hex(16), secrets.token_hex(8)
        answer = httpx.post(
            f"{running.url}/api",
            json={"array": list(CHALLENGE_EXAMPLE)},
            headers={"traceparent": f"00-{trace_id}-{parent_id}-01"},  # sampled by the caller
        )
        assert answer.status_code == 200
        spans = exported_spans(receiver, {"POST /api", "predict"})
    finally:
        receiver.close()
    server, predict = spans["POST /api"], spans["predict"]
    assert server.trace_id.hex() == trace_id and server.parent_span_id.hex() == parent_id
    assert predict.trace_id.hex() == trace_id and predict.parent_span_id == server.span_id
    attributes = {attribute.key: attribute.value.string_value for attribute in server.attributes}
    assert attributes.get("http.route") == "/api"
