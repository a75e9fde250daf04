"""The 37 one-hot model inputs, in the order the data science team's model expects.

The team one-hot encoded three columns of the 2017 SCL flights data with pandas' get_dummies,
which sorts categories, and concatenated them: OPERA (airline), TIPOVUELO (flight type), MES
(month). Training writes this order into the model manifest; serving reads it from there.
"""

from itertools import product

AIRLINES = (
    "Aerolineas Argentinas",
    "Aeromexico",
    "Air Canada",
    "Air France",
    "Alitalia",
    "American Airlines",
    "Austral",
    "Avianca",
    "British Airways",
    "Copa Air",
    "Delta Air",
    "Gol Trans",
    "Grupo LATAM",
    "Iberia",
    "JetSmart SPA",
    "K.L.M.",
    "Lacsa",
    "Latin American Wings",
    "Oceanair Linhas Aereas",
    "Plus Ultra Lineas Aereas",
    "Qantas Airways",
    "Sky Airline",
    "United Airlines",
)
FLIGHT_TYPES = ("I", "N")  # international, national
MONTHS = tuple(range(1, 13))

FEATURE_NAMES = (
    *(f"OPERA_{airline}" for airline in AIRLINES),
    *(f"TIPOVUELO_{kind}" for kind in FLIGHT_TYPES),
    *(f"MES_{month}" for month in MONTHS),
)
N_FEATURES = len(FEATURE_NAMES)

# The example request of the challenge (seed/challenge.md); it must always be answered with 200.
CHALLENGE_EXAMPLE = (
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0,
)  # fmt: skip


_TYPES_AT = len(AIRLINES)
_MONTHS_AT = _TYPES_AT + len(FLIGHT_TYPES)


def is_flight(row: list[int]) -> bool:
    """Exactly one airline, one flight type and one month set: a vector a real flight can produce."""
    return row[:_TYPES_AT].count(1) == 1 and row[_TYPES_AT:_MONTHS_AT].count(1) == 1 and row[_MONTHS_AT:].count(1) == 1


def encode(airline: str, flight_type: str, month: int) -> list[int]:
    """One flight as the model's 0/1 input vector."""
    row = [0] * N_FEATURES
    row[AIRLINES.index(airline)] = 1
    row[len(AIRLINES) + FLIGHT_TYPES.index(flight_type)] = 1
    row[len(AIRLINES) + len(FLIGHT_TYPES) + MONTHS.index(month)] = 1
    return row


def valid_flights() -> list[tuple[str, str, int]]:
    """Every (airline, flight type, month) a real flight can have: 23 x 2 x 12 = 552."""
    return list(product(AIRLINES, FLIGHT_TYPES, MONTHS))


def valid_combinations() -> list[list[int]]:
    """The 552 valid flights as input vectors, in valid_flights() order."""
    return [encode(*flight) for flight in valid_flights()]
