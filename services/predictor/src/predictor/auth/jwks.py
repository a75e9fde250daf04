"""The issuer's signing keys, fetched in the background and kept when the issuer is down.

Keys come from a JWKS URL over https (for Google-signed ID tokens:
https://www.googleapis.com/oauth2/v3/certs). They are refreshed every AUTH_JWKS_REFRESH_SECONDS
off the request path, every MIN_REFETCH_SECONDS while there are none; a token whose `kid` is
unknown triggers one early refresh (at most one per MIN_REFETCH_SECONDS, so a flood of forged
kids cannot hammer the issuer).

A hostile or broken issuer cannot stall the service: a fetch has FETCH_SECONDS in total however
slowly the bytes come, reads at most MAX_JWKS_BYTES (uncompressed), and the keys are parsed in a
thread. No lock is held while fetching: callers that need the result join the fetch under way,
and verification with the keys already loaded never waits.
"""

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

log = logging.getLogger("predictor.auth")
MIN_REFETCH_SECONDS = 30.0
FETCH_SECONDS = 5.0
MAX_JWKS_BYTES = 64 * 1024  # Google's key set is about 2 kB


class JwksCache:
    def __init__(self, url: str, refresh_seconds: float, refreshed: Callable[[bool], None]) -> None:
        """`refreshed(ok)` is told the outcome of every fetch (the metrics count them)."""
        self.url = url
        self.refresh_seconds = refresh_seconds
        self.refreshed = refreshed
        self.keys: dict[str, jwt.PyJWK] = {}
        self.attempted_at = -MIN_REFETCH_SECONDS
        self.tls = httpx.create_ssl_context()  # loaded once: building it reads every CA certificate
        self.fetch: asyncio.Task[bool] | None = None

    def key(self, kid: str | None) -> jwt.PyJWK | None:
        return self.keys.get(kid or "")

    def next_refresh_in(self) -> float:
        return self.refresh_seconds if self.keys else min(self.refresh_seconds, MIN_REFETCH_SECONDS)

    async def refresh(self) -> bool:
        """Fetch the key set now, or join the fetch under way; on failure keep the keys we have."""
        if self.fetch is None or self.fetch.done():
            self.fetch = asyncio.create_task(self._fetch())
        return await asyncio.shield(self.fetch)

    async def refresh_for_unknown_kid(self) -> None:
        if (self.fetch is not None and not self.fetch.done()) or (
            time.monotonic() - self.attempted_at >= MIN_REFETCH_SECONDS
        ):
            await self.refresh()

    async def _fetch(self) -> bool:
        self.attempted_at = time.monotonic()
        try:
            async with asyncio.timeout(FETCH_SECONDS):
                body = await self._download()
            keys = await asyncio.to_thread(parse_keys, body)  # RSA/EC key loading is CPU work
        except Exception as error:
            self.refreshed(False)
            problem = str(error) or type(error).__name__  # a timeout has no message
            log.warning(
                "JWKS refresh from %s failed (%s); verifying with %d cached keys", self.url, problem, len(self.keys)
            )
            return False
        self.keys = keys
        self.refreshed(True)
        return True

    async def _download(self) -> bytes:
        headers = {"accept": "application/json", "accept-encoding": "identity"}
        async with (
            httpx.AsyncClient(verify=self.tls, trust_env=False) as client,
            client.stream("GET", self.url, headers=headers) as response,
        ):
            response.raise_for_status()
            if response.headers.get("content-encoding", "identity") != "identity":
                raise ValueError("compressed key set refused")  # a small body could inflate to gigabytes
            body = bytearray()
            async for chunk in response.aiter_raw():
                body += chunk
                if len(body) > MAX_JWKS_BYTES:
                    raise ValueError(f"key set larger than {MAX_JWKS_BYTES} bytes")
            return bytes(body)


def parse_keys(body: bytes) -> dict[str, jwt.PyJWK]:
    document: Any = json.loads(body)
    return {k["kid"]: jwt.PyJWK(k) for k in document["keys"] if "kid" in k}
