"""Our service with OpenTelemetry's standard instrumentation instead of ours (`./task bench:telemetry`).

The app runs with our telemetry off (OTEL_SDK_DISABLED=true) and wrapped in
opentelemetry-instrumentation-asgi's middleware, with SDK metrics (read on demand, as a scrape
would) and the same trace sampling and OTLP export as ours: the variant our design is measured
against. Served by uvicorn as an app factory: `uvicorn standard_otel:create_app --factory`.
"""

import os

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

from predictor.app import create_app as create_predictor
from predictor.settings import load_settings


def create_app() -> OpenTelemetryMiddleware:
    settings = load_settings(os.environ | {"OTEL_SDK_DISABLED": "true"})
    tracer_provider = TracerProvider(sampler=ParentBased(TraceIdRatioBased(load_settings().otel_traces_sampler_arg)))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()])
    return OpenTelemetryMiddleware(
        create_predictor(settings), tracer_provider=tracer_provider, meter_provider=meter_provider
    )
