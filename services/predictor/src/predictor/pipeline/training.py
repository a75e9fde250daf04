"""`predictor train`: refit the team's recipe on the real flights, then import the result like any pickle.

The recipe is the notebook's: LogisticRegression(class_weight="balanced") on the 37 one-hot
columns, a third of the rows held out. One BLAS thread and a fixed pickle protocol make the same
data give the same bytes on any machine of this kind.
"""

import pickle
from pathlib import Path

from predictor.artifacts import Manifest, Training, sha256_of
from predictor.classifier import LogisticModel
from predictor.features import TEAM
from predictor.loading import from_import, load_model
from predictor.pickle_import import import_pickle
from predictor.pipeline.data import DATASET, PICKLE, Split, content_sha256, read_flights, read_split
from predictor.pipeline.importing import TEAM_TEST, publish

HOLDOUT_SHARE = 0.33  # the notebook's train_test_split(test_size=0.33, random_state=42)
SPLIT_SEED = 42
PICKLE_PROTOCOL = 4
SPLITS = ("dataset", "team")


def train(data: Path, out: Path, split: str = "dataset") -> Manifest:
    """Fit on `data`'s flights (split here) or on the team's own x_train ("team"); write into `out`."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from threadpoolctl import threadpool_limits

    flights = read_flights(data / DATASET)
    if split == "team":
        fit, test, test_name = read_split(data, "train"), read_split(data, "test"), TEAM_TEST
        described = "the team's x_train.csv.gz / y_train.csv.gz"
    else:
        rows = np.array(flights.rows(), dtype=np.int64)
        x_fit, x_test, y_fit, y_test = train_test_split(
            rows, np.array(flights.delayed), test_size=HOLDOUT_SHARE, random_state=SPLIT_SEED
        )
        fit, test = Split(x_fit.tolist(), y_fit.tolist()), Split(x_test.tolist(), y_test.tolist())
        test_name = f"{DATASET}: the {HOLDOUT_SHARE:.0%} held out by train_test_split(random_state={SPLIT_SEED})"
        described = f"{DATASET}, train_test_split(test_size={HOLDOUT_SHARE}, random_state={SPLIT_SEED})"
    with threadpool_limits(limits=1):  # one BLAS thread: the same floats on any number of cores
        estimator = LogisticRegression(class_weight="balanced").fit(np.array(fit.rows, dtype=np.float64), fit.labels)
    raw = pickle.dumps(estimator, protocol=PICKLE_PROTOCOL)
    out.mkdir(parents=True, exist_ok=True)
    (out / PICKLE).write_bytes(raw)
    imported = import_pickle(raw, sha256_of(raw))
    loaded = from_import(imported, "retrained", PICKLE)
    training = Training(
        data=described,
        data_sha256=content_sha256(data / (DATASET if split == "dataset" else "x_train.csv.gz")),
        split=split,
        train_rows=len(fit.rows),
        agreement_with_bundled=_agreement(loaded.model, read_split(data, "test")),
    )
    return publish(out, imported, loaded, (test_name, test), flights=flights, training=training)


def _agreement(model: LogisticModel, team_test: Split) -> dict[str, str | float | int]:
    """How often the retrained model answers like the bundled (team's) one."""
    bundled = load_model().model
    flights = TEAM.valid_combinations()
    same = sum(a == b for a, b in zip(model.predict(flights), bundled.predict(flights), strict=True))
    same_test = sum(a == b for a, b in zip(model.predict(team_test.rows), bundled.predict(team_test.rows), strict=True))
    return {
        "model": bundled.version,
        "valid_flights_same": same,
        "valid_flights": len(flights),
        "team_x_test_same_share": round(same_test / len(team_test.rows), 4),
    }
