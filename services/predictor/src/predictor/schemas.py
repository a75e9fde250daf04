"""Request and response bodies of the prediction API, decoded strictly with msgspec.

Strict means JSON types are taken as they are: "1", 1.0, true and null are not the integer 1,
and unknown fields are rejected (a typo such as "arrray" must not pass silently).
"""

from typing import Annotated, Any, Literal

import msgspec

from predictor.features import AIRLINE, FLIGHT_TYPE, MONTH, N_FEATURES, FeatureSpace

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


class FlightPredictions(msgspec.Struct, omit_defaults=True):
    """POST /predict's answer, in the shape other answers on this data use: one 0/1 per flight."""

    predict: list[int]
    probabilities: list[float] | msgspec.UnsetType = msgspec.UNSET


class ErrorBody(msgspec.Struct, omit_defaults=False):
    """Every 4xx/5xx body: what kind of error, the problem, the JSON path it is about, and for a
    value outside a fixed set (an unknown airline), the values that are accepted."""

    error: str
    detail: str
    field: str | None = None
    accepted: list[str | int] | msgspec.UnsetType = msgspec.UNSET


def batch_request_type(max_rows: int) -> type[msgspec.Struct]:
    """POST /api/batch's body: {"arrays": [vector, ...]} with 1..max_rows rows; "probabilidades": true
    adds each row's probability of delay to the answer."""
    rows = Annotated[list[FeatureVector], msgspec.Meta(min_length=1, max_length=max_rows)]
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = [("arrays", rows), ("probabilidades", bool, False)]
    return msgspec.defstruct("BatchRequest", fields, forbid_unknown_fields=True)


def flights_request_type(features: FeatureSpace, max_rows: int) -> type[msgspec.Struct]:
    """POST /predict's body: {"flights": [{"OPERA": airline, "TIPOVUELO": "I"|"N", "MES": 1..12}, ...]};
    the accepted values are the model's own columns (its manifest), not a second list."""
    flight = msgspec.defstruct(
        "Flight",
        [
            (AIRLINE, Literal[features.airlines]),
            (FLIGHT_TYPE, Literal[features.flight_types]),
            (MONTH, Literal[features.months]),
        ],
        forbid_unknown_fields=True,
    )
    rows = Annotated[list[flight], msgspec.Meta(min_length=1, max_length=max_rows)]  # type: ignore[valid-type]
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = [("flights", rows), ("probabilities", bool, False)]
    return msgspec.defstruct("FlightsRequest", fields, forbid_unknown_fields=True)


def describe_validation_error(error: msgspec.ValidationError) -> tuple[str, str]:
    """Split msgspec's message into (problem, JSON path): 'Expected `int` <= 1', '$.array[3]'."""
    problem, _, where = str(error).partition(" - at `")
    path = where.rstrip("`") or "$"
    for marker in ("unknown field `", "required field `"):
        if marker in problem:
            path = f"{path}.{problem.split(marker)[1].rstrip('`')}"
    return problem, path
