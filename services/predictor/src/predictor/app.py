"""`create_app`, the factory uvicorn calls in every worker process: the verified model, the hot
path for predictions (prediction.py) and Litestar for every other route (litestar_app.py)."""

import asyncio
import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litestar import Litestar

from predictor.litestar_app import litestar_app
from predictor.loading import LoadedModel, load_model
from predictor.openapi import openapi_document
from predictor.prediction import PredictionApp, prediction_routes
from predictor.settings import Settings, load_settings, split
from predictor.state import ServiceState
from predictor.telemetry import Telemetry

if TYPE_CHECKING:
    from predictor.auth.authorizer import Authorizer

log = logging.getLogger("predictor")


def create_app(
    settings: Settings | None = None, telemetry: Telemetry | None = None, loaded: LoadedModel | None = None
) -> PredictionApp:
    """`loaded`: a model already verified (by `predictor serve`, before it forked this worker)."""
    settings = settings or load_settings()
    telemetry = telemetry or Telemetry(settings)
    model_path = Path(settings.model_path) if settings.model_path else None
    state = ServiceState(loaded or load_model(model_path, settings.model_sha256))
    telemetry.model_loaded(state.loaded)
    authorizer = _authorizer(settings, telemetry)
    if authorizer is not None:
        state.credentials_ready = authorizer.ready

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        if authorizer is not None:
            await authorizer.load_keys()
        state.started = True
        log.info("model %s ready (from %s)", state.loaded.model.version, state.loaded.manifest.source.file)
        _drain_on_sigterm(state)
        background = [asyncio.create_task(telemetry.publish_forever())]
        if authorizer is not None:
            background.append(asyncio.create_task(authorizer.keep_keys_fresh()))
        yield
        for task in background:
            task.cancel()
        telemetry.shutdown()
        log.info("shutting down")

    document = openapi_document(state.loaded, settings.max_batch_rows)
    framework = litestar_app(
        state, telemetry.exposition, _metrics_readers(settings), document, [lifespan], settings.max_body_bytes
    )
    routes = prediction_routes(state.loaded, telemetry, settings.max_batch_rows)
    framework_routes = {route.path for route in framework.routes}
    return PredictionApp(
        routes,
        telemetry.framework_metrics(framework, framework_routes),
        telemetry,
        authorizer,
        settings,
    )


def _authorizer(settings: Settings, telemetry: Telemetry) -> "Authorizer | None":
    """In-app authorization only when an AUTH_* variable asks for it (its imports are not free)."""
    if not (settings.auth_api_key_sha256 or settings.auth_jwks_url):
        return None
    from predictor.auth.authorizer import Authorizer

    return Authorizer(settings, telemetry.jwks_refreshed)


def _metrics_readers(settings: Settings) -> Callable[[bytes], bool] | None:
    """Who may read /metrics when METRICS_TOKEN_SHA256 restricts it (the same constant-time check as API keys)."""
    hashes = split(settings.metrics_token_sha256)
    if not hashes:
        return None
    from predictor.auth.credentials import ApiKeys

    return ApiKeys(hashes).accepts


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
