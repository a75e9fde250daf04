"""The OpenAPI 3.1 document, built from the msgspec types and the model's feature names.

The prediction routes are not Litestar handlers (see prediction.py), so the document is ours:
its request schemas come from the very types that decode requests, each of the 37 features is
described in position with its meaning and bounds, and /predict lists the airlines the model knows.
"""

from typing import Any

import msgspec

from predictor.features import CHALLENGE_EXAMPLE
from predictor.loading import LoadedModel
from predictor.schemas import (
    ErrorBody,
    FlightPredictions,
    Predictions,
    PredictRequest,
    batch_request_type,
    flights_request_type,
)

REF = "#/components/schemas/{name}"
Json = dict[str, Any]


def feature_meaning(name: str) -> str:
    column, _, value = name.partition("_")
    return {
        "OPERA": f"1 if the airline operating the flight is {value}",
        "TIPOVUELO": f"1 if the flight is {'international' if value == 'I' else 'national'} (TIPOVUELO={value})",
        "MES": f"1 if the flight departs in month {value}",
    }.get(column, name)


def openapi_document(loaded: LoadedModel, max_batch_rows: int) -> dict[str, Any]:
    feature_names, version = loaded.manifest.feature_names, loaded.manifest.version
    types = [PredictRequest, batch_request_type(max_batch_rows), Predictions, ErrorBody]
    types += [flights_request_type(loaded.features, max_batch_rows), FlightPredictions]
    (predict, batch, predictions, error, flights, flight_predictions), components = msgspec.json.schema_components(
        types, ref_template=REF
    )
    features = [
        {"title": f"{i}: {name}", "description": feature_meaning(name), "type": "integer", "minimum": 0, "maximum": 1}
        for i, name in enumerate(feature_names)
    ]
    components["PredictRequest"]["properties"]["array"]["prefixItems"] = features
    components["PredictRequest"]["example"] = {"array": list(CHALLENGE_EXAMPLE)}
    components["BatchRequest"]["properties"]["arrays"]["items"]["prefixItems"] = features
    components["FlightsRequest"]["example"] = {
        "flights": [{"OPERA": "Aerolineas Argentinas", "TIPOVUELO": "N", "MES": 3}]
    }
    client_errors = {
        "400": _error_response("Malformed JSON or an empty body", error),
        "413": _error_response("Body larger than MAX_BODY_BYTES", error),
        "415": _error_response("Content-Type is not application/json", error),
        "422": _error_response("The body does not match the schema; `field` is the JSON path", error),
        "503": _error_response("The model is not loaded yet, or the service is draining", error),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SCL flight-delay predictor",
            "version": version,
            "description": (
                "Predicts whether a flight at Santiago airport (SCL) leaves more than 15 minutes late. "
                "Inputs are 37 one-hot features in a fixed order (GET /model lists them)."
            ),
        },
        "paths": {
            "/api": {"post": _operation("predict", "Predict one flight", predict, predictions, client_errors)},
            "/api/batch": {
                "post": _operation(
                    "predictBatch", f"Predict up to {max_batch_rows} flights", batch, predictions, client_errors
                )
            },
            "/predict": {
                "post": _operation(
                    "predictByName",
                    f"Predict up to {max_batch_rows} flights given by airline, flight type and month",
                    flights,
                    flight_predictions,
                    {
                        "400": _error_response("Malformed JSON, or a value the model does not know", error),
                        **{code: client_errors[code] for code in ("413", "415", "503")},
                    },
                )
            },
            "/health": {
                "get": _plain(
                    "health",
                    "Ready, in the shape other answers on this data use",
                    {"200": _status_response("OK"), "503": _error_response("Not ready", error)},
                )
            },
            "/health/live": {"get": _plain("live", "The process is up", {"200": _status_response("Alive")})},
            "/health/ready": {
                "get": _plain(
                    "ready",
                    "The model is verified and loaded",
                    {"200": _status_response("Ready"), "503": _error_response("Not ready", error)},
                )
            },
            "/model": {"get": _plain("model", "Model metadata from the manifest", {"200": _json_response("Metadata")})},
            "/metrics": {
                "get": _plain(
                    "metrics",
                    "Prometheus exposition",
                    {"200": {"description": "Metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}},
                )
            },
        },
        "components": {"schemas": components},
    }


def _operation(op_id: str, summary: str, body: Json, ok: Json, errors: Json) -> Json:
    return {
        "operationId": op_id,
        "summary": summary,
        "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
        "responses": {
            "200": {"description": "One prediction per row", "content": {"application/json": {"schema": ok}}},
            **errors,
        },
    }


def _plain(op_id: str, summary: str, responses: Json) -> Json:
    return {"operationId": op_id, "summary": summary, "responses": responses}


def _error_response(description: str, schema: Json) -> Json:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _json_response(description: str) -> Json:
    return {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}}


def _status_response(description: str) -> Json:
    schema = {"type": "object", "properties": {"status": {"type": "string"}}, "required": ["status"]}
    return {"description": description, "content": {"application/json": {"schema": schema}}}
