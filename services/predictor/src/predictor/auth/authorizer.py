"""Authorization of the prediction routes, from settings: a bearer JWT or an API key.

The client learns no more than 401 (missing or invalid credentials, with WWW-Authenticate) or 403
(valid but not allowed): why a token failed is not something to tell an attacker.
"""

import asyncio
from collections.abc import Callable

from predictor.auth.credentials import ApiKeys, JwtVerifier, Rejected
from predictor.auth.jwks import JwksCache
from predictor.errors import ApiError
from predictor.settings import Settings, split

BEARER = b"bearer "


class Authorizer:
    def __init__(self, settings: Settings, jwks_refreshed: Callable[[bool], None]) -> None:
        """`jwks_refreshed(ok)` is told the outcome of every key-set fetch."""
        hashes = split(settings.auth_api_key_sha256)
        self.api_keys = ApiKeys(hashes) if hashes else None
        self.jwks = (
            JwksCache(settings.auth_jwks_url, settings.auth_jwks_refresh_seconds, jwks_refreshed)
            if settings.auth_jwks_url
            else None
        )
        self.jwt = (
            JwtVerifier(
                self.jwks,
                issuer=settings.auth_jwt_issuer or "",
                audience=settings.auth_jwt_audience or "",
                algorithms=split(settings.auth_jwt_algorithms),
                allowed_principals=set(split(settings.auth_allowed_principals)),
                cache_size=settings.auth_token_cache_size,
            )
            if self.jwks
            else None
        )
        self.challenge = b'Bearer realm="predictor"' if self.jwt else b'APIKey realm="predictor", header="X-API-Key"'

    async def check(self, headers: dict[bytes, bytes]) -> ApiError | None:
        """None when the request may go on, else the 401 or 403 to send."""
        authorization, api_key = headers.get(b"authorization"), headers.get(b"x-api-key")
        try:
            if self.jwt and authorization is not None and authorization[:7].lower() == BEARER:
                await self.jwt.check(authorization[7:].strip())
            elif self.api_keys and api_key is not None:
                self.api_keys.check(api_key)
            else:
                return _denial(401, "missing_credentials", self.challenge)
        except Rejected as rejected:
            if rejected.forbidden:
                return _denial(403, "forbidden", None)
            return _denial(401, "invalid_credentials", self.challenge + b', error="invalid_token"')
        return None

    def ready(self) -> bool:
        """False while bearer tokens are checked and no signing key is loaded: every token would get 401."""
        return self.jwks is None or bool(self.jwks.keys)

    async def load_keys(self) -> None:
        """First fetch, at start-up, so that serving never waits for keys in the steady state."""
        if self.jwks is not None:
            await self.jwks.refresh()

    async def keep_keys_fresh(self) -> None:
        """Background refresh of the JWKS for as long as the app runs (nothing to do without JWT)."""
        while self.jwks is not None:
            await asyncio.sleep(self.jwks.next_refresh_in())
            await self.jwks.refresh()


def _denial(status: int, kind: str, challenge: bytes | None) -> ApiError:
    detail = "this caller may not use the API" if status == 403 else "send valid credentials"
    return ApiError(status, kind, detail, headers=[(b"www-authenticate", challenge)] if challenge else None)
