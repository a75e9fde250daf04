"""The challenge's data files are what provenance.json says, and they read as the model needs."""

import csv
import gzip
import json
from pathlib import Path

import pytest

from predictor.features import N_FEATURES, TEAM
from predictor.pipeline.data import CHALLENGE_DATA, DATASET, DataError, content_sha256, read_flights, read_split

with gzip.open(CHALLENGE_DATA / DATASET, "rt", encoding="utf-8") as header:
    COLUMNS = next(csv.reader(header))
ROW = dict.fromkeys(COLUMNS, "x")


def write_csv(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def flight(scheduled: str, operated: str, airline="Grupo LATAM", kind="N", month="1") -> dict[str, str]:
    return ROW | {"Fecha-I": scheduled, "Fecha-O": operated, "OPERA": airline, "TIPOVUELO": kind, "MES": month}


def test_reads_the_real_schema_and_labels_delays_over_15_minutes(tmp_path):
    path = write_csv(
        tmp_path / "dataset_SCL.csv",
        [
            flight("2017-01-01 23:30:00", "2017-01-01 23:45:00"),  # exactly 15: on time
            flight("2017-01-01 23:30:00", "2017-01-01 23:46:00", "Sky Airline", "I", "1"),  # 16: late
            flight("2017-12-31 23:50:00", "2018-01-01 00:20:00", "Iberia", "I", "12"),  # across the year
            flight("2017-03-01 10:00:00", "2017-03-01 09:55:00", month="3"),  # early
        ],
    )
    flights = read_flights(path)
    assert flights.delayed == [0, 1, 1, 0]
    assert flights.airline == ["Grupo LATAM", "Sky Airline", "Iberia", "Grupo LATAM"]
    assert flights.month == [1, 1, 12, 3]
    assert all(len(row) == N_FEATURES and TEAM.is_flight(row) for row in flights.rows())


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (flight("2017-01-01 10:00:00", "2017-01-01 10:00:00", airline="Ryanair"), r":2: OPERA='Ryanair' is not one"),
        (flight("2017-01-01 10:00:00", "2017-01-01 10:00:00", kind="X"), r":2: TIPOVUELO='X'"),
        (flight("2017-01-01 10:00:00", "2017-01-01 10:00:00", month="13"), r":2: MES=13"),
        (flight("01/01/2017", "2017-01-01 10:00:00"), r":2: time data '01/01/2017'"),
    ],
)
def test_bad_rows_are_reported_with_file_and_line(tmp_path, row, message):
    path = write_csv(tmp_path / "bad.csv", [row])
    with pytest.raises(DataError, match=message):
        read_flights(path)


def test_missing_columns_are_named(tmp_path):
    path = write_csv(tmp_path / "short.csv", [ROW], columns=("Fecha-I", "OPERA"))
    with pytest.raises(DataError, match="missing columns Fecha-O, MES, TIPOVUELO"):
        read_flights(path)


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(DataError, match="no flights"):
        read_flights(write_csv(tmp_path / "empty.csv", []))


@pytest.mark.parametrize("name", json.loads((CHALLENGE_DATA / "provenance.json").read_text())["files"])
def test_every_committed_file_is_the_one_provenance_records(name):
    recorded = json.loads((CHALLENGE_DATA / "provenance.json").read_text())["files"][name]
    assert content_sha256(CHALLENGE_DATA / name) == recorded["content_sha256"]
    assert len(recorded["commit"]) == 40


def test_the_real_dataset_has_the_documented_shape():
    flights = read_flights(CHALLENGE_DATA / DATASET)
    assert len(flights.delayed) == 68_206
    assert sum(flights.delayed) == 12_614  # 18.49% left more than 15 minutes late
    assert len(set(flights.airline)) == 23
    assert {kind: flights.flight_type.count(kind) for kind in "IN"} == {"I": 31_240, "N": 36_966}


@pytest.mark.parametrize(("name", "rows"), [("train", 45_698), ("test", 22_508)])
def test_the_team_splits_are_one_hot_flights(name, rows):
    split = read_split(CHALLENGE_DATA, name)
    assert len(split.rows) == len(split.labels) == rows
    assert set(split.labels) == {0, 1}
    assert all(TEAM.is_flight(row) for row in split.rows)  # every row has exactly three ones
