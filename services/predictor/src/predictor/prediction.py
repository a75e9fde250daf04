"""POST /api and POST /api/batch as lean ASGI endpoints: the service's hot path.

Litestar's typed handlers cost about 2x the time of the whole prediction (see
docs/decisions/0001-litestar-msgspec-and-a-lean-prediction-lane.md), so these two routes read
the body, decode it strictly with msgspec, predict and answer without the framework's
per-request machinery. Everything else (health, model, metrics, schema) is plain Litestar.
"""

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import msgspec

from predictor.classifier import LogisticModel
from predictor.errors import ApiError, not_ready
from predictor.features import is_flight
from predictor.schemas import Predictions, PredictRequest, batch_request_type, describe_validation_error
from predictor.state import ServiceState
from predictor.telemetry.runtime import Telemetry

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

JSON = b"application/json"
# The challenge's single-row answers, encoded once.
SINGLE_ANSWERS = (b'{"predicciones":[0]}', b'{"predicciones":[1]}')


class JsonEndpoint:
    """POST-only JSON endpoint: enforce content type and size, decode strictly, answer."""

    def __init__(
        self, decoder: msgspec.json.Decoder, answer: Callable[[Any, Scope], bytes], max_body_bytes: int
    ) -> None:
        self.decoder = decoder
        self.answer = answer
        self.max_body_bytes = max_body_bytes

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
            raise ApiError(422, "invalid_body", problem, path) from None
        except msgspec.DecodeError as error:
            raise ApiError(400, "malformed_json", str(error)) from None

    def too_large(self) -> ApiError:
        return ApiError(413, "body_too_large", f"the body exceeds MAX_BODY_BYTES={self.max_body_bytes}")


def prediction_endpoints(
    state: ServiceState, telemetry: Telemetry, max_body_bytes: int, max_batch_rows: int
) -> dict[str, JsonEndpoint]:
    """The two prediction routes by path, answering from the state's verified model."""

    def current_model() -> LogisticModel:
        if state.loaded is None:  # while draining, requests already here are still answered
            raise not_ready()
        return state.loaded.model

    def single(request: PredictRequest, scope: Scope) -> bytes:
        model = current_model()
        with telemetry.inference(scope, model, 1):
            label = model.predict_one(request.array)
        telemetry.predicted(label)
        telemetry.inputs(*((1, 0) if is_flight(request.array) else (0, 1)))
        return SINGLE_ANSWERS[label]

    def batch(request: Any, scope: Scope) -> bytes:
        model = current_model()
        rows = request.arrays
        with telemetry.inference(scope, model, len(rows)):
            labels = model.predict(rows)
            answer = Predictions(labels, [model.probability(row) for row in rows]) if request.probabilidades else None
        for label in (0, 1):
            telemetry.predicted(label, labels.count(label))
        flights = sum(map(is_flight, rows))
        telemetry.inputs(flights, len(rows) - flights)
        return msgspec.json.encode(answer or Predictions(labels))

    return {
        "/api": JsonEndpoint(msgspec.json.Decoder(PredictRequest), single, max_body_bytes),
        "/api/batch": JsonEndpoint(msgspec.json.Decoder(batch_request_type(max_batch_rows)), batch, max_body_bytes),
    }


async def respond(send: Send, status: int, body: bytes, extra_headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    headers = [(b"content-type", JSON), (b"content-length", str(len(body)).encode()), *extra_headers]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _error(status: int, error: str, detail: str) -> bytes:
    return ApiError(status, error, detail).encode()
