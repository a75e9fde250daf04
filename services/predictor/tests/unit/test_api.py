"""The HTTP contract, in-process: the challenge's request, batches, and every bad input."""

import json

import pytest

from predictor.features import CHALLENGE_EXAMPLE, TEAM, TEAM_COLUMNS

EXAMPLE = list(CHALLENGE_EXAMPLE)
JSON_HEADERS = {"content-type": "application/json"}


def post(client, path: str, body: bytes | str, headers=JSON_HEADERS):
    return client.post(path, content=body, headers=headers)


def test_challenge_example_gets_200_and_one_prediction(client):
    response = client.post("/api", json={"array": EXAMPLE})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() in ({"predicciones": [0]}, {"predicciones": [1]})


def test_content_type_with_charset_is_accepted(client):
    response = post(client, "/api", json.dumps({"array": EXAMPLE}), {"content-type": "Application/JSON; charset=utf-8"})
    assert response.status_code == 200


def test_batch_returns_one_prediction_per_row_in_order(client):
    rows = TEAM.valid_combinations()[:50]
    singles = [client.post("/api", json={"array": row}).json()["predicciones"][0] for row in rows]
    response = client.post("/api/batch", json={"arrays": rows})
    assert response.status_code == 200
    assert response.json() == {"predicciones": singles}


BAD_SINGLE = [
    # (name, raw body, status, error kind, field)
    ("not json", b"array=1", 400, "malformed_json", None),
    ("empty body", b"", 400, "empty_body", None),
    ("trailing garbage", json.dumps({"array": EXAMPLE}) + " x", 400, "malformed_json", None),
    ("NaN", b'{"array": [NaN' + b",0" * 36 + b"]}", 400, "malformed_json", None),
    ("Infinity", b'{"array": [Infinity' + b",0" * 36 + b"]}", 400, "malformed_json", None),
    ("a list, not an object", b"[0, 1]", 422, "invalid_body", "$"),
    ("missing array", b"{}", 422, "invalid_body", "$.array"),
    ("typo in the field name", b'{"arrray": [0]}', 422, "invalid_body", "$.arrray"),
    ("extra field", json.dumps({"array": EXAMPLE, "debug": True}), 422, "invalid_body", "$.debug"),
    ("36 features", json.dumps({"array": EXAMPLE[:36]}), 422, "invalid_body", "$.array"),
    ("38 features", json.dumps({"array": [*EXAMPLE, 0]}), 422, "invalid_body", "$.array"),
    ("nested list", json.dumps({"array": [EXAMPLE]}), 422, "invalid_body", "$.array[0]"),
    ("nested row", json.dumps({"array": [[0], *EXAMPLE[1:]]}), 422, "invalid_body", "$.array[0]"),
    ("string number", json.dumps({"array": ["1", *EXAMPLE[1:]]}), 422, "invalid_body", "$.array[0]"),
    ("float", json.dumps({"array": [*EXAMPLE[:5], 1.0, *EXAMPLE[6:]]}), 422, "invalid_body", "$.array[5]"),
    ("null", json.dumps({"array": [None, *EXAMPLE[1:]]}), 422, "invalid_body", "$.array[0]"),
    ("boolean", json.dumps({"array": [True, *EXAMPLE[1:]]}), 422, "invalid_body", "$.array[0]"),
    ("two", json.dumps({"array": [*EXAMPLE[:36], 2]}), 422, "invalid_body", "$.array[36]"),
    ("negative", json.dumps({"array": [-1, *EXAMPLE[1:]]}), 422, "invalid_body", "$.array[0]"),
    ("huge number", b'{"array": [1e400' + b",0" * 36 + b"]}", 422, "invalid_body", "$.array[0]"),
    ("array is null", b'{"array": null}', 422, "invalid_body", "$.array"),
]


@pytest.mark.parametrize(("name", "body", "status", "kind", "field"), BAD_SINGLE, ids=[case[0] for case in BAD_SINGLE])
def test_bad_input_gets_a_4xx_naming_the_problem(client, name, body, status, kind, field):
    response = post(client, "/api", body)
    assert response.status_code == status
    error = response.json()
    assert error["error"] == kind
    assert error["field"] == field
    assert error["detail"]


def test_strings_are_not_numbers_even_when_they_look_like_them(client):
    detail = post(client, "/api", json.dumps({"array": ["1"] + ["0"] * 36})).json()["detail"]
    assert detail == "Expected `int`, got `str`"


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/jsonx"])
def test_wrong_content_type_gets_415(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/api", content=json.dumps({"array": EXAMPLE}), headers=headers)
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"


def test_body_over_the_limit_gets_413(client):
    huge = json.dumps({"arrays": [EXAMPLE] * 5000})  # about 550 kB > 256 KiB
    response = post(client, "/api/batch", huge)
    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"


def test_batch_rejects_empty_and_oversized_batches(client):
    assert post(client, "/api/batch", '{"arrays": []}').status_code == 422
    too_many = post(client, "/api/batch", json.dumps({"arrays": [EXAMPLE] * 1001}))
    assert too_many.status_code == 422
    assert too_many.json()["detail"] == "Expected `array` of length <= 1000"


def test_batch_names_the_bad_row_and_column(client):
    rows = [EXAMPLE, [*EXAMPLE[:7], "0", *EXAMPLE[8:]]]
    error = post(client, "/api/batch", json.dumps({"arrays": rows})).json()
    assert error["field"] == "$.arrays[1][7]"


def test_single_form_with_batch_field_is_refused(client):
    assert post(client, "/api", json.dumps({"arrays": [EXAMPLE]})).status_code == 422


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_wrong_method_gets_405_with_allow(client, method):
    response = client.request(method, "/api")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"] == "method_not_allowed"


def test_unknown_path_gets_404_json(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "Not Found", "field": None}


def test_wrong_method_on_a_litestar_route_gets_405(client):
    response = client.post("/health/live")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_health_endpoints(client):
    assert client.get("/health/live").json() == {"status": "live"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


@pytest.mark.parametrize("path", ["/health", "/health/live", "/health/ready"])
def test_probes_answer_head(client, path):
    response = client.head(path)
    assert response.status_code == 200
    assert response.content == b""


def test_model_metadata_shows_the_challenge_pickle_and_its_proof(client):
    metadata = client.get("/model").json()
    assert metadata["source"]["sha256"].startswith("b7d53794")
    assert metadata["source"]["sklearn_version"] == "1.1.2"
    assert metadata["holdout"]["matches_notebook"] is True
    assert metadata["holdout"]["confusion_matrix"] == [[10958, 7445], [1477, 2628]]
    assert metadata["sklearn_parity"]["label_mismatches"] == 0
    assert metadata["feature_names"] == list(TEAM_COLUMNS)
    assert "self_check" not in metadata
    assert metadata["version"] == client.get("/health/ready").json()["model_version"]


def test_probabilities_on_request_equal_scikit_learns_on_the_flights_and_the_team_test_set(client):
    import numpy as np

    from predictor.pickle_import import import_file
    from predictor.pipeline.data import CHALLENGE_DATA, read_split
    from predictor.pipeline.evidence import sklearn_estimator

    source = client.get("/model").json()["source"]
    team, _ = sklearn_estimator(import_file(CHALLENGE_DATA / source["file"], source["sha256"]).attributes)
    rows = TEAM.valid_combinations() + read_split(CHALLENGE_DATA, "test").rows
    labels, probabilities = [], []
    for start in range(0, len(rows), 1000):
        answer = client.post("/api/batch", json={"arrays": rows[start : start + 1000], "probabilidades": True})
        labels += answer.json()["predicciones"]
        probabilities += answer.json()["probabilidades"]
    matrix = np.array(rows, dtype=np.float64)
    assert labels == team.predict(matrix).tolist()
    assert np.abs(np.array(probabilities) - team.predict_proba(matrix)[:, 1]).max() < 1e-12


def test_without_the_flag_the_batch_answer_has_no_probabilities(client):
    answer = client.post("/api/batch", json={"arrays": [list(CHALLENGE_EXAMPLE)]})
    assert answer.content == b'{"predicciones":[0]}'


def test_openapi_documents_every_feature_in_order_with_bounds(client):
    document = client.get("/schema/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    array = document["components"]["schemas"]["PredictRequest"]["properties"]["array"]
    assert (array["minItems"], array["maxItems"]) == (37, 37)
    assert [item["title"] for item in array["prefixItems"]] == [f"{i}: {n}" for i, n in enumerate(TEAM_COLUMNS)]
    assert all((item["minimum"], item["maximum"]) == (0, 1) for item in array["prefixItems"])
    assert array["prefixItems"][12]["description"] == "1 if the airline operating the flight is Grupo LATAM"
    assert set(document["paths"]["/api"]["post"]["responses"]) == {"200", "400", "413", "415", "422", "503"}
    assert client.get("/schema").json() == document
