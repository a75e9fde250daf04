"""`predictor`: serve the API, and the model pipeline (synthesize data, train, verify)."""

import argparse
import sys
from pathlib import Path

from predictor.artifacts import BUNDLED_DIR, ArtifactError
from predictor.settings import SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="predictor", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the API (settings from environment variables, see README)")
    synth = commands.add_parser("synthesize", help="write a deterministic synthetic dataset_SCL.csv")
    synth.add_argument("--out", type=Path, required=True, help="CSV file to write")
    synth.add_argument("--seed", type=int, default=2017, help="random seed (default: %(default)s)")
    train = commands.add_parser("train", help="train, derive the safe weights, prove parity, write the manifest")
    train.add_argument("--data", type=Path, required=True, help="dataset_SCL.csv (real or synthetic)")
    train.add_argument("--out", type=Path, default=BUNDLED_DIR, help="output folder (default: the bundled model)")
    verify = commands.add_parser("verify", help="verify and self-check the model the service would serve")
    verify.add_argument("--model-path", type=Path, help="a team pickle (default: the bundled weights)")
    verify.add_argument("--sha256", help="the pinned SHA-256 of --model-path")
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ArtifactError, SettingsError, ValueError) as error:
        print(f"predictor: error: {error}", file=sys.stderr)
        return 2


def _serve(_: argparse.Namespace) -> int:
    from predictor.server import serve

    serve(load_settings())
    return 0


def _synthesize(args: argparse.Namespace) -> int:
    from predictor.training.flights import synthesize

    args.out.parent.mkdir(parents=True, exist_ok=True)
    rows = synthesize(args.out, args.seed)
    print(f"wrote {rows} flights to {args.out}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from predictor.training.train import train

    manifest = train(args.data, args.out)
    metrics = manifest.holdout_metrics
    print(f"model {manifest.version} written to {args.out}")
    print(
        f"holdout: accuracy {metrics['accuracy']}, recall(delayed) {metrics['recall_delayed']}, "
        f"roc_auc {metrics['roc_auc']}"
    )
    print(f"parity with the pickle: {manifest.parity}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from predictor.backends import load_model

    loaded = load_model(args.model_path, args.sha256)
    print(f"ok: model {loaded.model.version} ({loaded.backend} backend, sha256 {loaded.sha256}) passed its self-check")
    return 0


COMMANDS = {"serve": _serve, "synthesize": _synthesize, "train": _train, "verify": _verify}

if __name__ == "__main__":
    sys.exit(main())
