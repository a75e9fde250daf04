"""Bytes in, weights out: the static scan, then the restricted decode, then the checks."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from predictor.artifacts import ArtifactError, Source, Weights, sha256_of
from predictor.pickle_import import scan
from predictor.pickle_import.logistic import NotSupported, weights_and_source
from predictor.pickle_import.unpickler import DecodeRefused, decode

MAX_PICKLE_BYTES = 1 << 20  # a 37-feature LogisticRegression pickles to about 1 kB


class PickleRefused(ArtifactError):
    """The pickle is unsafe to decode, or holds a model this service cannot serve."""


@dataclass(frozen=True)
class ImportedModel:
    weights: Weights
    source: Source
    attributes: dict[str, Any]  # the estimator's decoded attributes (plain data), for parity checks


def import_pickle(data: bytes, expected_sha256: str) -> ImportedModel:
    """Weights from a pinned LogisticRegression pickle; raises PickleRefused with one reason."""
    if (actual := sha256_of(data)) != expected_sha256.lower():
        raise PickleRefused(f"SHA-256 is {actual}, expected {expected_sha256.lower()}")
    if len(data) > MAX_PICKLE_BYTES:
        raise PickleRefused(f"{len(data)} bytes is too large for a LogisticRegression pickle")
    if findings := scan.findings(data):
        raise PickleRefused(f"static analysis: {findings[0]}")
    try:
        estimator = decode(data)
        weights, source = weights_and_source(estimator, actual)
    except (DecodeRefused, NotSupported) as error:
        raise PickleRefused(str(error)) from None
    return ImportedModel(weights, source, estimator.attributes)  # type: ignore[attr-defined]


def import_file(path: Path, expected_sha256: str) -> ImportedModel:
    """The same, for a file read exactly once (a swapped file cannot pass the check and then load)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PickleRefused(f"{path}: cannot be read: {error.strerror}") from None
    try:
        return import_pickle(data, expected_sha256)
    except PickleRefused as refused:
        raise PickleRefused(f"{path}: refused: {refused}") from None
