"""Checking one credential: a bearer JWT (signature, issuer, audience, time) or an API key."""

import hashlib
import hmac
import time
from collections import OrderedDict
from typing import Any

import jwt

from predictor.auth.jwks import JwksCache

MAX_TOKEN_BYTES = 8192  # Google ID tokens are about 1 kB; anything this large is not a token
LEEWAY_SECONDS = 30


class Rejected(Exception):
    """The credential is not acceptable; `forbidden` means valid but not on the allowlist."""

    def __init__(self, forbidden: bool = False) -> None:
        self.forbidden = forbidden


class JwtVerifier:
    """Verifies bearer tokens against the cached JWKS; remembers tokens it already verified."""

    def __init__(
        self,
        keys: JwksCache,
        issuer: str,
        audience: str,
        algorithms: list[str],
        allowed_principals: set[str],
        cache_size: int,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.algorithms = algorithms
        self.allowed = allowed_principals
        self.cache_size = cache_size
        self.verified: OrderedDict[bytes, tuple[float, str]] = OrderedDict()  # token -> (expiry, kid)

    async def check(self, token: bytes) -> None:
        remembered = self.verified.get(token)
        if remembered is not None:
            expires, kid = remembered
            if time.time() < expires + LEEWAY_SECONDS and self.keys.key(kid) is not None:
                return  # still valid, and its key is still in the issuer's key set
            del self.verified[token]
        if len(token) > MAX_TOKEN_BYTES:
            raise Rejected()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Rejected() from None
        if header.get("alg") not in self.algorithms:
            raise Rejected()  # "none", HS256 with a public key as secret, anything unexpected
        kid = str(header.get("kid") or "")
        key = self.keys.key(kid)
        if key is None:
            await self.keys.refresh_for_unknown_kid()
            key = self.keys.key(kid)
            if key is None:
                raise Rejected()
        claims = self._decode(token, key)
        principal = claims.get("email") or claims.get("sub")
        if self.allowed and principal not in self.allowed:
            raise Rejected(forbidden=True)
        self._remember(token, float(claims["exp"]), kid)

    def _decode(self, token: bytes, key: jwt.PyJWK) -> dict[str, Any]:
        if key.algorithm_name not in self.algorithms:
            raise Rejected()
        try:
            return jwt.decode(
                token,
                key=key,
                algorithms=[key.algorithm_name],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud"]},
            )
        except jwt.PyJWTError:
            raise Rejected() from None

    def _remember(self, token: bytes, expires: float, kid: str) -> None:
        if self.cache_size <= 0:
            return
        self.verified[token] = (expires, kid)
        if len(self.verified) > self.cache_size:
            self.verified.popitem(last=False)  # the oldest entry goes first: bounded memory


class ApiKeys:
    """API keys stored as SHA-256 hashes; every configured hash is compared in constant time."""

    def __init__(self, sha256_hashes: list[str]) -> None:
        self.hashes = [bytes.fromhex(h) for h in sha256_hashes]

    def check(self, key: bytes) -> None:
        if not self.accepts(key):
            raise Rejected()

    def accepts(self, key: bytes) -> bool:
        presented = hashlib.sha256(key).digest()
        return any([hmac.compare_digest(presented, known) for known in self.hashes])  # a list: no early exit
