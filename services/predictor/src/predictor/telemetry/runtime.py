"""Telemetry for one worker process, built from settings: the pieces and their wiring."""

import asyncio
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from predictor import __version__
from predictor.backends import LoadedModel
from predictor.settings import Settings
from predictor.telemetry.exposition import label_value
from predictor.telemetry.metrics import MetricsStore
from predictor.telemetry.middleware import TRACED, TelemetryMiddleware
from predictor.telemetry.tracing import Sampler, tracer_provider

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

PUBLISH_SECONDS = 1.0
NOTHING = contextlib.nullcontext()


class Telemetry:
    """Metrics store, sampler and tracer of this worker; `enabled=False` records nothing."""

    def __init__(self, settings: Settings, span_exporter: "SpanExporter | None" = None) -> None:
        self.enabled = not settings.otel_sdk_disabled
        share_dir = Path(settings.predictor_metrics_dir) if settings.predictor_metrics_dir else None
        self.store = MetricsStore(share_dir)
        self.sampler = Sampler(settings.otel_traces_sampler_arg)
        if span_exporter is None and settings.otel_exporter_otlp_endpoint:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            span_exporter = OTLPSpanExporter()  # endpoint and headers from the standard OTEL_* variables
        self.provider = (
            tracer_provider(settings.otel_service_name, __version__, span_exporter)
            if self.enabled and span_exporter is not None
            else None
        )
        self.tracer = self.provider.get_tracer("predictor", __version__) if self.provider else None

    def wrap(self, app: Any, routes: set[str], lane_routes: set[str]) -> Any:
        if not self.enabled:
            return app
        return TelemetryMiddleware(app, self.store, routes, lane_routes, self.sampler, self.tracer)

    def model_loaded(self, loaded: LoadedModel) -> None:
        version = label_value(loaded.model.version)
        self.prediction_series = tuple(
            f'predictor_predictions_total{{predicted_class="{label}",model_version="{version}"}}' for label in (0, 1)
        )
        self.store.model_info = {
            "model_version": loaded.model.version,
            "model_sha256": loaded.sha256,
            "backend": loaded.backend,
            "sklearn_version": loaded.manifest.sklearn_version if loaded.manifest else "unknown",
        }

    def inference(self, scope: dict, model: Any, rows: int) -> contextlib.AbstractContextManager:
        """A child span around the model call when this request is traced; otherwise nothing."""
        if scope.get(TRACED):
            attributes = {"predictor.model.version": model.version, "predictor.rows": rows}
            return self.tracer.start_as_current_span("predict", attributes=attributes)
        return NOTHING

    def predicted(self, label: int, count: int = 1) -> None:
        if self.enabled and count:
            self.store.count(self.prediction_series[label], count)

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
