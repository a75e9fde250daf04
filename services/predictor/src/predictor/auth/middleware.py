"""ASGI middleware guarding the prediction routes; health, metadata and metrics stay open."""

from predictor.auth.credentials import ApiKeys, JwtVerifier, Rejected
from predictor.errors import ApiError
from predictor.prediction import respond
from predictor.telemetry.metrics import MetricsStore

BEARER = b"bearer "


class AuthMiddleware:
    """401 for missing or invalid credentials (with WWW-Authenticate), 403 for valid but not allowed.

    The client learns no more than that: why a token failed is not something to tell an attacker.
    """

    def __init__(
        self, app, protected: set[str], jwt: JwtVerifier | None, api_keys: ApiKeys | None, store: MetricsStore
    ) -> None:
        self.app = app
        self.protected = protected
        self.jwt = jwt
        self.api_keys = api_keys
        self.store = store
        self.challenge = b'Bearer realm="predictor"' if jwt else b'APIKey realm="predictor", header="X-API-Key"'

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        else:
            await self.answer(scope, receive, send)

    async def answer(self, scope, receive, send) -> int | None:
        """Like PredictionLane.answer: the status sent on the prediction routes."""
        if scope["path"] not in self.protected:
            return await self.app.answer(scope, receive, send)
        authorization = api_key = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value
            elif name == b"x-api-key":
                api_key = value
        try:
            if self.jwt and authorization is not None and authorization[:7].lower() == BEARER:
                await self.jwt.check(authorization[7:].strip())
            elif self.api_keys and api_key is not None:
                self.api_keys.check(api_key)
            else:
                return await self._deny(send, 401, "missing_credentials", self.challenge)
        except Rejected as rejected:
            if rejected.forbidden:
                return await self._deny(send, 403, "forbidden", None)
            return await self._deny(send, 401, "invalid_credentials", self.challenge + b', error="invalid_token"')
        return await self.app.answer(scope, receive, send)

    async def _deny(self, send, status: int, kind: str, challenge: bytes | None) -> int:
        self.store.count(f'predictor_auth_rejections_total{{http_response_status_code="{status}"}}')
        detail = "this caller may not use the API" if status == 403 else "send valid credentials"
        headers = [(b"www-authenticate", challenge)] if challenge else []
        await respond(send, status, ApiError(status, kind, detail).encode(), headers)
        return status
