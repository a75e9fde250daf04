"""Command line: python -m slokit validate|generate|check|normalize|prometheus-up|down.

The deploy gate has its own entry point, python -m slokit.budget_gate, so it runs with PyYAML alone.
"""

import argparse
import json
import sys
from pathlib import Path

from slokit import model, outputs, paths, validate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="slokit", description=__doc__)
    parser.add_argument("--openslo-dir", type=Path, default=paths.OPENSLO_DIR)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="check the OpenSLO documents")
    commands.add_parser("generate", help="write rules, promtool tests and dashboards")
    commands.add_parser("check", help="fail if the generated files are out of date")
    commands.add_parser("normalize", help="print the normalized JSON view (Terraform's too)")
    data_dir = paths.REPO / ".cache" / "prometheus"
    up = commands.add_parser("prometheus-up", help="start Prometheus on the repo config and rules")
    up.add_argument("--target", default="127.0.0.1:8000", help="the service to scrape")
    up.add_argument("--listen", default="127.0.0.1:9090")
    up.add_argument("--data-dir", type=Path, default=data_dir)
    down = commands.add_parser("prometheus-down", help="stop the Prometheus prometheus-up started")
    down.add_argument("--data-dir", type=Path, default=data_dir)
    args = parser.parse_args(argv)

    if args.command == "validate":
        return _validate(args.openslo_dir)
    if args.command.startswith("prometheus"):
        from slokit import localprom

        if args.command == "prometheus-down":
            return localprom.stop(args.data_dir)
        return localprom.run(args.target, args.listen, args.data_dir)
    try:
        catalog = model.load(args.openslo_dir)
    except model.InvalidSpec as error:
        print(error, file=sys.stderr)
        return 1
    if args.command == "normalize":
        print(json.dumps(model.normalized(catalog), indent=2, sort_keys=True))
        return 0
    files = outputs.render(catalog)
    if args.command == "check":
        stale = outputs.drift(files)
        for path in stale:
            print(f"out of date: {path.relative_to(paths.REPO)}", file=sys.stderr)
        if stale:
            print("run ./task slo:generate and commit the result", file=sys.stderr)
        return 1 if stale else 0
    for path in outputs.write(files):
        print(f"wrote {path.relative_to(paths.REPO)}")
    return 0


def _validate(folder: Path) -> int:
    problems = validate.validate_dir(folder)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    catalog = model.load(folder)
    for slo in catalog.slos:
        for alert in slo.alerts:
            if not alert.gcp_supported:
                print(
                    f"note: {slo.name}/{alert.policy}: {alert.long} lookback is Prometheus-only "
                    "(GCP burn-rate alerts stop at 24h, see docs/slo.md)"
                )
    print(f"OK: {len(catalog.slos)} SLO(s) in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
