"""`python -m harness run|compare|fairness|report|publish|payloads`: the commands behind `task loadtest`.

Every setting has a default and an environment variable (listed in docs/loadtest.md); command-line
flags override both.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from harness import compare, environment, fairness, phases, report, server
from harness.payloads import single_lines, valid_vectors
from harness.thresholds import Thresholds

LOADTESTS = Path(__file__).resolve().parents[1]
ALL_PHASES = ("stress", "mix", "open")


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _token() -> str | None:
    return os.environ.get("LOADTEST_BEARER_TOKEN") or os.environ.get("ID_TOKEN") or None


def _remote() -> str | None:
    """HOST counts as a target only when it is a URL; a bare HOST is the local bind address."""
    host = os.environ.get("HOST", "")
    return host.rstrip("/") if host.startswith(("http://", "https://")) else None


def report_folder(label: str = "") -> Path:
    root = Path(_env("LOADTEST_REPORTS", str(LOADTESTS / "reports")))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = root / (f"{stamp}-{label}" if label else stamp)
    folder.mkdir(parents=True)
    return folder


def _check_remote(url: str, token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    # url comes from HOST and _remote() admits only http:// and https://
    request = urllib.request.Request(f"{url}/health/ready", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 (a non-2xx raises HTTPError)
            return
    except urllib.error.URLError as error:
        raise RuntimeError(f"{url}/health/ready is not ready: {error}") from error


@contextmanager
def local(kind: str, workers: int, log: Path):
    """Start `kind` (predictor or reference) on a free 127.0.0.1 port; yield its URL; stop it."""
    port = server.free_port()
    spec = server.reference(port) if kind == "reference" else server.predictor(port, workers)
    print(f"starting {' '.join(spec.command)} on 127.0.0.1:{port}", flush=True)
    with server.running(spec, port, log) as url:
        yield url


@contextmanager
def target(kind: str, workers: int, log: Path):
    """Yield (URL, workers) under test: the remote HOST (workers unknown), or a local server."""
    if url := _remote():
        _check_remote(url, _token())
        yield url, None
        return
    with local(kind, workers, log) as url:
        yield url, workers


def _methodology(url: str, workers: int | None, commands: dict[str, str], args) -> list[str]:
    where = (
        f"local `{args.server}` on {url}, {workers} worker(s), started by the harness and stopped after the run"
        if workers
        else f"remote service {url}"
    )
    lines = [f"Target: {where}. Readiness was confirmed before any load."]
    if "stress" in commands:
        lines.append(
            f"Capacity (wrk, closed model): {args.connections} connections on {args.threads} "
            f"thread(s) for {args.duration:g} s, each request one of the {len(valid_vectors())} valid "
            f"one-hot flights (rotated); a 200 counts only if its body is one 0/1 prediction. "
            f"`{commands['stress']}`"
        )
    if "mix" in commands:
        lines.append(
            f"Mixed traffic (Locust FastHttpUser): {args.users} users paced at {args.user_rps:g} "
            f"req/s each for {args.mix_duration:g} s, with the traffic mix of `locustfile.py`: single "
            "flights (one-hot and by name), batches, and malformed requests that must get a 4xx JSON error."
        )
    if "open" in commands:
        lines.append(
            f"Open model (harness.openloop, asyncio + uvloop, raw HTTP/1.1 keep-alive): requests "
            f"due at a fixed {args.rate:g} req/s for {args.open_duration:g} s whatever the "
            "responses do; latency counts from the due time, so queueing is not hidden."
        )
    return lines


def cmd_run(args) -> int:
    folder = report_folder()
    thresholds = Thresholds.from_env()
    commands: dict[str, str] = {}
    with target(args.server, args.workers, folder / "server.log") as (url, workers):
        env = environment.describe(workers, url)
        if "stress" in args.phases:
            commands["stress"] = phases.stress(url, folder, args.threads, args.connections, args.duration)
        if "mix" in args.phases:
            commands["mix"] = phases.mix(url, folder, args.users, args.user_rps, args.mix_duration)
        if "open" in args.phases:
            commands["open"] = phases.open_model(url, folder, args.rate, args.open_duration, _token())
    run = {
        "environment": env,
        "methodology": _methodology(url, workers, commands, args),
        "commands": commands,
        "thresholds": thresholds.__dict__,
    }
    (folder / "run.json").write_text(json.dumps(run, indent=2) + "\n")
    return _finish(folder)


def _finish(folder: Path) -> int:
    results, checks = report.build(folder)
    print("\n" + report.results_table(results) + "\n\n" + report.checks_table(checks))
    passed = all(c.passed for c in checks)
    print(f"\n{'PASS' if passed else 'FAIL'}: report in {folder}/summary.md")
    return 0 if passed else 1


def cmd_compare(args) -> int:
    folder = report_folder("compare")
    env = environment.describe(args.workers, "127.0.0.1 (both servers started by the harness)")
    rows = {}
    for kind in ("reference", "predictor"):
        with local(kind, args.workers, folder / f"{kind}_server.log") as url:
            rows[kind] = compare.measure(url, folder, kind, args)
    return compare.write(folder, rows, env, args)


def _given(folder: str) -> Path:
    """A folder named on the command line, relative to where the user ran `task` (CALLER_DIR)."""
    return Path(os.environ.get("CALLER_DIR", ".")) / folder


def cmd_report(args) -> int:
    return _finish(_given(args.folder))


def cmd_publish(args) -> int:
    """Copy a run into reports/published/, without what can be regenerated or is only noise."""
    source = _given(args.folder)
    dest = LOADTESTS / "reports/published" / source.name
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("payloads.txt", "*server.log"))
    print(f"published {source} as {dest}; link it from docs/loadtest.md")
    return 0


def cmd_fairness(args) -> int:
    folder = report_folder("fairness")
    print(fairness.measure(folder, args.rounds, args.duration))
    print(f"raw wrk outputs in {folder}")
    return 0


def cmd_payloads(_args) -> int:
    sys.stdout.buffer.write(single_lines())
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m harness", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    load = argparse.ArgumentParser(add_help=False)
    load.add_argument("--workers", type=int, default=int(_env("WEB_CONCURRENCY", "1")))
    load.add_argument("--threads", type=int, default=int(_env("LOADTEST_THREADS", "1")))
    load.add_argument("--connections", type=int, default=int(_env("LOADTEST_CONNECTIONS", "64")))
    run = sub.add_parser("run", parents=[load], help="capacity, mixed and open-model phases")
    run.add_argument("--server", choices=("predictor", "reference"), default="predictor")
    run.add_argument(
        "--phases", type=lambda s: s.split(","), default=_env("LOADTEST_PHASES", ",".join(ALL_PHASES)).split(",")
    )
    run.add_argument("--duration", type=float, default=float(_env("LOADTEST_DURATION", "40")))
    run.add_argument("--users", type=int, default=int(_env("LOADTEST_USERS", "20")))
    run.add_argument("--user-rps", type=float, default=float(_env("LOADTEST_USER_RPS", "25")))
    run.add_argument("--mix-duration", type=float, default=float(_env("LOADTEST_MIX_DURATION", "20")))
    run.add_argument("--rate", type=float, default=float(_env("LOADTEST_RATE", "2000")))
    run.add_argument("--open-duration", type=float, default=float(_env("LOADTEST_OPEN_DURATION", "30")))
    run.set_defaults(func=cmd_run)
    cmp = sub.add_parser("compare", parents=[load], help="reference app against our service")
    cmp.add_argument("--duration", type=float, default=float(_env("LOADTEST_COMPARE_DURATION", "15")))
    cmp.add_argument("--min-ratio", type=float, default=float(_env("LOADTEST_MIN_RATIO", "12")))
    cmp.set_defaults(func=cmd_compare)
    rep = sub.add_parser("report", help="rebuild summary.md and plots of a report folder")
    rep.add_argument("folder")
    rep.set_defaults(func=cmd_report)
    pub = sub.add_parser("publish", help="copy a report folder into reports/published/")
    pub.add_argument("folder")
    pub.set_defaults(func=cmd_publish)
    fair = sub.add_parser("fairness", help="single-row p99 beside a flood of 1000-row batches, with and without turns")
    fair.add_argument("--rounds", type=int, default=3)
    fair.add_argument("--duration", type=float, default=8)
    fair.set_defaults(func=cmd_fairness)
    sub.add_parser("payloads", help="print the 552 valid bodies, one per line").set_defaults(func=cmd_payloads)
    return p


def main(argv: list[str] | None = None) -> int:
    # Ctrl-C and SIGTERM unwind through the `with` blocks, which stop the server we started.
    # SIGINT is set explicitly because a shell leaves it ignored for background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("\ninterrupted: the load and every server this run started are stopped", file=sys.stderr)
        return 130
    except RuntimeError as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return 2
