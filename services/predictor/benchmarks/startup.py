"""Start-to-ready of the service against the framework's floor (`./task bench:startup`).

Cloud Run pays the start-up on every cold start. The floor is what no Litestar service on uvicorn
can beat: a Python process that only imports both, `python -c "import litestar, uvicorn"`, timed
to the moment the imports are done (a line it prints then), so its exit is not counted. The
service's figure is from `predictor serve` (production settings, 1 worker) to the first 200 on
GET /health/ready. The two alternate, run by run, so that a noisy neighbour hurts them alike;
the result is the ratio of the medians. Prints a table and writes the raw times as JSON.
It runs in the image too (`./task image:startup`), where only the standard library and the
service are installed: the caller picks the port (`--port`).
"""

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

PREDICTOR = Path(sys.executable).with_name("predictor")
FLOOR = [sys.executable, "-c", "import litestar, uvicorn; print('imported', flush=True)"]
POLL_SECONDS = 0.005  # the readiness poll's granularity, about 1% of the figure measured


def floor_seconds() -> float:
    started = time.perf_counter()
    with subprocess.Popen(FLOOR, stdout=subprocess.PIPE) as floor:
        assert floor.stdout is not None and floor.stdout.readline() == b"imported\n"
        seconds = time.perf_counter() - started
    if floor.returncode != 0:
        raise RuntimeError(f"the floor command exited with {floor.returncode}")
    return seconds


def service_seconds(port: int, env: dict[str, str]) -> float:
    """Start `predictor serve` on `port`, time it to the first 200 on /health/ready, then stop it."""
    environ = os.environ | {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1"} | env
    started = time.perf_counter()
    server = subprocess.Popen([PREDICTOR, "serve"], env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not _ready(port):
            if server.poll() is not None:
                raise RuntimeError(f"predictor serve exited with {server.returncode}")
            if time.perf_counter() - started > 30:
                raise RuntimeError("predictor serve was not ready within 30 s")
            time.sleep(POLL_SECONDS)
        return time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=20)


def _ready(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/health/ready")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="starts of each kind (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="write the raw times and medians here")
    parser.add_argument("--port", type=int, required=True, help="a free port on 127.0.0.1 for the service")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="extra service setting (repeatable)"
    )
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    floor_seconds()  # the first start of each warms the page cache; neither counts
    service_seconds(args.port, env)
    floor, service = [], []
    for run in range(1, args.runs + 1):
        floor.append(floor_seconds())
        service.append(service_seconds(args.port, env))
        print(f"run {run}/{args.runs}: floor {floor[-1]:.3f} s, service {service[-1]:.3f} s", flush=True)
    result = {
        "runs": args.runs,
        "python": platform.python_version(),
        "service_env": env,
        "floor_command": "python -c 'import litestar, uvicorn' (to the end of the imports)",
        "floor_seconds": floor,
        "service_seconds": service,
        "floor_median": statistics.median(floor),
        "service_median": statistics.median(service),
    }
    result["ratio"] = result["service_median"] / result["floor_median"]
    print(f"\nmedian of {args.runs} alternating starts\n")
    print("| what | median s (min-max) |")
    print("|---|---|")
    for what, times in (("floor: `python -c 'import litestar, uvicorn'`", floor), ("service: to first ready", service)):
        print(f"| {what} | {statistics.median(times):.3f} ({min(times):.3f}-{max(times):.3f}) |")
    print(f"\nratio service/floor: {result['ratio']:.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
