"""Model backends: the safe weights (default) and a hash-pinned scikit-learn pickle.

Both are verified before use and self-checked against golden predictions before the service
reports ready. Nothing is ever unpickled per request.
"""

import math
import pickle
import warnings
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from typing import Protocol

from predictor.artifacts import (
    BUNDLED_DIR,
    PICKLE,
    ArtifactError,
    Manifest,
    read_manifest,
    read_weights,
    sha256_of,
    verify_sha256,
)
from predictor.features import N_FEATURES, valid_combinations


class Model(Protocol):
    """What the API needs from a model: a version and 0/1 predictions for 37-feature rows."""

    version: str

    def predict_one(self, row: list[int]) -> int: ...

    def predict(self, rows: list[list[int]]) -> list[int]: ...


@dataclass(frozen=True)
class LinearModel:
    """Logistic regression from its weights: class 1 when intercept + coef . x > 0.

    Inputs are 0/1, so the dot product is the sum of the weights of the features that are on;
    math.fsum makes that sum exactly rounded, independent of summation order.
    """

    version: str
    coef: tuple[float, ...]
    intercept: float
    classes: tuple[int, int]

    def predict_one(self, row: list[int]) -> int:
        return self.classes[math.fsum(compress(self.coef, row)) + self.intercept > 0]

    def predict(self, rows: list[list[int]]) -> list[int]:
        return [self.predict_one(row) for row in rows]


@dataclass(frozen=True)
class PickleModel:
    """A scikit-learn classifier the team pickled, loaded once after its hash was verified."""

    version: str
    estimator: object

    def predict_one(self, row: list[int]) -> int:
        return self.predict([row])[0]

    def predict(self, rows: list[list[int]]) -> list[int]:
        return [int(label) for label in self.estimator.predict(rows)]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LoadedModel:
    """A verified model and the manifest that describes it (None for an unknown pickle)."""

    model: Model
    manifest: Manifest | None
    backend: str
    sha256: str


def load_model(
    pickle_path: Path | None = None, pickle_sha256: str | None = None, model_dir: Path = BUNDLED_DIR
) -> LoadedModel:
    """The weights in model_dir (the bundled ones by default), or the operator's pickle pinned by
    SHA-256; self-checked either way."""
    if pickle_path is None:
        loaded = _load_weights(model_dir)
    else:
        if not pickle_sha256:
            raise ArtifactError("MODEL_PATH needs MODEL_SHA256: a pickle is only loaded when its hash is pinned")
        loaded = _load_pickle(pickle_path, pickle_sha256)
    _self_check(loaded)
    return loaded


def _load_weights(directory: Path) -> LoadedModel:
    manifest = read_manifest(directory)
    weights = read_weights(directory, manifest)
    model = LinearModel(
        version=manifest.version,
        coef=tuple(weights.coef),
        intercept=weights.intercept,
        classes=(weights.classes[0], weights.classes[1]),
    )
    return LoadedModel(model, manifest, "weights", manifest.artifacts["weights.json"])


def _load_pickle(path: Path, expected_sha256: str) -> LoadedModel:
    verify_sha256(path, expected_sha256)
    manifest = _manifest_beside(path, expected_sha256.lower())
    try:
        import sklearn
        from sklearn.exceptions import InconsistentVersionWarning
    except ImportError:
        raise ArtifactError("the pickle backend needs scikit-learn; install requirements/dev.txt") from None
    if manifest and manifest.sklearn_version != sklearn.__version__:
        raise ArtifactError(
            f"{path} was trained with scikit-learn {manifest.sklearn_version}, "
            f"this process has {sklearn.__version__}: refusing a version mismatch"
        )
    with warnings.catch_warnings(), path.open("rb") as handle:
        warnings.simplefilter("error", InconsistentVersionWarning)
        try:
            estimator = pickle.load(handle)  # noqa: S301 - hash verified above
        except InconsistentVersionWarning as mismatch:
            raise ArtifactError(
                f"{path} was pickled by scikit-learn {mismatch.original_sklearn_version}, "
                f"this process has {sklearn.__version__}: refusing a version mismatch"
            ) from None
    if getattr(estimator, "n_features_in_", None) != N_FEATURES:
        raise ArtifactError(
            f"{path}: the estimator takes {getattr(estimator, 'n_features_in_', '?')} features, "
            f"the API sends {N_FEATURES}"
        )
    version = manifest.version if manifest else f"pickle-{expected_sha256.lower()[:12]}"
    return LoadedModel(PickleModel(version, estimator), manifest, "pickle", sha256_of(path))


def _manifest_beside(path: Path, sha256: str) -> Manifest | None:
    """The manifest next to the pickle (or the bundled one) when it records this very pickle."""
    for directory in (path.parent, BUNDLED_DIR):
        if (directory / "manifest.json").is_file():
            manifest = read_manifest(directory)
            if manifest.artifacts.get(PICKLE) == sha256:
                return manifest
    return None


def _self_check(loaded: LoadedModel) -> None:
    """Golden predictions from training must come out again, and every flight gets a 0 or 1."""
    model = loaded.model
    for golden in loaded.manifest.golden if loaded.manifest else ():
        if (got := model.predict_one(golden.features)) != golden.prediction:
            raise ArtifactError(
                f"self-check failed: model {model.version} predicts {got} for golden input "
                f"{golden.features}, training recorded {golden.prediction}"
            )
    if not set(model.predict(valid_combinations())) <= {0, 1}:
        raise ArtifactError(f"self-check failed: model {model.version} predicts classes other than 0 and 1")
