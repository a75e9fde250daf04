"""The traffic every generator sends: valid flights, batches and the malformed catalogue."""

import json

from harness import payloads


def test_layout_comes_from_the_manifest():
    assert (len(payloads.FEATURES.airlines), len(payloads.FEATURES.flight_types)) == (23, 2)
    assert len(payloads.FEATURES.names) == 37


def test_flights_body_names_each_flight():
    body = json.loads(payloads.flights_body([("Iberia", "I", 7)]))
    assert body == {"flights": [{"OPERA": "Iberia", "TIPOVUELO": "I", "MES": 7}]}


def test_valid_vectors_are_the_552_one_hot_flights():
    vectors = payloads.valid_vectors()
    assert len(vectors) == len(set(vectors)) == 552
    for vector in vectors:
        airline, kind, month = vector[:23], vector[23:25], vector[25:]
        assert (sum(airline), sum(kind), sum(month)) == (1, 1, 1)


def test_challenge_body_is_the_contract_example_byte_for_byte():
    example = b'{"array":[0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,1,0,0,1,0,0,1,0,0,1,0,0,0,0]}'
    assert payloads.single_body(payloads.CHALLENGE_VECTOR) == example


def test_batch_body_keeps_row_order():
    vectors = payloads.valid_vectors()[:3]
    assert json.loads(payloads.batch_body(vectors)) == {"arrays": [list(v) for v in vectors]}


def test_single_lines_is_one_valid_body_per_line():
    lines = payloads.single_lines().splitlines()
    assert len(lines) == 552
    assert all(len(json.loads(line)["array"]) == 37 for line in lines)


def test_malformed_catalogue_names_are_unique_and_expect_4xx():
    cases = payloads.malformed_requests()
    assert len({c.name for c in cases}) == len(cases)
    assert all(400 <= c.expected < 500 for c in cases)
