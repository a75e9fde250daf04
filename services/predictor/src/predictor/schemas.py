"""Request and response bodies of the prediction API, decoded strictly with msgspec.

Strict means JSON types are taken as they are: "1", 1.0, true and null are not the integer 1,
and unknown fields are rejected (a typo such as "arrray" must not pass silently).
"""

from typing import Annotated

import msgspec

from predictor.features import N_FEATURES

Feature = Annotated[int, msgspec.Meta(ge=0, le=1)]
FeatureVector = Annotated[
    list[Feature],
    msgspec.Meta(
        min_length=N_FEATURES,
        max_length=N_FEATURES,
        description=f"{N_FEATURES} one-hot features (0 or 1), in the order of GET /model feature_names",
    ),
]


class PredictRequest(msgspec.Struct, forbid_unknown_fields=True):
    """The challenge's contract: one flight."""

    array: FeatureVector


class Predictions(msgspec.Struct, omit_defaults=True):
    """One 0/1 prediction per input row (1: departure more than 15 minutes late), and P(delay) on request."""

    predicciones: list[int]
    probabilidades: list[float] | msgspec.UnsetType = msgspec.UNSET


class ErrorBody(msgspec.Struct, omit_defaults=False):
    """Every 4xx/5xx body: what kind of error, the problem, and the JSON path it is about."""

    error: str
    detail: str
    field: str | None = None


def batch_request_type(max_rows: int) -> type[msgspec.Struct]:
    """POST /api/batch's body: {"arrays": [vector, ...]} with 1..max_rows rows; "probabilidades": true
    adds each row's probability of delay to the answer."""
    rows = Annotated[list[FeatureVector], msgspec.Meta(min_length=1, max_length=max_rows)]
    fields = [("arrays", rows), ("probabilidades", bool, False)]
    return msgspec.defstruct("BatchRequest", fields, forbid_unknown_fields=True)


def describe_validation_error(error: msgspec.ValidationError) -> tuple[str, str]:
    """Split msgspec's message into (problem, JSON path): 'Expected `int` <= 1', '$.array[3]'."""
    problem, _, where = str(error).partition(" - at `")
    path = where.rstrip("`") or "$"
    for marker in ("unknown field `", "required field `"):
        if marker in problem:
            path = f"{path}.{problem.split(marker)[1].rstrip('`')}"
    return problem, path
