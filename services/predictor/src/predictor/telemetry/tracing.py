"""OpenTelemetry traces: W3C trace context in, parent-based ratio sampling, OTLP out.

The sampling decision is made before any span object exists: an unsampled request costs one
random number, not a span. The caller's trace context is read only when a traceparent header is
there, with OpenTelemetry's own W3C propagator. The rule is the SDK's parentbased_traceidratio:
follow the caller's sampled flag when a traceparent arrives, otherwise sample
OTEL_TRACES_SAMPLER_ARG of root requests. The SDK is imported only when traces are exported,
which keeps it out of most start-ups.
"""

import os
import random
import socket
from typing import TYPE_CHECKING

from opentelemetry import trace
from opentelemetry.trace import SpanContext
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter

TRACEPARENT = b"traceparent"
SMALL_BATCH = 32
_PROPAGATOR = TraceContextTextMapPropagator()


def caller_context(traceparent: bytes, tracestate: bytes | None = None) -> SpanContext | None:
    """The caller's span context from W3C headers, or None when they are not valid."""
    carrier = {"traceparent": traceparent.decode("latin-1")}
    if tracestate is not None:
        carrier["tracestate"] = tracestate.decode("latin-1")
    context = trace.get_current_span(_PROPAGATOR.extract(carrier)).get_span_context()
    return context if context.is_valid else None


class Sampler:
    """Decides per request; records nothing unless the decision is yes."""

    def __init__(self, ratio: float) -> None:
        self.ratio = ratio

    def sampled(self, parent: SpanContext | None) -> bool:
        if parent is not None:
            return parent.trace_flags.sampled
        return self.ratio > 0 and random.random() < self.ratio  # noqa: S311 - sampling, not security


def tracer_provider(service_name: str, version: str, exporter: "SpanExporter | None") -> "TracerProvider":
    """The SDK provider for sampled requests: the decision is already made, so it records all."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased

    resource = Resource.create(
        {
            "service.name": service_name,
            "service.version": version,
            "service.instance.id": f"{socket.gethostname()}-{os.getpid()}",
        }
    )
    provider = TracerProvider(resource=resource, sampler=ParentBased(ALWAYS_ON))
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter, max_export_batch_size=_batch_size()))
    return provider


def _batch_size() -> int:
    """Small export batches: encoding holds the GIL, and 512 spans at once (the SDK's default)
    stalled every request in flight for tens of milliseconds here. OTEL_BSP_MAX_EXPORT_BATCH_SIZE
    still wins when set."""
    return int(os.environ.get("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") or SMALL_BATCH)
