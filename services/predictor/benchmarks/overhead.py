"""Back-to-back HTTP cost of telemetry and of authorization (`./task bench:telemetry`, `bench:auth`).

Each variant is a real server (1 worker: `predictor serve`, or uvicorn with the standard
OpenTelemetry instrumentation around our app, standard_otel.py), started once and warmed up, all
pinned to core 0 (only the one under load uses it); wrk on core 1 sends the challenge body. Variants
alternate in short runs, round by round, so that a noisy neighbour hurts them alike. Single runs
on this shared VM vary by +-20%, so the table reports the median of many rounds, their range,
and the ratio of the medians to the first variant. Sinks the service talks to (an OTLP
collector, a JWKS issuer) are served by this process on 127.0.0.1.
"""

import argparse
import contextlib
import hashlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

HERE = Path(__file__).parent
PREDICTOR = Path(sys.executable).with_name("predictor")
ISSUER, AUDIENCE = "https://issuer.bench.test", "https://predictor.bench.test"
PIN_SERVER, PIN_LOAD = ("taskset", "-c", "0"), ("taskset", "-c", "1")
DRAIN_SECONDS = 1.0  # let the last server finish its backlog before the next variant's run starts


class Sink(BaseHTTPRequestHandler):
    """Answers GET with the JWKS and swallows POSTs (OTLP exports) with 200."""

    jwks = b'{"keys": []}'

    def do_GET(self):
        self._answer(self.jwks)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self._answer(b"")

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start_sink() -> str:
    keys = {
        "RS256": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "ES256": ec.generate_private_key(ec.SECP256R1()),
    }
    jwks = [
        json.loads(jwt.algorithms.get_default_algorithms()[a].to_jwk(k.public_key())) | {"kid": a, "alg": a}
        for a, k in keys.items()
    ]
    Sink.jwks = json.dumps({"keys": jwks}).encode()
    Sink.keys = keys
    server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def token(alg: str) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 3600, "sub": "bench"}
    return jwt.encode(claims, Sink.keys[alg], algorithm=alg, headers={"kid": alg})


SERVE = (str(PREDICTOR), "serve")
# The standard instrumentation around our app, served with the same uvicorn settings as `predictor serve`.
STANDARD_OTEL = (
    sys.executable, "-m", "uvicorn", "standard_otel:create_app", "--factory", "--app-dir", str(HERE),
    "--host", "127.0.0.1", "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
)  # fmt: skip
Variant = tuple[tuple[str, ...], dict[str, str], str]  # command, environment, request header


def variants(kind: str, sink: str) -> dict[str, Variant]:
    """Name -> (server command, environment, request header) for each variant, the baseline first."""
    if kind == "telemetry":
        return {
            "telemetry off (OTEL_SDK_DISABLED=true)": (SERVE, {"OTEL_SDK_DISABLED": "true"}, ""),
            "ours: telemetry on, default sampling, OTLP export": (SERVE, {"OTEL_EXPORTER_OTLP_ENDPOINT": sink}, ""),
            "OpenTelemetry ASGI instrumentation + SDK metrics, same sampling and export": (
                STANDARD_OTEL,
                {"OTEL_EXPORTER_OTLP_ENDPOINT": sink},
                "",
            ),
        }
    jwt_env = {"AUTH_JWKS_URL": f"{sink}/certs", "AUTH_JWT_ISSUER": ISSUER, "AUTH_JWT_AUDIENCE": AUDIENCE}
    cold = jwt_env | {"AUTH_TOKEN_CACHE_SIZE": "0"}
    return {
        "no auth": (SERVE, {}, ""),
        "API key": (SERVE, {"AUTH_API_KEY_SHA256": hashlib.sha256(b"bench-key").hexdigest()}, "X-API-Key: bench-key"),
        "JWT, verified-token cache": (SERVE, jwt_env, f"Authorization: Bearer {token('RS256')}"),
        "JWT RS256, verified every request": (SERVE, cold, f"Authorization: Bearer {token('RS256')}"),
        "JWT ES256, verified every request": (SERVE, cold, f"Authorization: Bearer {token('ES256')}"),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(variants: dict[str, Variant]) -> Iterator[dict[str, str]]:
    """One server per variant, all on core 0 (only the one under load uses it), warmed up; yields
    each variant's URL, and stops them all at the end."""
    servers, urls = [], {}
    try:
        for name, (command, env, header) in variants.items():
            port = free_port()
            environ = os.environ | {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1"} | env
            argv = [*PIN_SERVER, *command, *(("--port", str(port)) if command != SERVE else ())]
            servers.append(subprocess.Popen(argv, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            _wait_ready(port)
            urls[name] = f"http://127.0.0.1:{port}/api"
            wrk(urls[name], header, 2, 64)  # first requests pay one-off costs (imports, caches)
        yield urls
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


def wrk(url: str, header: str, seconds: int, connections: int) -> dict[str, float]:
    argv = [
        *PIN_LOAD,
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(HERE / "challenge.lua"),
        url,
    ]
    out = subprocess.run(
        argv, env=os.environ | {"BENCH_HEADER": header}, capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"errors during the run:\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": _ms(out, "50%"),
        "p99": _ms(out, "99%"),
    }


def _ms(out: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wait_ready(port: int) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the service did not become ready")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=["telemetry", "auth"])
    parser.add_argument("--seconds", type=int, default=3, help="wrk duration per run (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=20, help="alternating rounds (default: %(default)s)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default: %(default)s)")
    args = parser.parse_args()
    runs = variants(args.kind, start_sink())
    results: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
    with serving(runs) as urls:
        for round_number in range(1, args.rounds + 1):
            for name, (_, _, header) in runs.items():
                results[name].append(wrk(urls[name], header, args.seconds, args.connections))
                time.sleep(DRAIN_SECONDS)
                print(f"round {round_number}/{args.rounds} {name}: {results[name][-1]}", flush=True)
    baseline = {key: statistics.median(r[key] for r in next(iter(results.values()))) for key in ("rps", "p99")}
    print(f"\nwrk -t1 -c{args.connections} -d{args.seconds}s, 1 worker, median of {args.rounds} alternating rounds\n")
    print("| variant | req/s (min-max) | p50 ms | p99 ms (min-max) | throughput ratio | p99 ratio |")
    print("|---|---|---|---|---|---|")
    for name, rows in results.items():
        rps, p50, p99 = (statistics.median(r[key] for r in rows) for key in ("rps", "p50", "p99"))
        low, high = min(r["rps"] for r in rows), max(r["rps"] for r in rows)
        p99_low, p99_high = min(r["p99"] for r in rows), max(r["p99"] for r in rows)
        print(
            f"| {name} | {rps:,.0f} ({low:,.0f}-{high:,.0f}) | {p50:.2f} | {p99:.2f} ({p99_low:.2f}-{p99_high:.2f}) "
            f"| {rps / baseline['rps']:.2f} | {p99 / baseline['p99']:.2f} |"
        )


if __name__ == "__main__":
    main()
