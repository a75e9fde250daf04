"""One place that turns a failure into an HTTP status and a JSON error body."""

import msgspec

from predictor.schemas import ErrorBody


class ApiError(Exception):
    """A request the API refuses, with the status and body the client gets."""

    def __init__(
        self, status: int, error: str, detail: str, field: str | None = None, accepted: list | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.body = ErrorBody(error, detail, field, msgspec.UNSET if accepted is None else accepted)

    def encode(self) -> bytes:
        return msgspec.json.encode(self.body)


def not_ready() -> ApiError:
    return ApiError(503, "not_ready", "the model is not loaded yet, or the service is shutting down")
