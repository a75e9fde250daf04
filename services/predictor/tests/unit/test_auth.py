"""In-app authorization under attack: tokens the tests sign, a JWKS served on 127.0.0.1."""

import asyncio
import hashlib
import hmac
import json
import threading
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from harness.jwks import Issuer, jwk, sign
from litestar.testing import TestClient

from predictor.app import create_app
from predictor.auth import jwks
from predictor.auth.credentials import JwtVerifier, Rejected
from predictor.auth.jwks import JwksCache
from predictor.features import CHALLENGE_EXAMPLE
from predictor.settings import SettingsError, load_settings

ISSUER = "https://accounts.example.test"
AUDIENCE = "https://predictor.example.test"
CALLER = "caller@project.iam.gserviceaccount.com"
BODY = {"array": list(CHALLENGE_EXAMPLE)}
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
API_KEYS = ("old-key-still-valid", "new-key")


def token(key=RSA_KEY, kid="rsa-1", alg="RS256", **claims) -> str:
    return sign(key, kid, alg, ISSUER, AUDIENCE, **({"email": CALLER} | claims))


@pytest.fixture
def issuer():
    """A JWKS endpoint on 127.0.0.1 whose key set the tests can change, take down, slow to a trickle
    or pad to any size."""
    running = Issuer(ISSUER, AUDIENCE, {"rsa-1": (RSA_KEY, "RS256"), "ec-1": (EC_KEY, "ES256")})
    yield running
    running.close()


def client_for(environ: dict[str, str]) -> TestClient:
    return TestClient(create_app(load_settings(environ)))


@pytest.fixture
def jwt_client(issuer):
    environ = {
        "AUTH_JWKS_URL": issuer.url,
        "AUTH_JWT_ISSUER": ISSUER,
        "AUTH_JWT_AUDIENCE": AUDIENCE,
        "AUTH_ALLOWED_PRINCIPALS": f"{CALLER},other@example.test",
    }
    with client_for(environ) as client:
        yield client


def call(client: TestClient, bearer: str | None = None, **headers):
    if bearer is not None:
        headers["authorization"] = f"Bearer {bearer}"
    return client.post("/api", json=BODY, headers=headers)


def forge_none() -> str:
    header = jwt.utils.base64url_encode(json.dumps({"alg": "none", "kid": "rsa-1"}).encode())
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 60, "email": CALLER}
    return f"{header.decode()}.{jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()}."


def forge_hs256_with_public_key() -> str:
    """The classic confusion attack: HMAC keyed with the issuer's public key, which is public."""
    pem = RSA_KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = {"alg": "HS256", "kid": "rsa-1", "typ": "JWT"}
    segments = [
        jwt.utils.base64url_encode(json.dumps(part).encode())
        for part in (header, jwt.decode(token(), options={"verify_signature": False}))
    ]
    signing_input = b".".join(segments)
    signature = jwt.utils.base64url_encode(hmac.new(pem, signing_input, hashlib.sha256).digest())
    return (signing_input + b"." + signature).decode()


def test_valid_rs256_and_es256_tokens_pass(jwt_client):
    assert call(jwt_client, token()).status_code == 200
    assert call(jwt_client, token(EC_KEY, "ec-1", "ES256")).status_code == 200


ATTACKS = {
    "expired": lambda: token(exp=int(time.time()) - 120),
    "not yet valid": lambda: token(nbf=int(time.time()) + 600),
    "wrong audience": lambda: token(aud="https://someone-else.example.test"),
    "wrong issuer": lambda: token(iss="https://evil.example.test"),
    "bad signature": lambda: token(OTHER_RSA_KEY),
    "alg none": forge_none,
    "HS256 keyed with the public key": forge_hs256_with_public_key,
    "unknown kid": lambda: token(kid="rotated-away"),
    "oversized": lambda: token(padding="x" * 10_000),
    "garbage": lambda: "not.a.jwt",
    "missing exp": lambda: jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "iat": 1}, RSA_KEY, "RS256", {"kid": "rsa-1"}),
}


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_attacks_get_401_with_a_challenge_and_no_reason(jwt_client, attack):
    response = call(jwt_client, ATTACKS[attack]())
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="predictor", error="invalid_token"'
    assert response.json() == {"error": "invalid_credentials", "detail": "send valid credentials", "field": None}


def test_missing_credentials_get_401(jwt_client):
    response = call(jwt_client)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="predictor"'
    assert call(jwt_client, **{"authorization": "Basic dXNlcjpwYXNz"}).status_code == 401


def test_valid_token_of_a_caller_not_on_the_allowlist_gets_403(jwt_client):
    response = call(jwt_client, token(email="intruder@example.test"))
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_small_clock_skew_is_tolerated(jwt_client):
    assert call(jwt_client, token(exp=int(time.time()) - 5)).status_code == 200


def test_health_model_and_metrics_stay_open(jwt_client):
    for path in ("/health/live", "/health/ready", "/model", "/metrics", "/schema/openapi.json"):
        assert jwt_client.get(path).status_code == 200


def test_rejections_are_counted(jwt_client):
    call(jwt_client)
    call(jwt_client, "garbage")
    text = jwt_client.get("/metrics").text
    assert 'predictor_auth_rejections_total{http_response_status_code="401"} 2' in text


def test_key_rotation_is_picked_up_through_an_unknown_kid(issuer, jwt_client, monkeypatch):
    monkeypatch.setattr(jwks, "MIN_REFETCH_SECONDS", 0.0)
    assert call(jwt_client, token()).status_code == 200
    issuer.keys = [jwk(OTHER_RSA_KEY, "rsa-2", "RS256")]
    assert call(jwt_client, token(OTHER_RSA_KEY, "rsa-2")).status_code == 200


def test_issuer_down_keeps_verifying_with_cached_keys(issuer):
    async def scenario():
        outcomes: list[bool] = []
        keys = JwksCache(issuer.url, 300, outcomes.append)
        assert await keys.refresh()
        verifier = JwtVerifier(keys, ISSUER, AUDIENCE, ["RS256", "ES256"], set(), cache_size=0)
        issuer.up = False
        assert not await keys.refresh()
        assert outcomes == [True, False]
        await verifier.check(token().encode())  # a fresh token, verified with the cached key: no exception
        with pytest.raises(Rejected):
            await verifier.check(token(OTHER_RSA_KEY).encode())

    asyncio.run(scenario())


def test_a_trickling_issuer_cannot_stall_verification(issuer, monkeypatch):
    monkeypatch.setattr(jwks, "FETCH_SECONDS", 1.0)

    async def scenario():
        keys = JwksCache(issuer.url, 300, lambda ok: None)
        assert await keys.refresh()
        verifier = JwtVerifier(keys, ISSUER, AUDIENCE, ["RS256"], set(), cache_size=0)
        issuer.trickle = 0.2  # a whole key set would take minutes
        fetch = asyncio.create_task(keys.refresh())
        await asyncio.sleep(0.1)
        await verifier.check(token().encode())  # a known kid: no waiting for the fetch under way
        assert not fetch.done()
        assert await fetch is False  # given up after FETCH_SECONDS in total
        assert keys.key("rsa-1") is not None  # the keys it had are kept

    asyncio.run(scenario())


def test_an_oversized_key_set_is_refused(issuer):
    async def scenario():
        keys = JwksCache(issuer.url, 300, lambda ok: None)
        issuer.padding = jwks.MAX_JWKS_BYTES
        assert not await keys.refresh()
        assert keys.keys == {}

    asyncio.run(scenario())


def test_keys_are_parsed_off_the_event_loop(issuer, monkeypatch):
    threads = []
    parse = jwks.parse_keys
    monkeypatch.setattr(jwks, "parse_keys", lambda body: threads.append(threading.current_thread()) or parse(body))

    async def scenario():
        assert await JwksCache(issuer.url, 300, lambda ok: None).refresh()

    asyncio.run(scenario())
    assert threads and threads[0] is not threading.main_thread()


def test_a_remembered_token_is_refused_once_its_key_leaves_the_key_set(issuer, monkeypatch):
    monkeypatch.setattr(jwks, "MIN_REFETCH_SECONDS", 0.0)

    async def scenario():
        keys = JwksCache(issuer.url, 300, lambda ok: None)
        await keys.refresh()
        verifier = JwtVerifier(keys, ISSUER, AUDIENCE, ["RS256"], set(), cache_size=10)
        remembered = token().encode()
        await verifier.check(remembered)
        issuer.keys = [jwk(OTHER_RSA_KEY, "rsa-2", "RS256")]  # the issuer revoked rsa-1
        await keys.refresh()
        with pytest.raises(Rejected):
            await verifier.check(remembered)

    asyncio.run(scenario())


def test_readiness_is_503_while_no_signing_key_is_loaded(issuer, monkeypatch):
    monkeypatch.setattr(jwks, "MIN_REFETCH_SECONDS", 0.0)
    issuer.up = False
    environ = {"AUTH_JWKS_URL": issuer.url, "AUTH_JWT_ISSUER": ISSUER, "AUTH_JWT_AUDIENCE": AUDIENCE}
    with client_for(environ) as client:
        assert client.get("/health/ready").status_code == 503
        issuer.up = True
        assert call(client, token()).status_code == 200  # the unknown kid fetched the keys
        assert client.get("/health/ready").status_code == 200
        text = client.get("/metrics").text
    counts = {
        line.split()[0]: float(line.split()[1]) for line in text.splitlines() if line.startswith("predictor_auth_jwks")
    }
    # the retry loop runs as often as it may (MIN_REFETCH_SECONDS is 0 here) while the issuer is down
    assert counts["predictor_auth_jwks_refresh_failures_total"] >= 1
    assert counts["predictor_auth_jwks_refreshes_total"] == 1


def test_reused_token_is_not_verified_twice(issuer):
    async def scenario():
        keys = JwksCache(issuer.url, 300, lambda ok: None)
        await keys.refresh()
        verifier = JwtVerifier(keys, ISSUER, AUDIENCE, ["RS256"], set(), cache_size=2)
        first, second, third = (token(jti=str(i)).encode() for i in range(3))
        await verifier.check(first)
        assert first in verifier.verified
        verify, verifier._decode = verifier._decode, None  # a signature check now would raise TypeError
        await verifier.check(first)  # so this one came from the verified-token cache
        verifier._decode = verify
        await verifier.check(second)
        await verifier.check(third)
        assert list(verifier.verified) == [second, third]  # bounded: the oldest entry left

    asyncio.run(scenario())


def test_unknown_kid_floods_do_not_hammer_the_issuer(issuer, jwt_client):
    call(jwt_client, token())
    before = issuer.fetches
    for i in range(20):
        assert call(jwt_client, token(kid=f"forged-{i}")).status_code == 401
    assert issuer.fetches - before <= 1


@pytest.fixture
def api_key_client():
    hashes = ",".join(hashlib.sha256(key.encode()).hexdigest() for key in API_KEYS)
    with client_for({"AUTH_API_KEY_SHA256": hashes}) as client:
        yield client


@pytest.mark.parametrize("key", API_KEYS)
def test_either_api_key_passes_during_a_rotation(api_key_client, key):
    assert call(api_key_client, **{"x-api-key": key}).status_code == 200


def test_wrong_or_missing_api_key_gets_401(api_key_client):
    wrong = call(api_key_client, **{"x-api-key": "guess"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("APIKey")
    assert call(api_key_client).status_code == 401


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"AUTH_JWKS_URL": "http://127.0.0.1/certs"}, "needs AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE"),
        ({"AUTH_API_KEY_SHA256": "plaintext-key"}, "is not a SHA-256 hex digest"),
        ({"AUTH_JWT_ALGORITHMS": "RS256,HS256"}, "asymmetric algorithms"),
        ({"AUTH_JWT_ALGORITHMS": "none"}, "asymmetric algorithms"),
        (
            {"AUTH_JWKS_URL": "http://issuer.example.test/certs", "AUTH_JWT_ISSUER": ISSUER, "AUTH_JWT_AUDIENCE": "a"},
            "https only",
        ),
        (
            {
                "AUTH_JWKS_URL": "https://www.googleapis.com/oauth2/v3/certs",
                "AUTH_JWT_ISSUER": "https://accounts.google.com",
                "AUTH_JWT_AUDIENCE": AUDIENCE,
            },
            "AUTH_ALLOWED_PRINCIPALS is required",
        ),
    ],
)
def test_unsafe_auth_settings_are_refused(environ, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(environ)


def test_plain_http_keys_are_accepted_on_loopback_only_and_google_with_an_allowlist():
    loopback = {"AUTH_JWKS_URL": "http://127.0.0.1:1/certs", "AUTH_JWT_ISSUER": ISSUER, "AUTH_JWT_AUDIENCE": "a"}
    assert load_settings(loopback).auth_jwks_url == loopback["AUTH_JWKS_URL"]
    google = {
        "AUTH_JWKS_URL": "https://www.googleapis.com/oauth2/v3/certs",
        "AUTH_JWT_ISSUER": "https://accounts.google.com",
        "AUTH_JWT_AUDIENCE": AUDIENCE,
        "AUTH_ALLOWED_PRINCIPALS": CALLER,
    }
    assert load_settings(google).auth_allowed_principals == CALLER
