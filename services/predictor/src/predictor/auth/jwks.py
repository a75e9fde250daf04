"""The issuer's signing keys, fetched in the background and kept when the issuer is down.

Keys come from a JWKS URL (for Google-signed ID tokens:
https://www.googleapis.com/oauth2/v3/certs). They are refreshed every AUTH_JWKS_REFRESH_SECONDS
off the request path; a token whose `kid` is unknown triggers one early refresh (at most one
per MIN_REFETCH_SECONDS, so a flood of forged kids cannot hammer the issuer).
"""

import asyncio
import json
import logging
import time
import urllib.request
from typing import Any

import jwt

log = logging.getLogger("predictor.auth")
MIN_REFETCH_SECONDS = 30.0
FETCH_TIMEOUT_SECONDS = 5.0


class JwksCache:
    def __init__(self, url: str, refresh_seconds: float) -> None:
        self.url = url
        self.refresh_seconds = refresh_seconds
        self.keys: dict[str, jwt.PyJWK] = {}
        self.attempted_at = -MIN_REFETCH_SECONDS
        self.failures = 0
        self._lock = asyncio.Lock()

    def key(self, kid: str | None) -> jwt.PyJWK | None:
        return self.keys.get(kid or "")

    async def refresh(self) -> bool:
        """Fetch the key set now; on failure keep the keys we have and say so."""
        async with self._lock:
            self.attempted_at = time.monotonic()
            try:
                document = await asyncio.to_thread(self._fetch)
                keys = {k["kid"]: jwt.PyJWK(k) for k in document["keys"] if "kid" in k}
            except Exception as error:
                self.failures += 1
                log.warning(
                    "JWKS refresh from %s failed (%s); verifying with %d cached keys", self.url, error, len(self.keys)
                )
                return False
            self.keys = keys
            return True

    async def refresh_for_unknown_kid(self) -> None:
        if self._lock.locked():  # a refresh is under way: its result is the answer
            async with self._lock:
                return
        if time.monotonic() - self.attempted_at >= MIN_REFETCH_SECONDS:
            await self.refresh()

    def _fetch(self) -> Any:
        request = urllib.request.Request(self.url, headers={"accept": "application/json"})  # noqa: S310 - operator's URL
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
            return json.load(response)
