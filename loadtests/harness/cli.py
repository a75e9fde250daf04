"""`python -m harness run|report|publish|quote|measured|publish-measurements|probe-cost|fairness|payloads`:
the commands behind `task loadtest` and the benchmarks' records.

Every setting has a default and an environment variable (listed in docs/loadtest.md); command-line
flags override both.
"""

import argparse
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from harness import (
    anchors,
    bench_tables,
    capacity,
    challenge,
    drill,
    environment,
    fairness,
    measurements,
    phases,
    probecost,
    prometheus,
    publish,
    quotes,
    report,
    server,
    wrk,
)
from harness.payloads import single_lines
from harness.thresholds import Thresholds

LOADTESTS = Path(__file__).resolve().parents[1]
LOCAL_ONLY = ("drill", "anchors")


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
def target(kind: str, workers: int, log: Path, port: int) -> Iterator[tuple[str, int | None]]:
    """Yield (URL, workers) under test: the remote HOST (workers unknown), or a local server."""
    if url := _remote():
        _check_remote(url, _token())
        yield url, None
        return
    spec = server.reference(port) if kind == "reference" else server.predictor(port, workers)
    print(f"starting {' '.join(spec.command)} on 127.0.0.1:{port}", flush=True)
    with server.running(spec, port, log) as url:
        yield url, workers


class Timeline:
    """Wall-clock start and end of every phase, to mark them on the SLO plots."""

    def __init__(self) -> None:
        self.spans: dict[str, list[float]] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.time()
        try:
            yield
        finally:
            self.spans[name] = [start, time.time()]


def cmd_run(args: argparse.Namespace) -> int:
    folder = report_folder()
    limits = Thresholds.from_env()
    remote = _remote()
    wanted = [p for p in phases.ORDER if p in args.phases and not (remote and p in LOCAL_ONLY)]
    timeline, commands = Timeline(), dict[str, list[list[str]]]()
    parameters = {k: v for k, v in vars(args).items() if k not in ("func", "command")} | {"phases": wanted}
    ours_port, drill_port = server.free_port(), server.free_port()
    with ExitStack() as stack:
        scraper = None
        if not remote:
            targets = [f"127.0.0.1:{ours_port}", f"127.0.0.1:{drill_port}"]
            scraper = stack.enter_context(prometheus.running(targets, folder))
        start = time.time()
        if "drill" in wanted:
            plan = drill.Plan(quiet_s=args.drill_quiet, fault_s=args.drill_faults, recovery_s=args.drill_recovery)
            rate = args.drill_rate or limits.challenge_rate
            parameters |= {"drill_plan": asdict(plan), "drill_rate": rate}
            with timeline.phase("drill"):
                commands["drill"] = [drill.run(drill_port, folder, plan, rate, args.paced_connections)]
        url, workers = stack.enter_context(target(args.server, args.workers, folder / "server.log", ours_port))
        env = environment.describe(workers, url)
        if "challenge" in wanted:
            with timeline.phase("challenge"):
                commands["challenge"] = challenge.run(
                    url, folder, args.threads, args.connections, args.duration, args.probe_rate
                )
        if "capacity" in wanted:
            base = args.capacity_base or wrk.parse((folder / challenge.WRK_FILE).read_text(), "challenge").throughput
            parameters["capacity_base"] = base
            with timeline.phase("capacity"):
                commands["capacity"] = capacity.run(url, folder, base, args.step_duration, args.paced_connections)
        if "mix" in wanted:
            with timeline.phase("mix"):
                commands["mix"] = [phases.mix(url, folder, args.users, args.user_rps, args.mix_duration)]
        if "anchors" in wanted:
            with timeline.phase("anchors"):
                commands["anchors"] = anchors.run(
                    url, folder, args.threads, args.connections, args.anchor_duration, args.rounds
                )
        if scraper:
            dashboard = prometheus.read_dashboard(scraper, start, time.time())
            (folder / "slo.json").write_text(json.dumps(dashboard) + "\n")
    run = {
        "environment": env,
        "target": "remote" if remote else "local",
        "workers": workers,
        "parameters": parameters,
        "commands": {phase: [publish.shown(c, folder) for c in cmds] for phase, cmds in commands.items()},
        "timeline": timeline.spans,
        "thresholds": asdict(limits),
    }
    (folder / "run.json").write_text(json.dumps(run, indent=2) + "\n")
    return _finish(folder)


def _finish(folder: Path) -> int:
    checks = report.build(folder)
    print("\n" + report.checks_table(checks))
    passed = all(c.passed for c in checks)
    print(f"\n{'PASS' if passed else 'FAIL'}: report in {folder}/summary.md")
    return 0 if passed else 1


def _given(folder: str) -> Path:
    """A folder named on the command line, relative to where the user ran `task` (CALLER_DIR)."""
    return Path(os.environ.get("CALLER_DIR", ".")) / folder


def cmd_report(args: argparse.Namespace) -> int:
    return _finish(_given(args.folder))


def cmd_publish(args: argparse.Namespace) -> int:
    dest = publish.publish(_given(args.folder))
    report.build(dest)
    for path in quotes.write():
        print(f"updated {path}")
    print(f"published {dest.relative_to(server.REPO)}; commit it with the updated docs")
    return 0


def cmd_quote(args: argparse.Namespace) -> int:
    if args.check:
        stale = quotes.stale()
        for path in stale:
            print(f"out of date: {path}; run ./task docs:quote", file=sys.stderr)
        return 1 if stale else 0
    for path in quotes.write():
        print(f"updated {path}")
    return 0


def cmd_measured(args: argparse.Namespace) -> int:
    _record(args.name, json.loads(args.raw.read_text()), args.command)
    return 0


def cmd_publish_measurements(_args: argparse.Namespace) -> int:
    for path in measurements.publish():
        print(f"published {path.relative_to(server.REPO)}")
    for path in quotes.write():
        print(f"updated {path.relative_to(server.REPO)}")
    print("commit docs/measurements/ with the updated docs")
    return 0


def cmd_probe_cost(args: argparse.Namespace) -> int:
    results = probecost.measure(args.connections, args.duration, args.probe_rate, args.rounds)
    print("\n" + bench_tables.probe_cost_table(results))
    flags = f"--connections {args.connections} --duration {args.duration} --probe-rate {args.probe_rate:g}"
    _record("probe-cost", results, f"./task loadtest:probe-cost -- {flags} --rounds {args.rounds}")
    return 0


def cmd_fairness(args: argparse.Namespace) -> int:
    folder = report_folder("fairness")
    results = fairness.measure(folder, args.rounds, args.duration)
    print("\n" + bench_tables.fairness_table(results))
    print(f"raw wrk outputs in {folder}")
    _record("fairness", results, f"./task loadtest:fairness -- --rounds {args.rounds} --duration {args.duration:g}")
    return 0


def _record(name: str, results: object, command: str) -> None:
    print(f"recorded {os.path.relpath(measurements.record(name, results, command), server.REPO)}")


def cmd_payloads(_args: argparse.Namespace) -> int:
    sys.stdout.buffer.write(single_lines())
    return 0


def _load_options(duration: str, rounds: str) -> argparse.ArgumentParser:
    """The challenge phase's wrk settings (shared by run and probe-cost; defaults differ)."""
    load = argparse.ArgumentParser(add_help=False)
    load.add_argument("--threads", type=int, default=int(_env("LOADTEST_THREADS", "1")))
    load.add_argument("--connections", type=int, default=int(_env("LOADTEST_CONNECTIONS", "64")))
    load.add_argument("--duration", type=int, default=int(duration))
    load.add_argument("--probe-rate", type=float, default=float(_env("LOADTEST_PROBE_RATE", "200")))
    load.add_argument("--rounds", type=int, default=int(rounds))
    return load


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m harness", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    load = _load_options(_env("LOADTEST_DURATION", "45"), _env("LOADTEST_ROUNDS", "2"))
    run = sub.add_parser("run", parents=[load], help="the SLO drill, challenge, capacity, mix and anchor phases")
    run.add_argument("--server", choices=("predictor", "reference"), default="predictor")
    run.add_argument("--workers", type=int, default=int(_env("WEB_CONCURRENCY", "1")))
    run.add_argument(
        "--phases", type=lambda s: s.split(","), default=_env("LOADTEST_PHASES", ",".join(phases.ORDER)).split(",")
    )
    run.add_argument("--paced-connections", type=int, default=int(_env("LOADTEST_PACED_CONNECTIONS", "64")))
    run.add_argument("--step-duration", type=int, default=int(_env("LOADTEST_STEP_DURATION", "4")))
    run.add_argument("--capacity-base", type=float, default=float(_env("LOADTEST_CAPACITY_BASE", "0")))
    run.add_argument("--users", type=int, default=int(_env("LOADTEST_USERS", "20")))
    run.add_argument("--user-rps", type=float, default=float(_env("LOADTEST_USER_RPS", "25")))
    run.add_argument("--mix-duration", type=float, default=float(_env("LOADTEST_MIX_DURATION", "10")))
    run.add_argument("--drill-rate", type=float, default=float(_env("LOADTEST_DRILL_RATE", "0")))
    for flag, field in (("quiet", "quiet_s"), ("faults", "fault_s"), ("recovery", "recovery_s")):
        default = _env(f"LOADTEST_DRILL_{flag.upper()}", str(getattr(drill.Plan, field)))
        run.add_argument(f"--drill-{flag}", type=int, default=int(default))
    run.add_argument("--anchor-duration", type=int, default=int(_env("LOADTEST_ANCHOR_DURATION", "4")))
    run.set_defaults(func=cmd_run)
    rep = sub.add_parser("report", help="rebuild summary.md and plots of a report folder")
    rep.add_argument("folder")
    rep.set_defaults(func=cmd_report)
    pub = sub.add_parser("publish", help="publish a report folder made from a clean commit; update the docs")
    pub.add_argument("folder")
    pub.set_defaults(func=cmd_publish)
    quote = sub.add_parser(
        "quote", help="re-render the docs' generated blocks (published run, benchmark records, model manifest)"
    )
    quote.add_argument("--check", action="store_true", help="only fail if a block is out of date")
    quote.set_defaults(func=cmd_quote)
    cost = sub.add_parser(
        "probe-cost", parents=[_load_options("5", "10")], help="what the per-second series costs the challenge run"
    )
    cost.set_defaults(func=cmd_probe_cost)
    measured = sub.add_parser("measured", help="record a benchmark's JSON output for bench:publish")
    measured.add_argument("name", choices=quotes.RECORD_NAMES)
    measured.add_argument("raw", type=Path)
    measured.add_argument("--command", required=True, help="the command that measured it, as the docs show it")
    measured.set_defaults(func=cmd_measured)
    sub.add_parser(
        "publish-measurements", help="copy this commit's benchmark records into docs/measurements/, re-render the docs"
    ).set_defaults(func=cmd_publish_measurements)
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
        return int(args.func(args))
    except KeyboardInterrupt:
        print("\ninterrupted: the load and every server this run started are stopped", file=sys.stderr)
        return 130
    except RuntimeError as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return 2
