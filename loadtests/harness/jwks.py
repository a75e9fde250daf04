"""A token issuer on 127.0.0.1 for tests, benchmarks and load tests: it signs JWTs and serves their
public keys as a JWKS, and can be taken down, slowed to a trickle or padded to any size (the
attacks the service must survive). It accepts POSTs and keeps the last few (`exports`), so it
doubles as the OTLP receiver a traced service exports to."""

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def jwk(key: SigningKey, kid: str, alg: str) -> dict[str, Any]:
    """The public half of `key` as a JWK."""
    public: dict[str, Any] = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(key.public_key()))
    return public | {"kid": kid, "alg": alg, "use": "sig"}


def sign(key: SigningKey, kid: str, alg: str, issuer: str, audience: str, **claims: Any) -> str:
    """A JWT for `audience` from `issuer`, valid for an hour unless `claims` say otherwise."""
    now = int(time.time())
    payload = {"iss": issuer, "aud": audience, "iat": now, "exp": now + 3600} | claims
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid})


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


class Issuer:
    """Serves `keys` (a list of JWKs the caller may change) at `url`; signs tokens for `issuer`."""

    def __init__(self, issuer: str, audience: str, signing: dict[str, tuple[SigningKey, str]] | None = None) -> None:
        self.issuer, self.audience = issuer, audience
        self.signing = signing or {"rsa-1": (rsa_key(), "RS256"), "ec-1": (ec_key(), "ES256")}
        self.keys = [jwk(key, kid, alg) for kid, (key, alg) in self.signing.items()]
        self.up = True
        self.fetches = 0
        self.trickle = 0.0  # seconds between the bytes of a key set, when not 0
        self.padding = 0  # bytes of padding in the key set
        self.exports: deque[tuple[str, bytes]] = deque(maxlen=100)  # (path, body) of the last POSTs
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.url = f"{self.base}/certs"
        # a short poll interval: shutdown() waits for it, in every test's teardown
        threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True).start()

    def token(self, kid: str = "rsa-1", key: SigningKey | None = None, alg: str | None = None, **claims: Any) -> str:
        """A token signed with the key of `kid`, or with `key` and `alg` (a key the set does not hold)."""
        own, own_alg = self.signing.get(kid, self.signing["rsa-1"])
        return sign(key or own, kid, alg or own_alg, self.issuer, self.audience, **claims)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                issuer.fetches += 1
                if not issuer.up:
                    self.send_error(503)
                    return
                body = json.dumps({"keys": issuer.keys, "padding": "x" * issuer.padding}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                if not issuer.trickle:
                    self.wfile.write(body)
                    return
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(issuer.trickle)

            def do_POST(self) -> None:  # an OTLP export
                issuer.exports.append((self.path, self.rfile.read(int(self.headers.get("content-length", 0)))))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
