"""Run the API: uvicorn workers with HTTP limits and a drain that loses no request.

On SIGTERM (docs/reliability.md): readiness turns 503 at once (app.py); requests are answered
for DRAIN_DELAY_SECONDS; then every worker closes the listening socket, waits until all have,
and only then ends each connection with Connection: close on the last response it owes, so no
client reconnects into a socket that is about to close; requests in flight get
GRACEFUL_SHUTDOWN_SECONDS to finish. The exit status is 0 with any number of workers.
"""

import asyncio
import contextlib
import importlib
import os
import socket
import tempfile
import threading
from multiprocessing.synchronize import Barrier
from pathlib import Path

import uvicorn

from predictor.loading import load_model
from predictor.logs import log_config
from predictor.protocol import Limits, protocol_class
from predictor.settings import Settings
from predictor.supervisor import supervise

APP_MODULE = "predictor.app"


def serve(settings: Settings) -> int:
    """Verify the model here first, so a bad artifact fails fast with one clear line; then serve.

    Workers are separate processes (WEB_CONCURRENCY); each one builds the app from the same
    environment through the factory and verifies the model again before it reports ready.
    """
    load_model(Path(settings.model_path) if settings.model_path else None, settings.model_sha256)
    importlib.import_module(APP_MODULE)  # once, here: the forked workers inherit it (supervisor.py)
    with tempfile.TemporaryDirectory(prefix="predictor-metrics-") as share:
        os.environ["PREDICTOR_METRICS_DIR"] = settings.predictor_metrics_dir or share  # read by every worker
        listener = uvicorn_config(settings).bind_socket()
        return supervise(_work, settings, listener, settings.web_concurrency)


def uvicorn_config(settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(
        f"{APP_MODULE}:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http=protocol_class(Limits.from_settings(settings)),
        ws="none",  # no WebSocket routes; "auto" would import wsproto and h11 where installed
        lifespan="on",
        access_log=False,
        server_header=False,
        log_config=log_config(settings.log_level, settings.google_cloud_project),
        timeout_keep_alive=settings.idle_timeout_seconds,
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
    )


def _work(settings: Settings, listener: socket.socket, listeners_closed: Barrier) -> None:
    """One worker process (see supervisor.py)."""
    DrainingServer(uvicorn_config(settings), settings.drain_delay_seconds, listeners_closed).run(sockets=[listener])


class DrainingServer(uvicorn.Server):
    """uvicorn's server, with the drain delay and the shared socket closed before connections end."""

    def __init__(self, config: uvicorn.Config, delay: float, listeners_closed: Barrier) -> None:
        super().__init__(config)
        self.delay = delay
        self.listeners_closed = listeners_closed

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await asyncio.sleep(self.delay)  # readiness is already 503; answer as usual meanwhile
        for server in self.servers:
            server.close()
        for listener in sockets or []:
            listener.close()
        # The socket is shared: it is closed once every worker has closed its copy (if one is gone
        # or stuck, the barrier breaks at the timeout and the connections end anyway).
        with contextlib.suppress(threading.BrokenBarrierError):
            await asyncio.to_thread(self.listeners_closed.wait, self.config.timeout_graceful_shutdown)
        await super().shutdown(sockets)  # each connection's last response says Connection: close (protocol.py)
