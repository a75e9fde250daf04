"""`predictor`: serve the API, and the model pipeline (import a pickle, retrain, verify)."""

import argparse
import gc
import sys
from pathlib import Path

from predictor.artifacts import ArtifactError, Manifest
from predictor.settings import SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="predictor", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the API (settings from environment variables, see README)")
    imports = commands.add_parser(
        "import-pickle", help="turn a scikit-learn LogisticRegression pickle into weights.json + manifest.json"
    )
    imports.add_argument("pickle", type=Path, help="the team's pickle_model.pkl (never executed)")
    imports.add_argument("--sha256", required=True, help="its pinned SHA-256")
    imports.add_argument("--out", type=Path, required=True, help="folder to write weights.json and manifest.json to")
    imports.add_argument("--name", help="model name, the version's prefix (default: the file name's stem)")
    imports.add_argument(
        "--data", type=Path, help="the challenge's data folder: adds holdout metrics, notebook parity and the band"
    )
    train = commands.add_parser("train", help="retrain the team's recipe on the real flights, then import the result")
    train.add_argument("--data", type=Path, help="the challenge's data folder (default: services/predictor/data/scl)")
    train.add_argument("--split", choices=("dataset", "team"), default="dataset", help="dataset: split dataset_SCL "
                       "as the notebook did; team: fit on the team's own x_train (default: %(default)s)")  # fmt: skip
    train.add_argument("--out", type=Path, required=True, help="folder for pickle_model.pkl, weights and manifest")
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
    gc.disable()  # until the workers fork (predictor.server.serve)
    from predictor.server import serve

    return serve(load_settings())


def _import_pickle(args: argparse.Namespace) -> int:
    from predictor.pipeline.importing import import_to

    _summarize(import_to(args.pickle, args.sha256, args.out, args.name, args.data), args.out)
    return 0


def _train(args: argparse.Namespace) -> int:
    from predictor.pipeline.data import CHALLENGE_DATA
    from predictor.pipeline.training import train

    print(f"training on {args.split} split of {args.data or CHALLENGE_DATA} (scikit-learn, one thread)...", flush=True)
    manifest = train(args.data or CHALLENGE_DATA, args.out, args.split)
    _summarize(manifest, args.out)
    if manifest.training:
        print(f"agreement with the bundled model: {manifest.training.agreement_with_bundled}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from predictor.loading import load_model

    loaded = load_model(args.model_path, args.sha256)
    print(f"ok: model {loaded.model.version} (weights sha256 {loaded.manifest.weights_sha256}) passed its self-check")
    return 0


def _summarize(manifest: Manifest, out: Path) -> None:
    source = manifest.source
    print(f"model {manifest.version} written to {out}")
    print(f"source: {source.estimator} pickled by scikit-learn {source.sklearn_version}, sha256 {source.sha256}")
    if holdout := manifest.holdout:
        print(f"holdout ({holdout.rows} rows): confusion matrix {holdout.confusion_matrix}, "
              f"precision(delayed) {holdout.precision_delayed}, recall(delayed) {holdout.recall_delayed}")  # fmt: skip
        if holdout.matches_notebook is not None:
            print(f"team notebook's confusion matrix reproduced: {holdout.matches_notebook}")
    parity = manifest.sklearn_parity
    print(
        f"scikit-learn {parity.sklearn_version} parity: {parity.label_mismatches} label mismatches on "
        f"{sum(parity.rows.values())} rows, max probability difference {parity.max_probability_difference:.1e}"
        if parity
        else "scikit-learn is not installed: parity with its predictions not checked"
    )


COMMANDS = {"serve": _serve, "import-pickle": _import_pickle, "train": _train, "verify": _verify}

if __name__ == "__main__":
    sys.exit(main())
