"""Every error the API sends: an HTTP status and a JSON body {"error", "detail", "field"}, made here."""

import msgspec

from predictor.schemas import ErrorBody

JSON = b"application/json"

# Litestar's own refusals (an unknown path, a wrong method on its routes) in our vocabulary.
_KINDS = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}


class ApiError(Exception):
    """A request the API refuses, with the status, headers and body the client gets."""

    def __init__(
        self,
        status: int,
        error: str,
        detail: str,
        field: str | None = None,
        accepted: list[str | int] | None = None,
        headers: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.body = ErrorBody(error, detail, field, msgspec.UNSET if accepted is None else accepted)
        self.headers = headers or []

    def encode(self) -> bytes:
        return msgspec.json.encode(self.body)


def not_ready() -> ApiError:
    return ApiError(503, "not_ready", "the service is starting or shutting down")


def method_not_allowed(method: str, allowed: str) -> ApiError:
    return ApiError(
        405, "method_not_allowed", f"{method} is not allowed; use {allowed}", headers=[(b"allow", allowed.encode())]
    )


def overloaded() -> ApiError:
    return ApiError(503, "overloaded", "too many requests in progress; retry shortly", headers=[(b"retry-after", b"1")])


def too_large(limit: int) -> ApiError:
    return ApiError(413, "body_too_large", f"the body exceeds MAX_BODY_BYTES={limit}")


def from_framework(status: int, detail: str) -> ApiError:
    """An HTTP error Litestar raised (404, 405...), with the same body as ours."""
    return ApiError(status, _KINDS.get(status, "http_error"), detail)
