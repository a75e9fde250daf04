"""The challenge's data files, read with the standard library (gzip and csv)."""

import csv
import gzip
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from predictor.artifacts import sha256_of
from predictor.features import TEAM

# services/predictor/data/scl in a checkout of the repository (the package does not ship it).
CHALLENGE_DATA = Path(__file__).resolve().parents[3] / "data" / "scl"
DATASET = "dataset_SCL.csv.gz"
PICKLE = "pickle_model.pkl"
DELAY_THRESHOLD = timedelta(minutes=15)


class DataError(ValueError):
    """A data file cannot be used: names the file, line and problem."""


@dataclass(frozen=True)
class Flights:
    """The three model inputs and the label, one entry per flight."""

    airline: list[str]
    flight_type: list[str]
    month: list[int]
    delayed: list[int]

    def rows(self) -> list[list[int]]:
        """The 37-column one-hot vectors, in the team's feature order."""
        return list(map(TEAM.encode, self.airline, self.flight_type, self.month))


@dataclass(frozen=True)
class Split:
    """Feature rows and labels of a training or test set."""

    rows: list[list[int]]
    labels: list[int]


def open_text(path: Path) -> IO[str]:
    """A CSV file, gzip-compressed or not, as text."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", newline="", encoding="utf-8-sig")
    return path.open(newline="", encoding="utf-8-sig")


def content_sha256(path: Path) -> str:
    """SHA-256 of a data file's content (of the CSV inside a .csv.gz), as provenance.json records it."""
    raw = path.read_bytes()
    return sha256_of(gzip.decompress(raw) if path.suffix == ".gz" else raw)


def read_flights(path: Path) -> Flights:
    """A dataset_SCL.csv-shaped file; the label is departure more than 15 minutes late."""
    airline, flight_type, month, delayed = [], [], [], []
    with open_text(path) as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("Fecha-I", "Fecha-O", "MES", "TIPOVUELO", "OPERA") if c not in (reader.fieldnames or ())]
        if missing:
            raise DataError(f"{path}: missing columns {', '.join(missing)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            try:
                scheduled, operated = _timestamp(row["Fecha-I"]), _timestamp(row["Fecha-O"])
                row_month = int(row["MES"])
            except ValueError as error:
                raise DataError(f"{where}: {error}") from None
            _check(where, "OPERA", row["OPERA"], TEAM.airlines)
            _check(where, "TIPOVUELO", row["TIPOVUELO"], TEAM.flight_types)
            _check(where, "MES", row_month, TEAM.months)
            airline.append(row["OPERA"])
            flight_type.append(row["TIPOVUELO"])
            month.append(row_month)
            delayed.append(int(operated - scheduled > DELAY_THRESHOLD))
    if not delayed:
        raise DataError(f"{path}: no flights")
    return Flights(airline, flight_type, month, delayed)


def read_split(folder: Path, name: str) -> Split:
    """The team's x_<name>.csv.gz and y_<name>.csv.gz: 0/1 rows (headerless) and 0/1 labels."""
    rows = _read_numbers(folder / f"x_{name}.csv.gz")
    labels = [row[0] for row in _read_numbers(folder / f"y_{name}.csv.gz")]
    if len(rows) != len(labels):
        raise DataError(f"{folder}: x_{name} has {len(rows)} rows, y_{name} has {len(labels)}")
    return Split(rows, labels)


def read_provenance(folder: Path) -> dict[str, Any]:
    path = folder / "provenance.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _read_numbers(path: Path) -> list[list[int]]:
    with open_text(path) as handle:
        try:
            return [[int(value) for value in row] for row in csv.reader(handle)]
        except ValueError as error:
            raise DataError(f"{path}: {error}") from None


def _timestamp(text: str) -> datetime:
    """'2017-01-01 23:30:00', and nothing looser (fromisoformat alone would take '2017-01-01')."""
    if len(text) != len("2017-01-01 23:30:00") or text[10] != " ":
        raise ValueError(f"time data {text!r} does not match format 'YYYY-MM-DD HH:MM:SS'")
    return datetime.fromisoformat(text)


def _check(where: str, column: str, value: object, allowed: tuple[object, ...]) -> None:
    if value not in allowed:
        raise DataError(f"{where}: {column}={value!r} is not one of the {len(allowed)} values the model knows")
