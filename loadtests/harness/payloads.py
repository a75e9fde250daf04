"""Request bodies for every load generator, so Locust and every wrk phase send the same traffic.

The flights and their encoding come from the service itself: the feature space is read from the
bundled model's manifest, the one record of the feature order, and encoded by predictor.features.
A real flight sets exactly one column per group, which gives 23 * 2 * 12 = 552 valid vectors.
"""

import json
from dataclasses import dataclass

from predictor.artifacts import BUNDLED_DIR, read_manifest
from predictor.features import AIRLINE, CHALLENGE_EXAMPLE, FLIGHT_TYPE, MONTH, FeatureSpace

FEATURES = FeatureSpace.from_names(read_manifest(BUNDLED_DIR).feature_names)
CHALLENGE_VECTOR = CHALLENGE_EXAMPLE
BATCH_SIZES = (2, 8, 32, 100)


def _dumps(document: object) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


def valid_vectors() -> list[tuple[int, ...]]:
    """Every one-hot combination of airline, flight type and month, in a fixed order."""
    return [tuple(row) for row in FEATURES.valid_combinations()]


def flights_body(flights: list[tuple[str, str, int]]) -> bytes:
    """POST /predict's shape: {"flights": [{"OPERA": ..., "TIPOVUELO": ..., "MES": ...}, ...]}."""
    return _dumps({"flights": [{AIRLINE: a, FLIGHT_TYPE: t, MONTH: m} for a, t, m in flights]})


def single_body(vector: tuple[int, ...]) -> bytes:
    """The challenge's request shape: {"array": [37 ints]}."""
    return _dumps({"array": list(vector)})


def batch_body(vectors: list[tuple[int, ...]]) -> bytes:
    """The batch request shape: {"arrays": [[37 ints], ...]}."""
    return _dumps({"arrays": [list(v) for v in vectors]})


@dataclass(frozen=True)
class Malformed:
    """A request the service must refuse with a 4xx; `expected` is the status the contract names."""

    name: str
    body: bytes
    expected: int
    content_type: str = "application/json"


def malformed_requests() -> tuple[Malformed, ...]:
    """One request per kind of bad input the contract promises a 4xx for."""
    ok = list(CHALLENGE_VECTOR)
    return (
        Malformed("empty body", b"", 400),
        Malformed("invalid json", b'{"array": [0, 1', 400),
        Malformed("wrong content type", single_body(CHALLENGE_VECTOR), 415, "text/plain"),
        Malformed("missing array", _dumps({"vector": ok}), 422),
        Malformed("extra field", _dumps({"array": ok, "debug": True}), 422),
        Malformed("too short", _dumps({"array": ok[:-1]}), 422),
        Malformed("too long", _dumps({"array": [*ok, 0]}), 422),
        Malformed("string item", _dumps({"array": ["1", *ok[1:]]}), 422),
        Malformed("float item", _dumps({"array": [1.5, *ok[1:]]}), 422),
        Malformed("boolean item", _dumps({"array": [True, *ok[1:]]}), 422),
        Malformed("null item", _dumps({"array": [None, *ok[1:]]}), 422),
        Malformed("out of range", _dumps({"array": [2, *ok[1:]]}), 422),
        Malformed("nested list", _dumps({"array": [ok]}), 422),
    )


def single_lines() -> bytes:
    """Every valid single-flight body, one per line: the input wrk/rotate.lua rotates through."""
    return b"\n".join(single_body(v) for v in valid_vectors()) + b"\n"
