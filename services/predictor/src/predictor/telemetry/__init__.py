"""Telemetry at near-zero cost: pre-bound metrics merged across workers, sampled OTel traces.

`Telemetry` is what the rest of the service talks to, one per worker process; `enabled=False`
(OTEL_SDK_DISABLED=true) records nothing. Why the standard instrumentation is not on the hot
path: docs/decisions/0003-telemetry.md.
"""

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from contextvars import Token
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litestar.types import ASGIApp, HTTPScope
from opentelemetry import context, trace
from opentelemetry.context import Context
from opentelemetry.trace import NonRecordingSpan, Span, SpanKind, StatusCode, Tracer

from predictor.loading import LoadedModel
from predictor.settings import Settings
from predictor.telemetry.metrics import Gauge, MetricsStore, counter_key
from predictor.telemetry.middleware import RequestMetrics
from predictor.telemetry.scrape_cache import SharedRender
from predictor.telemetry.tracing import TRACEPARENT, Sampler, caller_context, tracer_provider

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter

PUBLISH_SECONDS = 1.0
# The sampled server span, and the token of the trace context made current.
Traced = tuple[Span | None, "Token[Context] | None"]
NOT_TRACED: Traced = (None, None)
NO_SPAN: AbstractContextManager[None] = contextlib.nullcontext()
ONE_HOT, OFF_DOMAIN = counter_key("predictor_inputs", "one_hot"), counter_key("predictor_inputs", "off_domain")
JWKS_REFRESHES = counter_key("predictor_auth_jwks_refreshes")
JWKS_REFRESH_FAILURES = counter_key("predictor_auth_jwks_refresh_failures")


class Telemetry:
    """Metrics store, sampler and tracer of this worker."""

    def __init__(self, settings: Settings, span_exporter: "SpanExporter | None" = None) -> None:
        self.enabled = not settings.otel_sdk_disabled
        share_dir = Path(settings.predictor_metrics_dir) if settings.predictor_metrics_dir else None
        self.store = MetricsStore(share_dir)
        self.render = SharedRender(share_dir, settings.metrics_cache_seconds, self._render)
        self.exposition_text: Callable[[], bytes] | None = None  # built at the first scrape (_render)
        self.sampler = Sampler(settings.otel_traces_sampler_arg)
        if span_exporter is None and settings.otel_exporter_otlp_endpoint and self.enabled:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            span_exporter = OTLPSpanExporter()  # endpoint and headers from the standard OTEL_* variables
        self.provider: TracerProvider | None = None
        self.tracer: Tracer | None = None
        if self.enabled and span_exporter is not None:
            service_version = version("predictor")  # looked up only here: it reads every installed package's metadata
            self.provider = tracer_provider(settings.otel_service_name, service_version, span_exporter)
            self.tracer = self.provider.get_tracer("predictor", service_version)
        self.gauges: list[Gauge] = []
        self.prediction_keys = ("", "")
        # Bound once, so a request's observation costs no check: (method, route, status, seconds).
        self.observe: Callable[[str, str, int, float], None] = self.store.observe if self.enabled else _ignore

    def model_loaded(self, loaded: LoadedModel) -> None:
        manifest = loaded.manifest
        self.prediction_keys = (
            counter_key("predictor_predictions", "0", manifest.version),
            counter_key("predictor_predictions", "1", manifest.version),
        )
        v, source = manifest.version, manifest.source
        info = ("model_version", "source_sha256", "sklearn_version")
        self.gauges = [
            Gauge("predictor_model_info", _INFO_HELP, info, [((v, source.sha256, source.sklearn_version), 1)])
        ]
        if manifest.delay_share_band:
            lower, upper = manifest.delay_share_band
            bands = [((v, "lower"), lower), ((v, "upper"), upper)]
            self.gauges.append(Gauge("predictor_model_delay_share_band", _BAND_HELP, ("model_version", "bound"), bands))
        if manifest.holdout:
            share = [((v,), manifest.holdout.predicted_delay_share)]
            self.gauges.append(Gauge("predictor_model_holdout_delay_share", _HOLDOUT_HELP, ("model_version",), share))

    def _model_gauges(self) -> Iterable[Gauge]:
        return self.gauges

    def _render(self) -> bytes:
        if self.exposition_text is None:
            from predictor.telemetry.exposition import Exposition  # prometheus_client: see exposition.py

            self.exposition_text = Exposition(self.store, self._model_gauges)
        return self.exposition_text()

    # --- the hot path ----------------------------------------------------------------------

    def begin(self, headers: dict[bytes, bytes], scope: HTTPScope, route: str) -> Traced:
        """The request's server span, started and made current when the request is sampled; else the
        caller's unsampled trace context made current, so that log lines carry its id; else, for
        most requests, nothing (NOT_TRACED). Whatever it returns goes to `end`."""
        if not self.enabled or (TRACEPARENT not in headers and not self.sampler.sampled(None)):
            return NOT_TRACED
        parent = caller_context(headers[TRACEPARENT], headers.get(b"tracestate")) if TRACEPARENT in headers else None
        if self.tracer is not None and self.sampler.sampled(parent):
            method = scope["method"]
            span = self.tracer.start_span(
                f"{method} {route}",
                context=trace.set_span_in_context(NonRecordingSpan(parent)) if parent else None,
                kind=SpanKind.SERVER,
                attributes={
                    "http.request.method": method,
                    "http.route": route,
                    "url.path": scope["path"],
                    "url.scheme": scope.get("scheme", "http"),
                    "network.protocol.version": scope.get("http_version", "1.1"),
                },
            )
            return span, context.attach(trace.set_span_in_context(span))
        if parent is not None:
            return None, context.attach(trace.set_span_in_context(NonRecordingSpan(parent)))
        return NOT_TRACED

    @staticmethod
    def end(traced: Traced, status: int) -> None:
        """The server span (if any) gets the status and ends; the request's trace context is let go."""
        span, token = traced
        if span is not None:
            span.set_attribute("http.response.status_code", status)
            if status >= 500:
                span.set_attribute("error.type", str(status))
                span.set_status(StatusCode.ERROR)
            span.end()
        if token is not None:
            context.detach(token)

    def inference(self, span: Span | None, model: Any, rows: int) -> AbstractContextManager[Any]:
        """A child span around the model call when the request is traced; otherwise nothing."""
        if span is None or self.tracer is None:
            return NO_SPAN
        attributes = {"predictor.model.version": model.version, "predictor.rows": rows}
        return self.tracer.start_as_current_span("predict", attributes=attributes)

    def row_predicted(self, label: int, flight: bool) -> None:
        """One single-row prediction, with telemetry on: its class and its input domain (`inputs`)."""
        self.store.increment(self.prediction_keys[label], ONE_HOT if flight else OFF_DOMAIN)

    def predicted(self, label: int, count: int) -> None:
        if self.enabled and count:
            self.store.count(self.prediction_keys[label], count)

    def inputs(self, flights: int, off_domain: int) -> None:
        """Count rows by input domain: a possible flight (one-hot) or any other 0/1 vector."""
        if self.enabled:
            if flights:
                self.store.count(ONE_HOT, flights)
            if off_domain:
                self.store.count(OFF_DOMAIN, off_domain)

    def rejected(self, status: int) -> None:
        if self.enabled:
            self.store.count(counter_key("predictor_auth_rejections", str(status)))

    def jwks_refreshed(self, ok: bool) -> None:
        if self.enabled:
            self.store.count(JWKS_REFRESHES if ok else JWKS_REFRESH_FAILURES)

    # --- everything else ---------------------------------------------------------------------

    def framework_metrics(self, app: ASGIApp, routes: set[str]) -> ASGIApp:
        """The Litestar app with a request-metrics middleware around it (none when disabled)."""
        return RequestMetrics(app, routes, self.observe) if self.enabled else app

    def exposition(self) -> bytes:
        if not self.enabled:
            return b"# telemetry is off (OTEL_SDK_DISABLED=true)\n"
        return self.render()

    async def publish_forever(self) -> None:
        """Share this worker's counts with the others, once a second, until cancelled."""
        if not self.enabled or self.store.share_dir is None:
            return
        while True:
            await asyncio.sleep(PUBLISH_SECONDS)
            self.store.publish()  # a few kB, once a second; snapshotting must not race the handlers

    def shutdown(self) -> None:
        if self.enabled:
            with contextlib.suppress(OSError):
                self.store.publish()
        if self.provider is not None:
            self.provider.shutdown()


_INFO_HELP = "The model being served."
_BAND_HELP = "Lowest and highest monthly share of 2017 flights the model predicts delayed."
_HOLDOUT_HELP = "Share of the holdout flights the model predicts delayed."


def _ignore(method: str, route: str, status: int, seconds: float) -> None:
    """Observing, with telemetry off."""
