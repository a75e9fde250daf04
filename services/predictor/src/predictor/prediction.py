"""The hot path: POST /api, /api/batch and /predict answered by one ASGI class, in a straight line.

A typed Litestar handler, and even an `@asgi` route inside Litestar, costs more than the whole
prediction (`./task bench:request-path`, docs/decisions/0001-...), so these routes skip the
framework: time, trace context, authorization, body, predict, respond, observe. Every other path
(health, model, metrics, schema, 404) goes to the Litestar app.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from time import perf_counter
from typing import TYPE_CHECKING, Any

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from opentelemetry.trace import Span

from predictor.errors import JSON, ApiError, method_not_allowed, overloaded, too_large
from predictor.features import AIRLINE, FLIGHT_TYPE, MONTH
from predictor.loading import LoadedModel
from predictor.schemas import (
    FlightPredictions,
    Predictions,
    PredictRequest,
    batch_request_type,
    describe_validation_error,
    flights_request_type,
)
from predictor.settings import Settings
from predictor.telemetry import NOT_TRACED, Telemetry

# The challenge's single-row answers, encoded once.
SINGLE_ANSWERS = (b'{"predicciones":[0]}', b'{"predicciones":[1]}')
Headers = dict[bytes, bytes]
PROBES = frozenset(("/health", "/health/live", "/health/ready"))  # also answer HEAD, as probes may send it
DISCARD_BYTES = 1024 * 1024
SLICE_ROWS = 100

if TYPE_CHECKING:
    from predictor.auth.authorizer import Authorizer


@dataclass(frozen=True, kw_only=True)
class PredictionRoute:
    """What one prediction path accepts.

    A body that does not match the schema gets `invalid_status` (422 on the challenge's routes,
    400 on /predict, as its contract has it); a field with a fixed set of values names them
    (`accepted`) in the error.
    """

    path: str
    decoder: msgspec.json.Decoder[Any]
    invalid_status: int = 422
    accepted: dict[str, list[str | int]] = field(default_factory=dict)

    def decode(self, body: bytes) -> Any:
        try:
            return self.decoder.decode(body)
        except msgspec.ValidationError as error:
            problem, path = describe_validation_error(error)
            accepted = self.accepted.get(path.rsplit(".", 1)[-1])
            if accepted is not None:
                problem = f"{problem}; accepted: {', '.join(map(str, accepted))}"
            raise ApiError(self.invalid_status, "invalid_body", problem, path, accepted) from None
        except msgspec.DecodeError as error:
            raise ApiError(400, "malformed_json", str(error)) from None


@dataclass(frozen=True, kw_only=True)
class OneRow(PredictionRoute):
    """A single row, predicted at once: `predict(request, server span if traced)` gives the body."""

    predict: Callable[[Any, Span | None], bytes]


@dataclass(frozen=True, kw_only=True)
class ManyRows(PredictionRoute):
    """Rows decoded and predicted in turns (MAX_CONCURRENT_BATCHES), a slice at a time."""

    predict: Callable[[Any, Span | None], Awaitable[bytes]]


def prediction_routes(loaded: LoadedModel, telemetry: Telemetry, max_batch_rows: int) -> list[OneRow | ManyRows]:
    """The three prediction routes, answering from the verified model."""
    model, features = loaded.model, loaded.features

    def single(request: PredictRequest, span: Span | None) -> bytes:
        if span is None:
            label = model.predict_one(request.array)
        else:
            with telemetry.inference(span, model, 1):
                label = model.predict_one(request.array)
        if telemetry.enabled:
            telemetry.row_predicted(label, features.is_flight(request.array))
        return SINGLE_ANSWERS[label]

    async def batch(request: Any, span: Span | None) -> bytes:
        labels, probabilities = await predict_rows(request.arrays, _same_row, request.probabilidades, span)
        return msgspec.json.encode(Predictions(labels, probabilities))

    async def by_name(request: Any, span: Span | None) -> bytes:
        def row(flight: Any) -> list[int]:
            return features.encode(flight.OPERA, flight.TIPOVUELO, flight.MES)

        labels, probabilities = await predict_rows(request.flights, row, request.probabilities, span)
        return msgspec.json.encode(FlightPredictions(labels, probabilities))

    async def predict_rows(
        items: list[Any], to_row: Callable[[Any], list[int]], with_probabilities: bool, span: Span | None
    ) -> tuple[list[int], Any]:
        """Labels (and probabilities) of every item, SLICE_ROWS at a time (see `_slices`)."""
        labels: list[int] = []
        probabilities: list[float] = []
        flights = 0
        with telemetry.inference(span, model, len(items)):
            async for part in _slices(items):
                rows = list(map(to_row, part))
                labels += model.predict(rows)
                if with_probabilities:
                    probabilities += map(model.probability, rows)
                flights += sum(map(features.is_flight, rows))
        for label in (0, 1):
            telemetry.predicted(label, labels.count(label))
        telemetry.inputs(flights, len(labels) - flights)
        return labels, probabilities if with_probabilities else msgspec.UNSET

    accepted: dict[str, list[str | int]] = {
        AIRLINE: list(features.airlines),
        FLIGHT_TYPE: list(features.flight_types),
        MONTH: list(features.months),
    }
    return [
        OneRow(path="/api", decoder=msgspec.json.Decoder(PredictRequest), predict=single),
        ManyRows(path="/api/batch", decoder=msgspec.json.Decoder(batch_request_type(max_batch_rows)), predict=batch),
        ManyRows(
            path="/predict",
            decoder=msgspec.json.Decoder(flights_request_type(features, max_batch_rows)),
            predict=by_name,
            invalid_status=400,
            accepted=accepted,
        ),
    ]


class PredictionApp:
    """The ASGI app uvicorn serves: prediction routes answered here, every other request by `framework`.

    At most `max_concurrent` prediction requests are handled at once (more get 503 with
    Retry-After). Multi-row predictions take turns (`batch_turns`) and yield the event loop between
    slices of rows, so that a flood of large batches holds it for one slice at a time, never for
    several whole batches in a row while single rows wait (docs/reliability.md).
    """

    def __init__(
        self,
        routes: list[OneRow | ManyRows],
        framework: ASGIApp,
        telemetry: Telemetry,
        authorizer: "Authorizer | None",
        settings: Settings,
    ) -> None:
        self.routes = {route.path: route for route in routes}
        self.framework = framework
        self.telemetry = telemetry
        self.authorizer = authorizer
        self.max_body_bytes = settings.max_body_bytes
        self.max_concurrent = settings.max_concurrent_requests
        self.batch_turns = asyncio.Semaphore(settings.max_concurrent_batches)
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or (route := self.routes.get(scope["path"])) is None:
            if scope["type"] == ScopeType.HTTP and scope["method"] == "HEAD" and scope["path"] in PROBES:
                scope = {**scope, "method": "GET"}  # uvicorn still sees HEAD in its own scope and sends no body
            await self.framework(scope, receive, send)
            return
        start = perf_counter()
        method = scope["method"]
        status = 500  # what is recorded if answering raises
        headers = dict(scope["headers"])
        traced = self.telemetry.begin(headers, scope, route.path)
        span = traced[0]
        self.in_flight += 1
        try:
            answer, payload, extra_headers = 200, b"", None
            try:
                if method != "POST":
                    raise method_not_allowed(method, "POST")
                if self.in_flight > self.max_concurrent:
                    raise overloaded()
                if self.authorizer is not None and (denial := await self.authorizer.check(headers)) is not None:
                    self.telemetry.rejected(denial.status)
                    raise denial
                body = await self._body(headers, receive)
                if isinstance(route, OneRow):
                    payload = route.predict(route.decode(body), span)
                else:
                    async with self.batch_turns:
                        payload = await route.predict(route.decode(body), span)
            except ApiError as error:
                answer, payload, extra_headers = error.status, error.encode(), error.headers
            response_headers = [(b"content-type", JSON), (b"content-length", b"%d" % len(payload))]
            if extra_headers:
                response_headers += extra_headers
            await send({"type": "http.response.start", "status": answer, "headers": response_headers})
            await send({"type": "http.response.body", "body": payload, "more_body": False})
            status = answer
        except Exception as error:  # a fault, not a refusal: the span (if sampled) records it, uvicorn answers 500
            if span is not None:
                span.record_exception(error)
            raise
        finally:
            self.in_flight -= 1
            self.telemetry.observe(method, route.path, status, perf_counter() - start)
            if traced is not NOT_TRACED:
                self.telemetry.end(traced, status)

    async def _body(self, headers: Headers, receive: Receive) -> bytes:
        content_type = headers.get(b"content-type", b"")
        if content_type != JSON and content_type.split(b";", 1)[0].strip().lower() != JSON:
            raise ApiError(415, "unsupported_media_type", "send the body as Content-Type: application/json")
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await _discard(receive)
            raise too_large(self.max_body_bytes)
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: nothing to answer
                raise ApiError(400, "incomplete_body", "the connection closed before the body arrived")
            body += message["body"]
            more = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                if more:
                    await _discard(receive)
                raise too_large(self.max_body_bytes)
        if not body:
            raise ApiError(400, "empty_body", "the request body is empty; send a JSON object")
        return body


def _same_row(row: list[int]) -> list[int]:
    return row


async def _slices(items: list[Any]) -> AsyncIterator[list[Any]]:
    """`items` SLICE_ROWS at a time, with a turn of the event loop before each slice: whatever is
    ready (single rows) is answered between two slices of a large batch instead of after it."""
    for start in range(0, len(items), SLICE_ROWS):
        await asyncio.sleep(0)
        yield items[start : start + SLICE_ROWS]


async def _discard(receive: Receive) -> None:
    """Read and drop the rest of an oversized body, up to DISCARD_BYTES: closing a connection with
    unread data makes the kernel send a reset, and the client would never see the 413."""
    dropped = 0
    while dropped <= DISCARD_BYTES:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
        dropped += len(message["body"])
