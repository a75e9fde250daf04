"""The ASGI application: Litestar for health, metadata, metrics and schema; the lean lane for
predictions. `create_app` is the factory uvicorn calls in every worker process."""

import asyncio
import logging
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar, MediaType, Request, Response, get
from litestar.events import BaseEventEmitterBackend
from litestar.exceptions import HTTPException, ImproperlyConfiguredException

from predictor.auth.setup import Authorization
from predictor.backends import load_model
from predictor.errors import ApiError, not_ready
from predictor.features import FEATURE_NAMES
from predictor.openapi import openapi_document
from predictor.prediction import JsonEndpoint, Receive, Scope, Send, prediction_endpoints
from predictor.settings import Settings, load_settings
from predictor.state import ServiceState
from predictor.telemetry.exposition import CONTENT_TYPE, render
from predictor.telemetry.runtime import Telemetry

log = logging.getLogger("predictor")


class PredictionLane:
    """Send the prediction routes straight to their endpoints, everything else to Litestar."""

    def __init__(self, app: Litestar, endpoints: dict[str, JsonEndpoint]) -> None:
        self.app = app
        self.endpoints = endpoints
        self.routes = set(endpoints) | {route.path for route in app.routes}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (endpoint := self.endpoints.get(scope["path"])) is not None:
            await endpoint(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> int | None:
        """As __call__ (an ASGI app must return None), but returns a prediction route's status so
        that telemetry, which wraps the lane, need not wrap `send` on the hot path."""
        if (endpoint := self.endpoints.get(scope["path"])) is not None:
            return await endpoint(scope, receive, send)
        await self.app(scope, receive, send)
        return None


class NoEvents(BaseEventEmitterBackend):
    """The app has no event listeners. Litestar's default emitter would still start a task group
    at start-up, and importing anyio's asyncio backend for it is a tenth of the start-up time."""

    async def __aenter__(self) -> "NoEvents":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None

    def emit(self, event_id: str, *args: Any, **kwargs: Any) -> None:
        raise ImproperlyConfiguredException(f"no event listeners are registered for event ID: {event_id}")


def create_app(settings: Settings | None = None, telemetry: Telemetry | None = None) -> Any:
    """The ASGI app: telemetry, then authorization (when configured), then the lane, then Litestar."""
    settings = settings or load_settings()
    telemetry = telemetry or Telemetry(settings)
    authorization = Authorization(settings)
    state = ServiceState()

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        model_path = Path(settings.model_path) if settings.model_path else None
        state.loaded = load_model(model_path, settings.model_sha256)
        telemetry.model_loaded(state.loaded)
        await authorization.load_keys()
        log.info("model %s ready (%s backend)", state.loaded.model.version, state.loaded.backend)
        _drain_on_sigterm(state)
        background = [
            asyncio.create_task(telemetry.publish_forever()),
            asyncio.create_task(authorization.keep_keys_fresh(telemetry.store)),
        ]
        yield
        for task in background:
            task.cancel()
        telemetry.shutdown()
        log.info("shutting down")

    @get("/health/live", sync_to_thread=False)
    def live() -> dict[str, str]:
        return {"status": "live"}

    @get("/health/ready", sync_to_thread=False)
    def ready() -> dict[str, str]:
        if not state.ready:
            raise not_ready()
        return {"status": "ready", "model_version": state.loaded.model.version}

    @get("/model", sync_to_thread=False)
    def model() -> dict[str, Any]:
        if state.loaded is None:
            raise not_ready()
        return _model_metadata(state)

    @get("/metrics", sync_to_thread=False)
    def metrics() -> Response:
        text = render(telemetry.store) if telemetry.enabled else "# telemetry is off (OTEL_SDK_DISABLED=true)\n"
        return Response(text, media_type=CONTENT_TYPE)

    schema_cache: dict[str, Any] = {}

    @get(["/schema", "/schema/openapi.json"], sync_to_thread=False)
    def schema() -> dict[str, Any]:
        if not schema_cache:
            names = (
                state.loaded.manifest.feature_names if state.loaded and state.loaded.manifest else list(FEATURE_NAMES)
            )
            version = state.loaded.model.version if state.loaded else "unknown"
            schema_cache.update(openapi_document(names, settings.max_batch_rows, version))
        return schema_cache

    litestar = Litestar(
        route_handlers=[live, ready, model, metrics, schema],
        lifespan=[lifespan],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
        openapi_config=None,
        request_max_body_size=settings.max_body_bytes,
        event_emitter_backend=NoEvents,
        logging_config=None,  # uvicorn's log_config (logs.py) sets up logging; Litestar's own costs 10 ms
    )
    endpoints = prediction_endpoints(state, telemetry, settings.max_body_bytes, settings.max_batch_rows)
    lane = PredictionLane(litestar, endpoints)
    guarded = authorization.wrap(lane, set(endpoints), telemetry.store)
    return telemetry.wrap(guarded, routes=lane.routes, lane_routes=set(endpoints))


def _model_metadata(state: ServiceState) -> dict[str, Any]:
    loaded = state.loaded
    metadata: dict[str, Any] = {"version": loaded.model.version, "backend": loaded.backend, "sha256": loaded.sha256}
    if loaded.manifest:
        manifest = loaded.manifest
        metadata |= {
            "created_at": manifest.created_at,
            "estimator": manifest.estimator,
            "sklearn_version": manifest.sklearn_version,
            "feature_names": manifest.feature_names,
            "training_data": manifest.training_data,
            "holdout_metrics": manifest.holdout_metrics,
            "parity": manifest.parity,
        }
    return metadata


def _drain_on_sigterm(state: ServiceState) -> None:
    """Turn readiness off the moment SIGTERM arrives, then let uvicorn drain as usual."""
    if threading.current_thread() is not threading.main_thread():
        return  # in-process test clients run the app in a thread; there are no signals to catch
    previous = signal.getsignal(signal.SIGTERM)

    def drain(signum: int, frame: Any) -> None:
        state.draining = True
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, drain)


def _api_error(_: Request, error: ApiError) -> Response:
    return Response(error.body, status_code=error.status, media_type=MediaType.JSON)


def _http_error(_: Request, error: HTTPException) -> Response:
    kind = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(error.status_code, "http_error")
    body = ApiError(error.status_code, kind, error.detail).body
    return Response(body, status_code=error.status_code, media_type=MediaType.JSON, headers=error.headers)
