"""OpenTelemetry traces: W3C trace context in, parent-based ratio sampling, OTLP out.

The sampling decision is made before any span object exists: an unsampled request costs a
header scan and one random number, not a span (about 20 µs each with the SDK on this machine).
The rule is the SDK's parentbased_traceidratio: follow the caller's sampled flag when a
traceparent arrives, otherwise sample OTEL_TRACES_SAMPLER_ARG of root requests.
The SDK is imported only when traces are exported, which keeps it out of most start-ups.
"""

import os
import random
import socket
from typing import TYPE_CHECKING

from opentelemetry.trace import SpanContext, TraceFlags

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter

TRACEPARENT = b"traceparent"
SMALL_BATCH = 32


def parse_traceparent(value: bytes) -> SpanContext | None:
    """A valid W3C traceparent (version 00) as a remote span context, else None."""
    parts = value.split(b"-")
    if len(parts) != 4 or parts[0] != b"00" or len(parts[1]) != 32 or len(parts[2]) != 16 or len(parts[3]) != 2:
        return None
    try:
        trace_id, span_id, flags = int(parts[1], 16), int(parts[2], 16), int(parts[3], 16)
    except ValueError:
        return None
    if not trace_id or not span_id:
        return None
    return SpanContext(trace_id, span_id, is_remote=True, trace_flags=TraceFlags(flags & 1))


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
