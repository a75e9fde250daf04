"""Authorization from settings: which checks are on, and the middleware that applies them."""

import asyncio
from typing import Any

from predictor.auth.credentials import ApiKeys, JwtVerifier
from predictor.auth.jwks import JwksCache
from predictor.auth.middleware import AuthMiddleware
from predictor.settings import Settings, split
from predictor.telemetry.metrics import MetricsStore


class Authorization:
    def __init__(self, settings: Settings) -> None:
        hashes = split(settings.auth_api_key_sha256)
        self.api_keys = ApiKeys(hashes) if hashes else None
        self.jwks = (
            JwksCache(settings.auth_jwks_url, settings.auth_jwks_refresh_seconds) if settings.auth_jwks_url else None
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

    @property
    def enabled(self) -> bool:
        return self.jwt is not None or self.api_keys is not None

    def wrap(self, app: Any, protected: set[str], store: MetricsStore) -> Any:
        return AuthMiddleware(app, protected, self.jwt, self.api_keys, store) if self.enabled else app

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
