"""The model's files on disk: the manifest, the safe weights, and their pinned hashes.

Nothing here imports scikit-learn or unpickles anything: serving verifies and reads the weights
artifact (plain JSON numbers) and uses the manifest as the record of what was trained.
"""

import hashlib
from pathlib import Path
from typing import Annotated

import msgspec

BUNDLED_DIR = Path(__file__).parent / "model"
MANIFEST = "manifest.json"
WEIGHTS = "weights.json"
PICKLE = "pickle_model.pkl"


class ArtifactError(Exception):
    """A model artifact is missing, altered or inconsistent; serving must not start."""


class Weights(msgspec.Struct, forbid_unknown_fields=True):
    """A binary linear classifier: predict 1 when intercept + coef . x > 0 (as sklearn does)."""

    feature_names: list[str]
    coef: list[float]
    intercept: float
    classes: Annotated[list[int], msgspec.Meta(min_length=2, max_length=2)]


class Golden(msgspec.Struct):
    """An input and the prediction the pickle gave for it at training time."""

    features: list[int]
    prediction: int


class Manifest(msgspec.Struct):
    """What was trained, from what, with which library versions, and how well it did."""

    version: str
    created_at: str
    sklearn_version: str
    numpy_version: str
    estimator: str
    feature_names: list[str]
    artifacts: dict[str, str]  # file name -> SHA-256
    training_data: dict[str, str | int | float]
    holdout_metrics: dict[str, float | int | list[list[int]]]
    parity: dict[str, int]
    golden: list[Golden]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_sha256(path: Path, expected: str) -> None:
    """Refuse a file whose bytes are not the pinned ones; runs before anything parses it."""
    if not path.is_file():
        raise ArtifactError(f"model artifact {path} does not exist")
    actual = sha256_of(path)
    if actual != expected.lower():
        raise ArtifactError(f"model artifact {path} has SHA-256 {actual}, expected {expected.lower()}")


def read_manifest(directory: Path) -> Manifest:
    path = directory / MANIFEST
    try:
        return msgspec.json.decode(path.read_bytes(), type=Manifest)
    except (OSError, msgspec.DecodeError) as error:
        raise ArtifactError(f"model manifest {path} is unreadable: {error}") from None


def read_weights(directory: Path, manifest: Manifest) -> Weights:
    """The weights, after checking their hash against the manifest and their shape."""
    path = directory / WEIGHTS
    verify_sha256(path, manifest.artifacts.get(WEIGHTS, "<not in manifest>"))
    weights = msgspec.json.decode(path.read_bytes(), type=Weights)
    if weights.feature_names != manifest.feature_names or len(weights.coef) != len(weights.feature_names):
        raise ArtifactError(
            f"{path}: {len(weights.coef)} weights for {len(weights.feature_names)} features do not match "
            f"the manifest's {len(manifest.feature_names)} features"
        )
    return weights
