"""ASGI middleware: one histogram observation per request, a server span when sampled.

The app it wraps has `answer()`, which returns the status of a prediction route (see
PredictionLane.answer), so on the hot path `send` is not wrapped; Litestar's routes are observed
through a wrapped `send`.
"""

from time import perf_counter

from opentelemetry import context, trace
from opentelemetry.trace import NonRecordingSpan, SpanKind, StatusCode

from predictor.telemetry.metrics import MetricsStore
from predictor.telemetry.tracing import TRACEPARENT, Sampler, parse_traceparent

UNMATCHED = "unmatched"  # the http.route of paths no route serves: keeps the label set bounded
TRACED = "predictor.traced"  # scope key: this request has a recording span (see Telemetry.inference)


class TelemetryMiddleware:
    def __init__(
        self,
        app,
        store: MetricsStore,
        routes: set[str],
        lane_routes: set[str],
        sampler: Sampler,
        tracer: trace.Tracer | None,
    ) -> None:
        self.app = app
        self.store = store
        self.routes = routes
        self.lane_routes = lane_routes
        self.sampler = sampler
        self.tracer = tracer

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = perf_counter()
        path = scope["path"]
        route = path if path in self.routes else UNMATCHED
        parent = None
        for name, value in scope["headers"]:
            if name == TRACEPARENT:
                parent = parse_traceparent(value)
                break
        status = 500  # what the client gets if the app raises before answering
        try:
            if self.tracer is not None and self.sampler.sampled(parent):
                status = await self._traced(scope, receive, send, route, parent)
            elif parent is not None:  # not sampled, but log lines still carry the caller's trace id
                token = context.attach(trace.set_span_in_context(NonRecordingSpan(parent)))
                try:
                    status = await self._answer(scope, receive, send)
                finally:
                    context.detach(token)
            else:
                status = await self._answer(scope, receive, send)
        finally:
            self.store.duration(scope["method"], route, status).observe(perf_counter() - start)

    async def _answer(self, scope, receive, send) -> int:
        if scope["path"] in self.lane_routes:
            return await self.app.answer(scope, receive, send)
        status = 500

        async def send_and_note_status(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, send_and_note_status)
        return status

    async def _traced(self, scope, receive, send, route: str, parent) -> int:
        method = scope["method"]
        parent_context = trace.set_span_in_context(NonRecordingSpan(parent)) if parent else None
        attributes = {
            "http.request.method": method,
            "http.route": route,
            "url.path": scope["path"],
            "url.scheme": scope.get("scheme", "http"),
            "network.protocol.version": scope.get("http_version", "1.1"),
        }
        with self.tracer.start_as_current_span(
            f"{method} {route}", context=parent_context, kind=SpanKind.SERVER, attributes=attributes
        ) as span:
            scope[TRACED] = True
            status = 500
            try:
                status = await self._answer(scope, receive, send)
            finally:
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_attribute("error.type", str(status))
                    span.set_status(StatusCode.ERROR)
            return status
