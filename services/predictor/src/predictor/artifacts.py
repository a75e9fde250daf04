"""The served model's files: the manifest, the safe weights, and their pinned hashes.

Nothing here imports scikit-learn or unpickles anything: serving reads the weights (plain JSON
numbers, hash-pinned by the manifest) and uses the manifest as the record of where they came
from and how they were checked.
"""

import hashlib
from pathlib import Path
from typing import Annotated

import msgspec

BUNDLED_DIR = Path(__file__).parent / "model"
MANIFEST = "manifest.json"
WEIGHTS = "weights.json"

Plain = str | int | float | bool | None


class ArtifactError(Exception):
    """A model artifact is missing, altered or inconsistent; serving must not start."""


class Weights(msgspec.Struct, forbid_unknown_fields=True):
    """A binary logistic regression: P(delay) = 1 / (1 + exp(-(intercept + coef . x)))."""

    feature_names: list[str]
    coef: list[float]
    intercept: float
    classes: Annotated[list[int], msgspec.Meta(min_length=2, max_length=2)]


class Source(msgspec.Struct, forbid_unknown_fields=True):
    """The pickle the weights were read out of (without executing it)."""

    estimator: str
    sklearn_version: str  # the version that pickled it, from the pickle's own _sklearn_version
    sha256: str
    params: dict[str, Plain]
    file: str = "pickle_model.pkl"
    origin: str | None = None  # where the file was published, when known


class Holdout(msgspec.Struct, forbid_unknown_fields=True):
    """How the model does on flights it was not trained on; class 1 = delayed."""

    data: str
    rows: int
    confusion_matrix: list[list[int]]  # [[true 0 -> 0, 0 -> 1], [1 -> 0, 1 -> 1]]
    accuracy: float
    precision_delayed: float
    recall_delayed: float
    f1_delayed: float
    roc_auc: float
    predicted_delay_share: float
    notebook_confusion_matrix: list[list[int]] | None = None  # what the team's notebook recorded
    matches_notebook: bool | None = None


class SklearnParity(msgspec.Struct, forbid_unknown_fields=True):
    """scikit-learn's own predict/predict_proba on the pickle's estimator against our weights."""

    sklearn_version: str
    rows: dict[str, int]
    label_mismatches: int
    max_probability_difference: float
    warning: str | None = None


class SelfCheck(msgspec.Struct, forbid_unknown_fields=True):
    """Predictions recorded at import time; the service recomputes them before it is ready."""

    valid_flights: str  # "0"/"1" for each of the 552 flights, in FeatureSpace.valid_flights() order
    challenge_example: int


class Training(msgspec.Struct, forbid_unknown_fields=True):
    """How a retrained model was fitted, and how far it is from the bundled one."""

    data: str
    data_sha256: str
    split: str
    train_rows: int
    agreement_with_bundled: dict[str, str | float | int]


class Manifest(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    version: str
    source: Source
    feature_names: list[str]
    weights_sha256: str
    self_check: SelfCheck | None = None
    holdout: Holdout | None = None
    delay_share_band: tuple[float, float] | None = None  # lowest and highest monthly share in 2017
    sklearn_parity: SklearnParity | None = None
    training: Training | None = None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_pinned(path: Path, expected_sha256: str) -> bytes:
    """The file's bytes, read once, if they hash to the pinned value: what is checked is what is used."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ArtifactError(f"model artifact {path} cannot be read: {error.strerror}") from None
    if (actual := sha256_of(data)) != expected_sha256.lower():
        raise ArtifactError(f"model artifact {path} has SHA-256 {actual}, expected {expected_sha256.lower()}")
    return data


def encode(document: msgspec.Struct) -> bytes:
    """Artifacts as stable, reviewable JSON (the same model gives the same bytes)."""
    return msgspec.json.format(msgspec.json.encode(document)) + b"\n"


def read_manifest(directory: Path) -> Manifest:
    path = directory / MANIFEST
    try:
        return msgspec.json.decode(path.read_bytes(), type=Manifest)
    except (OSError, msgspec.DecodeError) as error:
        raise ArtifactError(f"model manifest {path} is unreadable: {error}") from None


def read_weights(directory: Path, manifest: Manifest) -> Weights:
    """The weights, after checking their hash against the manifest and their shape."""
    path = directory / WEIGHTS
    weights = msgspec.json.decode(read_pinned(path, manifest.weights_sha256), type=Weights)
    if weights.feature_names != manifest.feature_names or len(weights.coef) != len(weights.feature_names):
        raise ArtifactError(
            f"{path}: {len(weights.coef)} weights for {len(weights.feature_names)} features do not match "
            f"the manifest's {len(manifest.feature_names)} features"
        )
    return weights
