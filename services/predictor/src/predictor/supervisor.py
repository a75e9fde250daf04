"""Worker processes around one listening socket, started and stopped together.

uvicorn's own supervisor looks at signals every 0.5 s and keeps its copy of the listening socket
open until it exits, so connections that arrived during the drain were queued and then reset
(docs/reliability.md). Here the parent forwards SIGTERM the moment it arrives and closes its copy
at once: the socket closes when the last worker closes its own. Each worker runs `target`. A
worker that dies unasked stops the others, and the exit status says so: the platform replaces
the instance.
"""

import logging
import multiprocessing
import os
import signal
import socket
from collections.abc import Callable
from multiprocessing.connection import wait
from multiprocessing.synchronize import Barrier
from types import FrameType
from typing import Any

log = logging.getLogger("predictor")
CLEAN_EXITS = (0, -signal.SIGTERM, -signal.SIGINT)  # uvicorn re-raises the signal it drained for

Worker = Callable[[Any, socket.socket, Barrier], None]


def supervise(target: Worker, settings: Any, listener: socket.socket, workers: int) -> int:
    """Run `workers` processes of `target(settings, listener, listeners_closed)`; 0 once they all
    drained after SIGTERM or SIGINT, 1 if one ended on its own. `listeners_closed` is a barrier
    every worker passes once it has closed its copy of the socket."""
    # fork, not spawn as uvicorn does: each worker inherits the modules the parent has already
    # imported instead of importing them again, which is most of a cold start, and shares their
    # pages. The parent has nothing else a worker must not inherit: no thread, no event loop, no
    # telemetry (random is reseeded in every child by the standard library).
    context = multiprocessing.get_context("fork")
    listeners_closed = context.Barrier(workers)
    processes = [context.Process(target=target, args=(settings, listener, listeners_closed)) for _ in range(workers)]
    for process in processes:
        process.start()
    asked = False

    def stop() -> None:
        listener.close()  # this copy only; the workers' copies keep accepting until they drain
        for process in processes:
            if process.exitcode is None and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)

    def on_signal(signum: int, _: FrameType | None) -> None:
        nonlocal asked
        if not asked:
            asked = True
            stop()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)
    running, failed = list(processes), False
    while running:
        wait([process.sentinel for process in running])
        ended = [process for process in running if process.exitcode is not None]
        running = [process for process in running if process.exitcode is None]
        if ended and not asked:
            log.error("worker %d exited with %s; stopping the others", ended[0].pid, ended[0].exitcode)
            asked = failed = True
            stop()
    return 1 if failed or any(process.exitcode not in CLEAN_EXITS for process in processes) else 0
