"""In-process cost of checking one credential (`./task bench:request-path`).

Cold = a signature check every time (AUTH_TOKEN_CACHE_SIZE=0); cached = a caller that reuses its
token, which is what Google client libraries do for about an hour.
"""

import asyncio
import hashlib
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from predictor.auth.credentials import ApiKeys, JwtVerifier
from predictor.auth.jwks import JwksCache

ISSUER, AUDIENCE = "https://accounts.example.test", "https://predictor.example.test"
CHECKS = 500
KEYS = {
    "RS256": rsa.generate_private_key(public_exponent=65537, key_size=2048),
    "ES256": ec.generate_private_key(ec.SECP256R1()),
}


def verifier(cache_size: int) -> JwtVerifier:
    keys = JwksCache("http://127.0.0.1:1/unused", 300, lambda ok: None)
    for alg, private in KEYS.items():
        public = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(private.public_key()))
        keys.keys[alg] = jwt.PyJWK(public | {"kid": alg, "alg": alg})
    return JwtVerifier(keys, ISSUER, AUDIENCE, list(KEYS), set(), cache_size)


def signed(alg: str) -> bytes:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 3600, "sub": "caller"}
    return jwt.encode(claims, KEYS[alg], algorithm=alg, headers={"kid": alg}).encode()


def check_many(check, credential: bytes) -> None:
    async def many():
        for _ in range(CHECKS):
            await check(credential)

    asyncio.run(many())


@pytest.mark.parametrize(
    ("cache_size", "alg"),
    [(0, "RS256"), (0, "ES256"), (1024, "RS256")],
    ids=["jwt-rs256-cold", "jwt-es256-cold", "jwt-cached"],
)
def test_jwt_check(benchmark, cache_size, alg):
    benchmark.extra_info["checks_per_round"] = CHECKS
    benchmark.pedantic(check_many, args=(verifier(cache_size).check, signed(alg)), rounds=5, warmup_rounds=1)


def test_api_key_check(benchmark):
    keys = ApiKeys([hashlib.sha256(b"k1").hexdigest(), hashlib.sha256(b"k2").hexdigest()])

    async def check(key: bytes) -> None:
        keys.check(key)

    benchmark.extra_info["checks_per_round"] = CHECKS
    benchmark.pedantic(check_many, args=(check, b"k2"), rounds=5, warmup_rounds=1)
