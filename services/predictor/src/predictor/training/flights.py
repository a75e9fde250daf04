"""Flights data in the schema of the 2017 SCL dataset (dataset_SCL.csv): read it, or make it.

The real file is not ours to publish, so the bundled model is trained on a deterministic
synthetic stand-in with the same columns, category sets, row count and class balance. A user
who has the real file passes it to `predictor train --data dataset_SCL.csv`; both go through
the same reader.
"""

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from predictor.features import AIRLINES, FLIGHT_TYPES, MONTHS, encode

COLUMNS = (
    "Fecha-I", "Vlo-I", "Ori-I", "Des-I", "Emp-I", "Fecha-O", "Vlo-O", "Ori-O", "Des-O", "Emp-O",
    "DIA", "MES", "AÑO", "DIANOM", "TIPOVUELO", "OPERA", "SIGLAORI", "SIGLADES",
)  # fmt: skip
TIMESTAMP = "%Y-%m-%d %H:%M:%S"
DELAY_THRESHOLD = timedelta(minutes=15)


class FlightsDataError(ValueError):
    """The flights file cannot be used: names the file, line and problem."""


@dataclass(frozen=True)
class Flights:
    """The three model inputs and the label, one entry per flight."""

    airline: list[str]
    flight_type: list[str]
    month: list[int]
    delayed: list[bool]

    def features(self) -> np.ndarray:
        """The 37-column one-hot matrix, in the manifest's feature order."""
        rows = map(encode, self.airline, self.flight_type, self.month)
        return np.array(list(rows), dtype=np.float64)

    def labels(self) -> np.ndarray:
        return np.array(self.delayed, dtype=np.int64)


def read_flights(path: Path) -> Flights:
    """Read a dataset_SCL.csv-shaped file; the label is departure more than 15 minutes late."""
    airline, flight_type, month, delayed = [], [], [], []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("Fecha-I", "Fecha-O", "MES", "TIPOVUELO", "OPERA") if c not in (reader.fieldnames or ())]
        if missing:
            raise FlightsDataError(f"{path}: missing columns {', '.join(missing)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            try:
                scheduled = datetime.strptime(row["Fecha-I"], TIMESTAMP)
                operated = datetime.strptime(row["Fecha-O"], TIMESTAMP)
                row_month = int(row["MES"])
            except ValueError as error:
                raise FlightsDataError(f"{where}: {error}") from None
            _check(where, "OPERA", row["OPERA"], AIRLINES)
            _check(where, "TIPOVUELO", row["TIPOVUELO"], FLIGHT_TYPES)
            _check(where, "MES", row_month, MONTHS)
            airline.append(row["OPERA"])
            flight_type.append(row["TIPOVUELO"])
            month.append(row_month)
            delayed.append(operated - scheduled > DELAY_THRESHOLD)
    if not delayed:
        raise FlightsDataError(f"{path}: no flights")
    return Flights(airline, flight_type, month, delayed)


def _check(where: str, column: str, value: object, allowed: tuple) -> None:
    if value not in allowed:
        raise FlightsDataError(
            f"{where}: {column}={value!r} is not one of the {len(allowed)} values the 37-feature model knows"
        )


# --- the synthetic stand-in ------------------------------------------------------------------

# Flights per airline and per month in the 2017 SCL data (68,206 flights in all).
AIRLINE_FLIGHTS = {
    "Grupo LATAM": 40891, "Sky Airline": 14298, "Aerolineas Argentinas": 1949, "Copa Air": 1850,
    "Latin American Wings": 1674, "Avianca": 1152, "JetSmart SPA": 1095, "Gol Trans": 806,
    "American Airlines": 757, "Air Canada": 565, "Iberia": 362, "Delta Air": 358, "Air France": 359,
    "Aeromexico": 351, "United Airlines": 335, "Oceanair Linhas Aereas": 279, "Alitalia": 259,
    "K.L.M.": 251, "British Airways": 205, "Qantas Airways": 195, "Lacsa": 92, "Austral": 74,
    "Plus Ultra Lineas Aereas": 49,
}  # fmt: skip
MONTH_FLIGHTS = (6108, 5561, 5482, 5020, 5240, 4981, 5992, 5744, 5610, 6032, 6080, 6356)
# Share of national flights for the airlines that fly inside Chile; the rest are international.
NATIONAL_SHARE = {"Grupo LATAM": 0.60, "Sky Airline": 0.75, "JetSmart SPA": 0.9, "Latin American Wings": 0.4}
# Log-odds effects on a late departure; the hour of day is hidden from the model, as in reality.
AIRLINE_EFFECT = {"Latin American Wings": 1.2, "Plus Ultra Lineas Aereas": 1.6, "Qantas Airways": 1.1,
                  "Gol Trans": 0.5, "Avianca": 0.4, "Copa Air": -0.6, "Aeromexico": -0.4, "Iberia": 0.2}  # fmt: skip
MONTH_EFFECT = (0.15, 0.0, -0.45, -0.5, -0.3, -0.05, 0.55, 0.0, -0.1, 0.2, 0.1, 0.45)
INTERNATIONAL_EFFECT = 0.35
TARGET_DELAY_RATE = 0.185
YEAR = 2017
CODES = {airline: "".join(w[0] for w in airline.upper().split())[:3].ljust(3, "X") for airline in AIRLINES}
NATIONAL = (("SCFA", "Antofagasta"), ("SCIE", "Concepcion"), ("SCDA", "Iquique"), ("SCTE", "Puerto Montt"),
            ("SCCI", "Punta Arenas"), ("SCSE", "La Serena"), ("SCAR", "Arica"), ("SCCF", "Calama"))  # fmt: skip
ABROAD = (("SAEZ", "Buenos Aires"), ("SBGR", "Sao Paulo"), ("SPJC", "Lima"), ("MPTO", "Ciudad de Panama"),
          ("SKBO", "Bogota"), ("KMIA", "Miami"), ("KDFW", "Dallas"), ("CYYZ", "Toronto"), ("LEMD", "Madrid"),
          ("KATL", "Atlanta"), ("LFPG", "Paris"), ("MMMX", "Ciudad de Mexico"), ("EHAM", "Amsterdam"))  # fmt: skip
WEEKDAYS = ("Lunes", "Martes", "Miercoles", "Jueves", "Viernes", "Sabado", "Domingo")


def synthesize(path: Path, seed: int = 2017) -> int:
    """Write a synthetic dataset_SCL.csv: same schema, counts and ~18.5% delayed; returns rows."""
    rng = np.random.default_rng(seed)
    airlines = rng.permutation(np.repeat(list(AIRLINE_FLIGHTS), list(AIRLINE_FLIGHTS.values())))
    months = rng.permutation(np.repeat(np.arange(1, 13), MONTH_FLIGHTS))
    national = rng.random(len(airlines)) < np.array([NATIONAL_SHARE.get(a, 0.0) for a in airlines])
    days = np.array([rng.integers(1, _days_in(m) + 1) for m in months])
    minutes = rng.integers(0, 24 * 60, len(airlines))
    logit = (
        np.array([AIRLINE_EFFECT.get(a, 0.0) for a in airlines])
        + np.array(MONTH_EFFECT)[months - 1]
        + np.where(national, 0.0, INTERNATIONAL_EFFECT)
        + 0.8 * np.sin((minutes / 1440 - 0.35) * 2 * np.pi)  # evenings run late
    )
    probability = _sigmoid(logit + _calibrate(logit))
    delayed = rng.random(len(airlines)) < probability
    late_by = np.where(delayed, 16 + rng.exponential(25, len(airlines)), rng.uniform(-10, 15, len(airlines)))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i, airline in enumerate(airlines):
            scheduled = datetime(YEAR, int(months[i]), int(days[i])) + timedelta(minutes=int(minutes[i]))
            operated = scheduled + timedelta(minutes=round(float(late_by[i])))
            icao, city = (NATIONAL if national[i] else ABROAD)[rng.integers(0, 8)]
            number = str(rng.integers(1, 9999))
            code = CODES[str(airline)]
            writer.writerow((
                scheduled.strftime(TIMESTAMP), number, "SCEL", icao, code,
                operated.strftime(TIMESTAMP), number, "SCEL", icao, code,
                operated.day, operated.month, operated.year, WEEKDAYS[operated.weekday()],
                "N" if national[i] else "I", airline, "Santiago", city,
            ))  # fmt: skip
    return len(airlines)


def _days_in(month: int) -> int:
    return ((datetime(YEAR + month // 12, month % 12 + 1, 1)) - datetime(YEAR, month, 1)).days


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _calibrate(logit: np.ndarray) -> float:
    """The intercept that makes the expected delay rate TARGET_DELAY_RATE (bisection)."""
    low, high = -10.0, 10.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if _sigmoid(logit + mid).mean() < TARGET_DELAY_RATE else (low, mid)
    return (low + high) / 2
