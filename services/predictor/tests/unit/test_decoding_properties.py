"""Properties of strict decoding: every 0/1 vector is answered, nothing else ever gets a 2xx or 5xx."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from predictor.loading import load_model

MODEL = load_model().model
JSON_HEADERS = {"content-type": "application/json"}
CLIENT_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

vectors = st.lists(st.integers(0, 1), min_size=37, max_size=37)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=40) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=60,
)


@CLIENT_SETTINGS
@given(row=vectors)
def test_every_binary_vector_is_predicted_like_the_model(client, row):
    response = client.post("/api", json={"array": row})
    assert response.status_code == 200
    assert response.json() == {"predicciones": [MODEL.predict_one(row)]}


@CLIENT_SETTINGS
@given(value=json_values)
def test_any_other_json_body_is_a_client_error(client, value):
    response = client.post("/api", content=json.dumps(value), headers=JSON_HEADERS)
    valid = isinstance(value, dict) and set(value) == {"array"} and _is_vector(value["array"])
    assert response.status_code == (200 if valid else 422)
    if not valid:
        assert response.json()["error"] == "invalid_body"


@CLIENT_SETTINGS
@given(row=vectors, position=st.integers(0, 36), bad=st.sampled_from(["1", 1.0, True, None, 2, -1, [1], {"v": 1}]))
def test_one_bad_feature_is_reported_at_its_position(client, row, position, bad):
    row[position] = bad
    response = client.post("/api", json={"array": row})
    assert response.status_code == 422
    assert response.json()["field"] == f"$.array[{position}]"


@CLIENT_SETTINGS
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_never_cause_a_server_error(client, raw):
    response = client.post("/api", content=raw, headers=JSON_HEADERS)
    assert 400 <= response.status_code < 500


def _is_vector(value) -> bool:
    return isinstance(value, list) and len(value) == 37 and all(type(x) is int and x in (0, 1) for x in value)
