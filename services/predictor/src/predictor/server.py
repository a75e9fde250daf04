"""Run the API under uvicorn in its production configuration."""

import os
import tempfile
from pathlib import Path

import uvicorn

from predictor.loading import load_model
from predictor.logs import log_config
from predictor.settings import Settings


def serve(settings: Settings) -> None:
    """Verify the model here first, so a bad artifact fails fast with one clear line; then serve.

    Workers are separate processes (WEB_CONCURRENCY); each one builds the app from the same
    environment through the factory and verifies the model again before it reports ready.
    """
    load_model(Path(settings.model_path) if settings.model_path else None, settings.model_sha256)
    with tempfile.TemporaryDirectory(prefix="predictor-metrics-") as share:
        os.environ["PREDICTOR_METRICS_DIR"] = settings.predictor_metrics_dir or share  # read by every worker
        _run(settings)


def _run(settings: Settings) -> None:
    uvicorn.run(
        "predictor.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        loop="uvloop",
        http="httptools",
        ws="none",  # no WebSocket routes; "auto" would import wsproto and h11 where installed
        lifespan="on",
        access_log=False,
        server_header=False,
        log_config=log_config(settings.log_level, settings.google_cloud_project),
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
    )
