import csv
from pathlib import Path

import pytest

from predictor.training.flights import COLUMNS, FlightsDataError, read_flights

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
    assert flights.delayed == [False, True, True, False]
    assert flights.airline == ["Grupo LATAM", "Sky Airline", "Iberia", "Grupo LATAM"]
    assert flights.month == [1, 1, 12, 3]
    matrix = flights.features()
    assert matrix.shape == (4, 37)
    assert matrix.sum(axis=1).tolist() == [3, 3, 3, 3]


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
    with pytest.raises(FlightsDataError, match=message):
        read_flights(path)


def test_missing_columns_are_named(tmp_path):
    path = write_csv(tmp_path / "short.csv", [ROW], columns=("Fecha-I", "OPERA"))
    with pytest.raises(FlightsDataError, match="missing columns Fecha-O, MES, TIPOVUELO"):
        read_flights(path)


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(FlightsDataError, match="no flights"):
        read_flights(write_csv(tmp_path / "empty.csv", []))
