"""Request metrics for the routes Litestar serves (health, model, metrics, schema, 404s).

A standard send-wrapping ASGI middleware: it notes the status the app sends and observes the
duration when the app returns. The prediction routes never pass through it (see prediction.py).
"""

from collections.abc import Callable
from time import perf_counter

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

UNMATCHED = "unmatched"  # the http.route of paths no route serves: keeps the label set bounded


class RequestMetrics:
    def __init__(self, app: ASGIApp, routes: set[str], observe: Callable[[str, str, int, float], None]) -> None:
        self.app = app
        self.routes = routes
        self.observe = observe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        start = perf_counter()
        status = 500  # what is recorded if the app raises before answering

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            route = scope["path"] if scope["path"] in self.routes else UNMATCHED
            self.observe(scope["method"], route, status, perf_counter() - start)
