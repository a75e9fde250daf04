"""Back-to-back HTTP cost of telemetry, of authorization, and of the whole service against the
bare-ASGI ceiling (`./task bench:telemetry`, `bench:auth`, `bench:ceiling`).

Each variant is a real server (1 worker: `predictor serve`; uvicorn with the standard
OpenTelemetry instrumentation around our app, standard_otel.py; or uvicorn with the bare app of
loadtests/reference/bare_asgi.py, the same model and nothing else), started once and warmed up, all
pinned to core 0 (only the one under load uses it); wrk on core 1 sends the challenge body. Variants
alternate in short runs, round by round, so that a noisy neighbour hurts them alike. Single runs
on a shared VM vary widely, so the table reports the median of many rounds, their range, and
the ratio of the medians to the first variant. What the service talks to (a JWKS issuer, an
OTLP collector) is harness.jwks.Issuer, served by this process on 127.0.0.1.
"""

import argparse
import contextlib
import dataclasses
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from harness import anchors, server, wrk
from harness.bench_tables import SERVED_LIKE_OURS, overhead_table
from harness.jwks import Issuer
from harness.payloads import CHALLENGE_VECTOR, single_body

HERE = Path(__file__).parent
PIN_SERVER, PIN_LOAD = ("taskset", "-c", "0"), ("taskset", "-c", "1")
DRAIN_SECONDS = 1.0  # let the last server finish its backlog before the next variant's run starts
Variant = tuple[Callable[[int], server.Server], str]  # the server on a port, the request header


def pinned(spec: server.Server) -> server.Server:
    return dataclasses.replace(spec, command=(*PIN_SERVER, *spec.command))


def ours(env: dict[str, str]) -> Callable[[int], server.Server]:
    """`predictor serve`, one worker, pinned to core 0."""
    return lambda port: pinned(server.predictor(port, 1, env))


def ceiling(port: int) -> server.Server:
    """The bare ASGI app with the same model and decoder, pinned to core 0."""
    return pinned(anchors.specs(port, "bare"))


def ceiling_served_like_ours(port: int) -> server.Server:
    """The same bare app in our uvicorn config (bare_served_like_ours.py), pinned to core 0."""
    command = (*PIN_SERVER, sys.executable, str(HERE / "bare_served_like_ours.py"))
    env = {"HOST": "127.0.0.1", "PORT": str(port)}
    return server.Server("bare, served like ours", command, env, "/api", single_body(CHALLENGE_VECTOR))


def standard_otel(env: dict[str, str]) -> Callable[[int], server.Server]:
    """Our app inside OpenTelemetry's standard ASGI instrumentation, served as `predictor serve` would."""

    def on(port: int) -> server.Server:
        app = ("standard_otel:create_app", "--factory", "--app-dir", str(HERE), "--log-level", "warning")
        command = (*PIN_SERVER, *server.UVICORN, "--host", "127.0.0.1", "--port", str(port), *app)
        return server.Server("standard-otel", command, env, "/health/ready")

    return on


def variants(kind: str, issuer: Issuer) -> dict[str, Variant]:
    """Name -> (server, request header) for each variant, the baseline first. The issuer serves the
    keys and swallows the OTLP exports."""
    export = {"OTEL_EXPORTER_OTLP_ENDPOINT": issuer.base}
    if kind == "ceiling":
        return {
            anchors.TITLES["bare"]: (ceiling, ""),
            SERVED_LIKE_OURS: (ceiling_served_like_ours, ""),
            "ours: telemetry off (OTEL_SDK_DISABLED=true)": (ours({"OTEL_SDK_DISABLED": "true"}), ""),
            "ours: telemetry on, default sampling, OTLP export": (ours(export), ""),
        }
    if kind == "telemetry":
        return {
            "telemetry off (OTEL_SDK_DISABLED=true)": (ours({"OTEL_SDK_DISABLED": "true"}), ""),
            "ours: telemetry on, default sampling, OTLP export": (ours(export), ""),
            "OpenTelemetry ASGI instrumentation + SDK metrics, same sampling and export": (standard_otel(export), ""),
        }
    jwt_env = {
        "AUTH_JWKS_URL": issuer.url,  # http on loopback, which the service allows
        "AUTH_JWT_ISSUER": issuer.issuer,
        "AUTH_JWT_AUDIENCE": issuer.audience,
        "AUTH_ALLOWED_PRINCIPALS": "bench",
    }
    cold = jwt_env | {"AUTH_TOKEN_CACHE_SIZE": "0"}
    rsa_token, ec_token = (issuer.token(kid, sub="bench") for kid in ("rsa-1", "ec-1"))
    return {
        "no auth": (ours({}), ""),
        "API key": (ours({"AUTH_API_KEY_SHA256": hashlib.sha256(b"bench-key").hexdigest()}), "X-API-Key: bench-key"),
        "JWT, verified-token cache": (ours(jwt_env), f"Authorization: Bearer {rsa_token}"),
        "JWT RS256, verified every request": (ours(cold), f"Authorization: Bearer {rsa_token}"),
        "JWT ES256, verified every request": (ours(cold), f"Authorization: Bearer {ec_token}"),
    }


@contextlib.contextmanager
def serving(variants: dict[str, Variant], folder: Path) -> Iterator[dict[str, str]]:
    """One server per variant, warmed up; yields each variant's URL, and stops them all at the end."""
    started: list[server.Running] = []
    try:
        for spec, header in variants.values():
            port = server.free_port()
            started.append(server.start(spec(port), port, folder / f"server-{len(started)}.log"))
            measure(started[-1].url, header, 2, 64, folder)  # first requests pay one-off costs (imports, caches)
        yield {name: running.url for name, running in zip(variants, started, strict=True)}
    finally:
        for running in started:
            running.stop()


def measure(url: str, header: str, seconds: int, connections: int, folder: Path) -> dict[str, float]:
    """One wrk run of the challenge's body from core 1: throughput, p50 and p99; any error stops the run."""
    payloads = folder / "challenge.txt"
    payloads.write_bytes(single_body(CHALLENGE_VECTOR) + b"\n")
    command = [*PIN_LOAD, *wrk.command(url, payloads, 1, connections, seconds)]
    result = wrk.parse(wrk.run(command, folder / "wrk.txt", {"LOADTEST_HEADER": header}), "bench")
    if result.errors:
        raise RuntimeError(f"errors during the run: {result.errors}")
    return {
        "rps": result.requests / result.duration_s,
        "p50": result.latency_ms["p50"],
        "p99": result.latency_ms["p99"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=["telemetry", "auth", "ceiling"])
    parser.add_argument("--seconds", type=int, default=3, help="wrk duration per run (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=20, help="alternating rounds (default: %(default)s)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="write every round's figures here (for bench:publish)")
    args = parser.parse_args()
    issuer = Issuer("https://issuer.bench.test", "https://predictor.bench.test")
    runs = variants(args.kind, issuer)
    results: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch, serving(runs, Path(scratch)) as urls:
        for round_number in range(1, args.rounds + 1):
            for name, (_, header) in runs.items():
                results[name].append(measure(urls[name], header, args.seconds, args.connections, Path(scratch)))
                time.sleep(DRAIN_SECONDS)
                print(f"round {round_number}/{args.rounds} {name}: {results[name][-1]}", flush=True)
    result = {"wrk": f"-t1 -c{args.connections} -d{args.seconds}s", "rounds": args.rounds, "variants": results}
    print("\n" + overhead_table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
