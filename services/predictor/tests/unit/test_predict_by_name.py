"""POST /predict: flights by airline, flight type and month, the contract other answers on this data use."""

import json

import pytest

from predictor.features import TEAM

AEROLINEAS_NATIONAL_MARCH = {"OPERA": "Aerolineas Argentinas", "TIPOVUELO": "N", "MES": 3}


def predict(client, body):
    payload = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post("/predict", content=payload, headers={"content-type": "application/json"})


def test_the_contract_example_is_answered_with_0(client):
    response = predict(client, {"flights": [AEROLINEAS_NATIONAL_MARCH]})
    assert response.status_code == 200
    assert response.content == b'{"predict":[0]}'


def test_probabilities_on_request(client):
    answer = predict(client, {"flights": [AEROLINEAS_NATIONAL_MARCH], "probabilities": True}).json()
    assert answer["predict"] == [0]
    assert answer["probabilities"][0] == pytest.approx(0.291, abs=5e-4)


def test_predict_and_api_agree_on_all_552_flights(client):
    flights = [{"OPERA": a, "TIPOVUELO": t, "MES": m} for a, t, m in TEAM.valid_flights()]
    by_name = predict(client, {"flights": flights}).json()["predict"]
    one_hot = [client.post("/api", json={"array": row}).json()["predicciones"][0] for row in TEAM.valid_combinations()]
    assert by_name == one_hot
    assert set(by_name) == {0, 1}  # both answers occur: the comparison is not vacuous


@pytest.mark.parametrize(
    ("flight", "field", "accepted"),
    [
        ({"OPERA": "Ryanair", "TIPOVUELO": "N", "MES": 3}, "OPERA", list(TEAM.airlines)),
        ({"OPERA": "Iberia", "TIPOVUELO": "O", "MES": 3}, "TIPOVUELO", ["I", "N"]),
        ({"OPERA": "Iberia", "TIPOVUELO": "N", "MES": 13}, "MES", list(range(1, 13))),
        ({"OPERA": "Iberia", "TIPOVUELO": "N", "MES": 0}, "MES", list(range(1, 13))),
    ],
)
def test_a_value_the_model_does_not_know_gets_400_listing_the_accepted_values(client, flight, field, accepted):
    response = predict(client, {"flights": [flight]})
    assert response.status_code == 400
    error = response.json()
    assert error["error"] == "invalid_body"
    assert error["field"] == f"$.flights[0].{field}"
    assert error["accepted"] == accepted
    assert "accepted: " in error["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"flights": [{"OPERA": "Iberia", "TIPOVUELO": "N"}]}, "$.flights[0].MES"),  # missing field
        ({"flights": [AEROLINEAS_NATIONAL_MARCH | {"DIA": 1}]}, "$.flights[0].DIA"),  # extra field
        ({"flights": [AEROLINEAS_NATIONAL_MARCH | {"MES": "3"}]}, "$.flights[0].MES"),  # a string is not a month
        ({"flights": [AEROLINEAS_NATIONAL_MARCH | {"MES": 3.0}]}, "$.flights[0].MES"),
        ({"flights": [AEROLINEAS_NATIONAL_MARCH | {"MES": True}]}, "$.flights[0].MES"),
        ({"flights": [AEROLINEAS_NATIONAL_MARCH | {"OPERA": None}]}, "$.flights[0].OPERA"),
        ({"flights": []}, "$.flights"),
        ({"flights": AEROLINEAS_NATIONAL_MARCH}, "$.flights"),
        ({"vuelos": [AEROLINEAS_NATIONAL_MARCH]}, "$.vuelos"),
    ],
)
def test_the_wrong_shape_or_type_gets_400_naming_the_field(client, body, field):
    response = predict(client, body)
    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.parametrize("body", ["{", "", "[1, 2]"])
def test_malformed_json_gets_400(client, body):
    assert predict(client, body).status_code == 400


def test_more_flights_than_the_batch_limit_get_400(client):
    response = predict(client, {"flights": [AEROLINEAS_NATIONAL_MARCH] * 1001})
    assert response.status_code == 400
    assert response.json()["field"] == "$.flights"


def test_health_answers_in_that_contracts_shape(client):
    assert client.get("/health").json() == {"status": "OK"}


def test_the_openapi_document_lists_the_airlines_and_an_example(client):
    document = client.get("/schema/openapi.json").json()
    flight = document["components"]["schemas"]["Flight"]
    assert flight["properties"]["OPERA"]["enum"] == list(TEAM.airlines)
    assert flight["properties"]["MES"]["enum"] == list(range(1, 13))
    assert document["components"]["schemas"]["FlightsRequest"]["example"]["flights"][0] == AEROLINEAS_NATIONAL_MARCH
    assert set(document["paths"]["/predict"]["post"]["responses"]) == {"200", "400", "413", "415", "503"}
