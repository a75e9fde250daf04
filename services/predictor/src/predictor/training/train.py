"""Train the model as the data science team did, then derive and prove the safe artifact.

Outputs, in one folder: the team-compatible pickle_model.pkl, weights.json (37 coefficients
and an intercept: all serving needs) and manifest.json (hashes, versions, feature order,
holdout metrics, the parity proof and golden predictions for the start-up self-check).
"""

import pickle
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from predictor.artifacts import MANIFEST, PICKLE, WEIGHTS, Golden, Manifest, Weights, sha256_of
from predictor.backends import LinearModel
from predictor.features import CHALLENGE_EXAMPLE, FEATURE_NAMES, N_FEATURES, valid_combinations
from predictor.training.flights import read_flights

HOLDOUT_SHARE = 0.33  # the team's split: train_test_split(test_size=0.33, random_state=42)
SPLIT_SEED = 42
PARITY_RANDOM_VECTORS = 20_000
PARITY_SEED = 7
PICKLE_PROTOCOL = 4  # fixed, so the same model gives the same bytes on every Python 3.11+


class ParityError(AssertionError):
    """The weights artifact does not reproduce the pickle's predictions: never ship it."""


def train(data: Path, out: Path) -> Manifest:
    """Fit, evaluate on the holdout, write the three artifacts into `out`; returns the manifest."""
    flights = read_flights(data)
    features, labels = flights.features(), flights.labels()
    x_train, x_test, y_train, y_test = train_test_split(
        features, labels, test_size=HOLDOUT_SHARE, random_state=SPLIT_SEED
    )
    with threadpool_limits(limits=1):  # one BLAS thread: the same floats on any number of cores
        estimator = LogisticRegression(class_weight="balanced").fit(x_train, y_train)

    out.mkdir(parents=True, exist_ok=True)
    (out / PICKLE).write_bytes(pickle.dumps(estimator, protocol=PICKLE_PROTOCOL))
    weights = Weights(
        feature_names=list(FEATURE_NAMES),
        coef=[float(c) for c in estimator.coef_[0]],
        intercept=float(estimator.intercept_[0]),
        classes=[int(c) for c in estimator.classes_],
    )
    (out / WEIGHTS).write_bytes(msgspec.json.format(msgspec.json.encode(weights)) + b"\n")
    weights_sha = sha256_of(out / WEIGHTS)
    linear = LinearModel(f"scl-lr-{weights_sha[:12]}", tuple(weights.coef), weights.intercept, (0, 1))

    manifest = Manifest(
        version=linear.version,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        sklearn_version=sklearn.__version__,
        numpy_version=np.__version__,
        estimator='LogisticRegression(class_weight="balanced")',
        feature_names=list(FEATURE_NAMES),
        artifacts={PICKLE: sha256_of(out / PICKLE), WEIGHTS: weights_sha},
        training_data={
            "file": data.name,
            "sha256": sha256_of(data),
            "flights": len(labels),
            "delayed_share": round(float(labels.mean()), 4),
            "train_rows": len(y_train),
            "holdout_rows": len(y_test),
        },
        holdout_metrics=_holdout_metrics(estimator, x_test, y_test),
        parity=prove_parity(estimator, linear),
        golden=_golden(estimator),
    )
    (out / MANIFEST).write_bytes(msgspec.json.format(msgspec.json.encode(manifest)) + b"\n")
    return manifest


def prove_parity(estimator: LogisticRegression, linear: LinearModel) -> dict[str, int]:
    """Same predictions as sklearn on all 552 real flights and on random 0/1 vectors, or fail."""
    rng = np.random.default_rng(PARITY_SEED)
    valid = valid_combinations()
    random = rng.integers(0, 2, size=(PARITY_RANDOM_VECTORS, N_FEATURES)).tolist()
    for name, rows in (("valid one-hot combinations", valid), ("random 0/1 vectors", random)):
        expected = estimator.predict(np.array(rows, dtype=np.float64)).tolist()
        mismatches = [row for row, want, got in zip(rows, expected, linear.predict(rows), strict=True) if want != got]
        if mismatches:
            raise ParityError(f"{len(mismatches)} of {len(rows)} {name} differ, e.g. {mismatches[0]}")
    return {"valid_combinations": len(valid), "random_vectors": len(random), "mismatches": 0}


def _holdout_metrics(estimator: LogisticRegression, x: np.ndarray, y: np.ndarray) -> dict:
    predicted = estimator.predict(x)
    return {
        "accuracy": round(float(accuracy_score(y, predicted)), 4),
        "precision_delayed": round(float(precision_score(y, predicted)), 4),
        "recall_delayed": round(float(recall_score(y, predicted)), 4),
        "f1_delayed": round(float(f1_score(y, predicted)), 4),
        "roc_auc": round(float(roc_auc_score(y, estimator.predict_proba(x)[:, 1])), 4),
        "confusion_matrix": confusion_matrix(y, predicted).tolist(),
    }


def _golden(estimator: LogisticRegression) -> list[Golden]:
    """The challenge's example plus real flights of both classes, with the pickle's answers."""
    rows = [list(CHALLENGE_EXAMPLE), *valid_combinations()]
    predicted = estimator.predict(np.array(rows, dtype=np.float64)).tolist()
    late = [i for i in range(1, len(rows)) if predicted[i] == 1][:4]
    on_time = [i for i in range(1, len(rows)) if predicted[i] == 0][:4]
    chosen = [0, *late, *on_time]
    return [Golden(rows[i], int(predicted[i])) for i in chosen]
