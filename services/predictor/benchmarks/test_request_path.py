"""In-process cost of one prediction request (`./task bench:request-path`; the suite only runs it once).

Each round runs REQUESTS requests through the ASGI app on one event loop, so the figure is the
app's own cost per request (no sockets, no HTTP parsing). The typed Litestar handler and the
same hot path mounted as a Litestar `@asgi` route are the designs we did not take
(docs/decisions/0001-...): measured here side by side.
"""

import asyncio
import json

import pytest
from litestar import Litestar
from litestar.handlers import asgi
from litestar.types import Receive, Scope, Send

from predictor.app import create_app
from predictor.features import CHALLENGE_EXAMPLE, TEAM
from predictor.settings import load_settings

REQUESTS = 2000
SINGLE = json.dumps({"array": list(CHALLENGE_EXAMPLE)}).encode()
BATCH = json.dumps({"arrays": TEAM.valid_combinations()[:500]}).encode()
BATCH_WITH_PROBABILITIES = json.dumps({"arrays": TEAM.valid_combinations()[:500], "probabilidades": True}).encode()


def typed_litestar_app() -> Litestar:
    """The anchor of the load test: a plain typed Litestar handler with the same model."""
    from reference.litestar_typed import app

    return app


def asgi_route_app() -> Litestar:
    """Our hot path, reached through Litestar's router as an @asgi route instead of in front of it."""
    ours = create_app(load_settings({}))

    @asgi("/api", is_mount=False)
    async def predict(scope: Scope, receive: Receive, send: Send) -> None:
        await ours(scope, receive, send)

    return Litestar([predict], openapi_config=None)


async def started(app):
    """Run the ASGI lifespan startup so the model is loaded, as uvicorn would."""
    inbox: asyncio.Queue = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    done = asyncio.Event()

    async def send(message):
        if message["type"] == "lifespan.startup.complete":
            done.set()

    task = asyncio.ensure_future(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, inbox.get, send))
    await done.wait()
    return task


def run_requests(app, path: str, body: bytes, count: int) -> list[int]:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"", "headers": headers,
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 8000), "state": {}}  # fmt: skip
    statuses: list[int] = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def many():
        lifespan = await started(app)
        for _ in range(count):
            await app(dict(scope), receive, send)
        lifespan.cancel()

    asyncio.run(many())
    return statuses


@pytest.mark.parametrize(
    ("name", "factory", "path", "body"),
    [
        ("lane single", lambda: create_app(load_settings({})), "/api", SINGLE),
        ("typed Litestar handler single", typed_litestar_app, "/api", SINGLE),
        ("hot path as a Litestar @asgi route, single", asgi_route_app, "/api", SINGLE),
        ("lane batch of 500", lambda: create_app(load_settings({})), "/api/batch", BATCH),
        (
            "lane batch of 500, probabilities",
            lambda: create_app(load_settings({})),
            "/api/batch",
            BATCH_WITH_PROBABILITIES,
        ),
    ],
    ids=[
        "lane-single",
        "litestar-typed-single",
        "litestar-asgi-route-single",
        "lane-batch-500",
        "lane-batch-500-probabilities",
    ],
)
def test_request_path(benchmark, name, factory, path, body):
    app = factory()
    count = REQUESTS if path == "/api" else REQUESTS // 20
    benchmark.extra_info["requests_per_round"] = count
    statuses = benchmark.pedantic(run_requests, args=(app, path, body, count), rounds=5, warmup_rounds=1)
    assert set(statuses) == {200}
