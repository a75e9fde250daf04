"""The anchors side by side: the same wrk load on five servers, in alternating rounds.

From the challenge's reference app up to the bare-ASGI ceiling, each server answers the same
closed-model wrk load (the challenge phase's settings) for a few seconds, one server at a time,
round after round, so a noisy moment hurts every server alike; the report takes medians.
"""

import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from harness import phases, server, wrk
from harness.payloads import CHALLENGE_VECTOR, single_body

REFERENCE = server.REPO / "loadtests/reference"
TITLES = {
    "reference": "challenge reference (Flask debug server, unpickles per request)",
    "flask": "Flask + gunicorn, model loaded once (baseline)",
    "litestar": "plain Litestar typed handler, same model",
    "bare": "bare ASGI, same model, stock uvicorn (the ceiling)",
    "ours": "our service, telemetry on",
}
DRAIN_S = 0.5  # the last server's backlog clears before the next one is loaded
WARM_UP_S = 1


def _asgi(name: str, module: str, port: int) -> server.Server:
    command = (*server.UVICORN, "--host", "127.0.0.1", "--port", str(port), "--app-dir", str(REFERENCE), module)
    return server.Server(name, command, {}, "/api", single_body(CHALLENGE_VECTOR))


def specs(port: int, key: str) -> server.Server:
    """How to start the anchor `key` (every one but ours) on 127.0.0.1:port."""
    if key == "reference":
        return server.reference(port)
    if key == "flask":
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        command = (gunicorn, "--bind", f"127.0.0.1:{port}", "--chdir", str(REFERENCE), "flask_baseline:app")
        return server.Server("Flask baseline", command, {}, "/api", single_body(CHALLENGE_VECTOR))
    return _asgi(key, {"litestar": "litestar_typed:app", "bare": "bare_asgi:app"}[key], port)


def files(key: str, rounds: int) -> list[str]:
    return [f"anchor_{key}_{n}.txt" for n in range(1, rounds + 1)]


def run(ours: str, folder: Path, threads: int, connections: int, seconds: int, rounds: int) -> list[list[str]]:
    """Start the other anchors next to our running service, warm all up, then alternate rounds.

    The others start at once (two of them import scikit-learn, which takes seconds); each is
    stopped at the end, also when another one fails to start.
    """
    payloads = phases.write_payloads(folder)
    with ExitStack() as stack, ThreadPoolExecutor() as pool:
        ports = {key: server.free_port() for key in TITLES if key != "ours"}
        starting = [server.running(specs(port, key), port, folder / f"anchor_{key}.log") for key, port in ports.items()]
        urls = dict(zip(ports, pool.map(stack.enter_context, starting), strict=True)) | {"ours": ours}
        for url in urls.values():
            wrk.run(wrk.command(url, payloads, threads, connections, WARM_UP_S), folder / "warm-up.txt")
        (folder / "warm-up.txt").unlink()
        commands = {key: wrk.command(url, payloads, threads, connections, seconds) for key, url in urls.items()}
        for n in range(rounds):
            for key, command in commands.items():
                print(f"anchors: round {n + 1}/{rounds}, {TITLES[key]}", flush=True)
                wrk.run(command, folder / files(key, rounds)[n])
                time.sleep(DRAIN_S)
    return list(commands.values())
