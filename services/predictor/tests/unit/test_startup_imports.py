"""Start-up imports what a request path needs: in-app auth, the trace SDK and the pickle import only
when configured, prometheus_client only at the first scrape, no anyio backend (the prediction path
is plain ASGI), none of the Litestar plugins the app skips (litestar_app.Framework), nothing of
what the image leaves out.

Each import is paid on every Cloud Run cold start (`./task bench:startup` measures the whole
start); starting the app in a fresh interpreter, as uvicorn does, shows what it pulled in.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

IMAGE_LOCK = Path(__file__).resolve().parents[4] / "requirements" / "service.txt"
AUTH = ("jwt", "cryptography", "predictor.auth.credentials", "predictor.auth.jwks", "predictor.auth.authorizer")
PICKLE_IMPORT = ("fickling", "predictor.pickle_import")  # only with MODEL_PATH
TRACE_EXPORT = ("opentelemetry.sdk", "opentelemetry.exporter")
ANYIO_BACKEND = ("anyio._backends",)
FIRST_SCRAPE = ("prometheus_client", "predictor.telemetry.exposition")
SKIPPED_PLUGINS = ("litestar.plugins.opentelemetry", "litestar.plugins.pydantic", "litestar.plugins.attrs")
PROBE = """
import asyncio, json, sys
from importlib.metadata import packages_distributions
import predictor.cli, predictor.server
from predictor.app import create_app
from predictor.settings import load_settings

async def start(app):
    messages, started = asyncio.Queue(), asyncio.Event()
    await messages.put({"type": "lifespan.startup"})

    async def send(message):
        started.set()

    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    lifespan = asyncio.create_task(app(scope, messages.get, send))
    await started.wait()
    lifespan.cancel()

asyncio.run(start(create_app(load_settings(json.loads(sys.argv[1])))))
owners = packages_distributions()
distributions = {d for name in list(sys.modules) for d in owners.get(name.split(".")[0], [])}
print(json.dumps({"modules": sorted(sys.modules), "distributions": sorted(distributions)}))
"""


def start_up(env: dict[str, str]) -> dict[str, list[str]]:
    """The modules and distributions `predictor serve` has loaded once the app has started."""
    probe = [sys.executable, "-c", PROBE, json.dumps(env)]
    return json.loads(subprocess.run(probe, capture_output=True, text=True, check=True, timeout=60).stdout)


def loaded(modules: list[str], prefixes: tuple[str, ...]) -> set[str]:
    return {m for m in modules if m.startswith(prefixes)}


def test_the_default_app_imports_no_auth_trace_sdk_anyio_backend_fickling_prometheus_client_or_skipped_plugin():
    unneeded = AUTH + TRACE_EXPORT + ANYIO_BACKEND + PICKLE_IMPORT + FIRST_SCRAPE + SKIPPED_PLUGINS
    assert loaded(start_up({})["modules"], unneeded) == set()


def test_auth_and_trace_export_settings_import_what_they_need():
    modules = start_up({"AUTH_API_KEY_SHA256": "0" * 64, "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"})[
        "modules"
    ]
    assert {"jwt", "predictor.auth.credentials", "predictor.auth.authorizer"} <= loaded(modules, AUTH)
    assert "opentelemetry.exporter.otlp.proto.http.trace_exporter" in loaded(modules, TRACE_EXPORT)


def test_nothing_the_image_leaves_out_is_imported():
    """The image's lock omits litestar's CLI and example-generation dependencies (see its header)."""
    omitted = set(re.findall(r"--no-emit-package (\S+)", IMAGE_LOCK.read_text().split("\n", 2)[1]))
    assert {"faker", "rich"} <= omitted
    normalized = {re.sub(r"[-_.]+", "-", d).lower() for d in start_up({})["distributions"]}
    assert "litestar" in normalized
    assert normalized & omitted == set()
