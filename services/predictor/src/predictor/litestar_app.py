"""Every route that is not a prediction: health, the model's manifest, /metrics and the OpenAPI
document, as plain Litestar handlers (their cost does not matter; their correctness does)."""

from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from litestar import Litestar, MediaType, Request, Response, get
from litestar.config.app import AppConfig
from litestar.events import BaseEventEmitterBackend
from litestar.exceptions import HTTPException, ImproperlyConfiguredException
from litestar.plugins import PluginProtocol
from litestar.plugins.core import MsgspecDIPlugin

from predictor.errors import ApiError, from_framework, not_ready
from predictor.state import ServiceState


def litestar_app(
    state: ServiceState,
    metrics: Callable[[], bytes],
    metrics_readers: Callable[[bytes], bool] | None,
    document: dict[str, Any],
    lifespan: Sequence[Any],
    max_body_bytes: int,
) -> Litestar:
    """`metrics_readers`, when given, says whether a bearer token may read /metrics."""

    @get("/health/live", sync_to_thread=False)
    def live() -> dict[str, str]:
        return {"status": "live"}

    @get("/health/ready", sync_to_thread=False)
    def ready() -> dict[str, str]:
        if not state.ready:
            raise not_ready()
        return {"status": "ready", "model_version": state.loaded.model.version}

    @get("/health", sync_to_thread=False)
    def health() -> dict[str, str]:
        """Readiness in the shape other answers on this data use ({"status": "OK"})."""
        if not state.ready:
            raise not_ready()
        return {"status": "OK"}

    @get("/model", sync_to_thread=False)
    def model() -> dict[str, Any]:
        """The manifest: where the weights came from and how they were checked (not the self-check data)."""
        metadata: dict[str, Any] = msgspec.to_builtins(state.loaded.manifest)
        metadata.pop("self_check", None)
        return metadata

    @get("/metrics", sync_to_thread=False)
    def prometheus(request: Request[Any, Any, Any]) -> Response[bytes]:
        if metrics_readers is not None:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not metrics_readers(token.strip().encode()):
                raise ApiError(
                    401, "missing_credentials", "send a metrics token", headers=[(b"www-authenticate", b"Bearer")]
                )
        text = metrics()
        from predictor.telemetry.exposition import CONTENT_TYPE  # loaded by the first scrape (exposition.py)

        return Response(text, headers={"content-type": CONTENT_TYPE})

    @get(["/schema", "/schema/openapi.json"], sync_to_thread=False)
    def schema() -> dict[str, Any]:
        return document

    return Framework(
        route_handlers=[live, ready, health, model, prometheus, schema],
        lifespan=list(lifespan),
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
        openapi_config=None,
        request_max_body_size=max_body_bytes,
        event_emitter_backend=NoEvents,
        logging_config=None,  # uvicorn's log_config (logs.py) sets up logging; Litestar's own costs 10 ms
    )


class Framework(Litestar):
    """Litestar without two steps of every app build that this app never needs, each an import
    attempt paid on every cold start (`./task bench:startup`). One imports Litestar's OpenTelemetry
    plugin to put that plugin's middleware first; this app uses neither (it loads the whole of
    opentelemetry-instrumentation-asgi where that is installed, as in the dev venv for
    `./task bench:telemetry`). The other looks for pydantic and attrs to add their plugins; the
    app has no models of either. tests/unit/test_startup_imports.py notices if Litestar renames
    these steps."""

    @staticmethod
    def _patch_opentelemetry_middleware(config: AppConfig) -> AppConfig:
        return config

    @staticmethod
    def _get_default_plugins(plugins: list[PluginProtocol]) -> list[PluginProtocol]:
        return [*plugins, MsgspecDIPlugin()]


class NoEvents(BaseEventEmitterBackend):
    """The app has no event listeners. Litestar's default emitter would still start a task group
    at start-up, and importing anyio's asyncio backend for it is a tenth of the start-up time."""

    async def __aenter__(self) -> "NoEvents":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None

    def emit(self, event_id: str, *args: Any, **kwargs: Any) -> None:
        raise ImproperlyConfiguredException(f"no event listeners are registered for event ID: {event_id}")


def _api_error(_: Request[Any, Any, Any], error: ApiError) -> Response[bytes]:
    return Response(error.encode(), status_code=error.status, media_type=MediaType.JSON)


def _http_error(_: Request[Any, Any, Any], error: HTTPException) -> Response[bytes]:
    problem = from_framework(error.status_code, error.detail)
    return Response(problem.encode(), status_code=problem.status, media_type=MediaType.JSON, headers=error.headers)
