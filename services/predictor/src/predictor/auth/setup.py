"""Authorization from settings: which checks are on, and the middleware that applies them.

The checks and their libraries (PyJWT, cryptography: a tenth of a second) are imported only
when an AUTH_* variable turns them on, so that a service without in-app auth starts faster.
"""

import asyncio
from typing import TYPE_CHECKING, Any

from predictor.settings import Settings, split
from predictor.telemetry.metrics import MetricsStore

if TYPE_CHECKING:
    from predictor.auth.credentials import ApiKeys, JwtVerifier
    from predictor.auth.jwks import JwksCache


class Authorization:
    api_keys: "ApiKeys | None" = None
    jwks: "JwksCache | None" = None
    jwt: "JwtVerifier | None" = None

    def __init__(self, settings: Settings) -> None:
        hashes = split(settings.auth_api_key_sha256)
        if hashes:
            from predictor.auth.credentials import ApiKeys

            self.api_keys = ApiKeys(hashes)
        if settings.auth_jwks_url:
            from predictor.auth.credentials import JwtVerifier
            from predictor.auth.jwks import JwksCache

            self.jwks = JwksCache(settings.auth_jwks_url, settings.auth_jwks_refresh_seconds)
            self.jwt = JwtVerifier(
                self.jwks,
                issuer=settings.auth_jwt_issuer or "",
                audience=settings.auth_jwt_audience or "",
                algorithms=split(settings.auth_jwt_algorithms),
                allowed_principals=set(split(settings.auth_allowed_principals)),
                cache_size=settings.auth_token_cache_size,
            )

    @property
    def enabled(self) -> bool:
        return self.jwt is not None or self.api_keys is not None

    def wrap(self, app: Any, protected: set[str], store: MetricsStore) -> Any:
        if not self.enabled:
            return app
        from predictor.auth.middleware import AuthMiddleware

        return AuthMiddleware(app, protected, self.jwt, self.api_keys, store)

    async def load_keys(self) -> None:
        """First fetch, at start-up, so that serving never waits for keys in the steady state."""
        if self.jwks is not None:
            await self.jwks.refresh()

    async def keep_keys_fresh(self, store: MetricsStore) -> None:
        """Background refresh of the JWKS for as long as the app runs (nothing to do without JWT)."""
        if self.jwks is None:
            return
        counted = 0
        while True:
            if self.jwks.failures > counted:
                store.count("predictor_auth_jwks_refresh_failures_total{}", self.jwks.failures - counted)
                counted = self.jwks.failures
            await asyncio.sleep(self.jwks.refresh_seconds)
            await self.jwks.refresh()
