"""Run the API: uvicorn workers with HTTP limits and a drain that loses no request.

On SIGTERM (docs/reliability.md): readiness turns 503 at once (app.py); requests are answered
for DRAIN_DELAY_SECONDS; then every worker closes the listening socket, waits until all have,
and only then ends each connection with Connection: close on the last response it owes, so no
client reconnects into a socket that is about to close; requests in flight get
GRACEFUL_SHUTDOWN_SECONDS to finish. The exit status is 0 with any number of workers.
"""

import asyncio
import contextlib
import gc
import socket
import tempfile
import threading
from collections.abc import Callable
from functools import partial
from multiprocessing.synchronize import Barrier
from pathlib import Path

import msgspec
import uvicorn

from predictor.app import create_app
from predictor.loading import load_model
from predictor.logs import log_config
from predictor.prediction import PredictionApp
from predictor.protocol import Limits, protocol_class
from predictor.settings import Settings
from predictor.supervisor import supervise

AppFactory = Callable[[], PredictionApp]


def serve(settings: Settings) -> int:
    """Verify the model here, once, so a bad artifact fails fast with one clear line; then serve.

    Workers are forked processes (WEB_CONCURRENCY, supervisor.py): each inherits the verified
    model and builds its own app (telemetry, authorizer, event loop) from it.
    """
    loaded = load_model(Path(settings.model_path) if settings.model_path else None, settings.model_sha256)
    # Start-up builds objects that live as long as the process; the CLI turned the garbage collector
    # off while they piled up, so that cold starts do not scan them over and over. Frozen, they are
    # never scanned again, and no scan in a worker copies their pages (the `gc.freeze` recipe).
    gc.freeze()
    gc.enable()
    with tempfile.TemporaryDirectory(prefix="predictor-metrics-") as share:
        settings = msgspec.structs.replace(settings, predictor_metrics_dir=settings.predictor_metrics_dir or share)
        config = uvicorn_config(settings, partial(create_app, settings, loaded=loaded))
        listener = config.bind_socket()
        return supervise(partial(_work, config), settings, listener, settings.web_concurrency)


def uvicorn_config(settings: Settings, factory: AppFactory) -> uvicorn.Config:
    return uvicorn.Config(
        factory,
        factory=True,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http=protocol_class(Limits.from_settings(settings)),
        ws="none",  # no WebSocket routes; "auto" would import wsproto and h11 where installed
        lifespan="on",
        access_log=False,
        server_header=False,
        # uvicorn's X-Forwarded-* rewriting trusts 127.0.0.1 only; Cloud Run's front end is never that
        # address, so there it would rewrite nothing and still cost every request.
        proxy_headers=False,
        log_config=log_config(settings.log_level, settings.google_cloud_project),
        timeout_keep_alive=settings.idle_timeout_seconds,
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
    )


def _work(config: uvicorn.Config, settings: Settings, listener: socket.socket, listeners_closed: Barrier) -> None:
    """One worker process (see supervisor.py), with the config the supervisor made before forking."""
    DrainingServer(config, settings.drain_delay_seconds, listeners_closed).run(sockets=[listener])


class DrainingServer(uvicorn.Server):
    """uvicorn's server, with the drain delay and the shared socket closed before connections end."""

    def __init__(self, config: uvicorn.Config, delay: float, listeners_closed: Barrier) -> None:
        super().__init__(config)
        self.delay = delay
        self.listeners_closed = listeners_closed

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        gc.freeze()  # what this worker built at start-up (the app, the trace SDK) lives as long as it does

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
