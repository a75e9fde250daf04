"""POST /api, /api/batch and /predict as lean ASGI endpoints: the service's hot path.

Litestar's typed handlers cost about 2x the time of the whole prediction (see
docs/decisions/0001-litestar-msgspec-and-a-lean-prediction-lane.md), so these routes read
the body, decode it strictly with msgspec, predict and answer without the framework's
per-request machinery. Everything else (health, model, metrics, schema) is plain Litestar.
"""

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import msgspec

from predictor.errors import ApiError
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
from predictor.telemetry.runtime import Telemetry

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

JSON = b"application/json"
# The challenge's single-row answers, encoded once.
SINGLE_ANSWERS = (b'{"predicciones":[0]}', b'{"predicciones":[1]}')


class JsonEndpoint:
    """POST-only JSON endpoint: enforce content type and size, decode strictly, answer.

    A body that does not match the schema gets `invalid_status` (422 on the challenge's routes,
    400 on /predict, as its contract has it); for a field with a fixed set of values, the error
    lists them (`accepted`).
    """

    def __init__(
        self,
        decoder: msgspec.json.Decoder,
        answer: Callable[[Any, Scope], bytes],
        max_body_bytes: int,
        invalid_status: int = 422,
        accepted: dict[str, list] | None = None,
    ) -> None:
        self.decoder = decoder
        self.answer = answer
        self.max_body_bytes = max_body_bytes
        self.invalid_status = invalid_status
        self.accepted = accepted or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> int:
        """Answer the request; returns the status sent, so telemetry need not wrap `send`."""
        if scope["method"] != "POST":
            detail = f"{scope['method']} is not allowed; use POST"
            await respond(send, 405, _error(405, "method_not_allowed", detail), [(b"allow", b"POST")])
            return 405
        try:
            body = await self.read_body(scope, receive)
            payload = self.answer(self.decode(body), scope)
        except ApiError as error:
            await respond(send, error.status, error.encode())
            return error.status
        await respond(send, 200, payload)
        return 200

    async def read_body(self, scope: Scope, receive: Receive) -> bytes:
        media_type = declared_length = None
        for name, value in scope["headers"]:
            if name == b"content-type":
                media_type = value.split(b";", 1)[0].strip().lower()
            elif name == b"content-length":
                declared_length = value
        if media_type != JSON:
            raise ApiError(415, "unsupported_media_type", "send the body as Content-Type: application/json")
        if declared_length is not None and declared_length.isdigit() and int(declared_length) > self.max_body_bytes:
            raise self.too_large()
        message = await receive()
        body = message.get("body", b"")
        while message.get("more_body", False):
            message = await receive()
            body += message.get("body", b"")
            if len(body) > self.max_body_bytes:
                raise self.too_large()
        if len(body) > self.max_body_bytes:
            raise self.too_large()
        if not body:
            raise ApiError(400, "empty_body", "the request body is empty; send a JSON object")
        return body

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

    def too_large(self) -> ApiError:
        return ApiError(413, "body_too_large", f"the body exceeds MAX_BODY_BYTES={self.max_body_bytes}")


def prediction_endpoints(
    loaded: LoadedModel, telemetry: Telemetry, max_body_bytes: int, max_batch_rows: int
) -> dict[str, JsonEndpoint]:
    """The prediction routes by path, answering from the verified model."""
    model, features = loaded.model, loaded.features

    def single(request: PredictRequest, scope: Scope) -> bytes:
        with telemetry.inference(scope, model, 1):
            label = model.predict_one(request.array)
        telemetry.predicted(label)
        telemetry.inputs(*((1, 0) if features.is_flight(request.array) else (0, 1)))
        return SINGLE_ANSWERS[label]

    def batch(request: Any, scope: Scope) -> bytes:
        rows = request.arrays
        labels, probabilities = predict_rows(scope, rows, request.probabilidades)
        flights = sum(map(features.is_flight, rows))
        telemetry.inputs(flights, len(rows) - flights)
        return msgspec.json.encode(Predictions(labels, probabilities))

    def by_name(request: Any, scope: Scope) -> bytes:
        rows = [features.encode(f.OPERA, f.TIPOVUELO, f.MES) for f in request.flights]
        labels, probabilities = predict_rows(scope, rows, request.probabilities)
        telemetry.inputs(len(rows), 0)
        return msgspec.json.encode(FlightPredictions(labels, probabilities))

    def predict_rows(scope: Scope, rows: list[list[int]], with_probabilities: bool) -> tuple[list[int], Any]:
        with telemetry.inference(scope, model, len(rows)):
            labels = model.predict(rows)
            probabilities = [model.probability(row) for row in rows] if with_probabilities else msgspec.UNSET
        for label in (0, 1):
            telemetry.predicted(label, labels.count(label))
        return labels, probabilities

    accepted = {
        AIRLINE: list(features.airlines),
        FLIGHT_TYPE: list(features.flight_types),
        MONTH: list(features.months),
    }
    return {
        "/api": JsonEndpoint(msgspec.json.Decoder(PredictRequest), single, max_body_bytes),
        "/api/batch": JsonEndpoint(msgspec.json.Decoder(batch_request_type(max_batch_rows)), batch, max_body_bytes),
        "/predict": JsonEndpoint(
            msgspec.json.Decoder(flights_request_type(features, max_batch_rows)), by_name, max_body_bytes, 400, accepted
        ),
    }


async def respond(send: Send, status: int, body: bytes, extra_headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    headers = [(b"content-type", JSON), (b"content-length", str(len(body)).encode()), *extra_headers]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _error(status: int, error: str, detail: str) -> bytes:
    return ApiError(status, error, detail).encode()
