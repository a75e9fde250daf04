"""The model's 37 one-hot inputs: which flight each column stands for, and how to encode one.

The team one-hot encoded three columns of the 2017 SCL flights data with pandas' get_dummies,
which sorts categories, and concatenated them: OPERA (airline), TIPOVUELO (flight type), MES
(month). A pickle does not record these names, so TEAM_COLUMNS states the team's order once for
the import, which writes it into the manifest; serving builds its FeatureSpace from the manifest.
"""

from dataclasses import dataclass
from functools import cached_property
from itertools import product

AIRLINE, FLIGHT_TYPE, MONTH = "OPERA", "TIPOVUELO", "MES"

TEAM_COLUMNS = (
    *(
        f"{AIRLINE}_{airline}"
        for airline in (
            "Aerolineas Argentinas", "Aeromexico", "Air Canada", "Air France", "Alitalia", "American Airlines",
            "Austral", "Avianca", "British Airways", "Copa Air", "Delta Air", "Gol Trans", "Grupo LATAM", "Iberia",
            "JetSmart SPA", "K.L.M.", "Lacsa", "Latin American Wings", "Oceanair Linhas Aereas",
            "Plus Ultra Lineas Aereas", "Qantas Airways", "Sky Airline", "United Airlines",
        )
    ),
    f"{FLIGHT_TYPE}_I",  # international
    f"{FLIGHT_TYPE}_N",  # national
    *(f"{MONTH}_{month}" for month in range(1, 13)),
)  # fmt: skip
N_FEATURES = len(TEAM_COLUMNS)

# The example request of the challenge (seed/challenge.md); it must always be answered with 200.
# It sets Grupo LATAM, TIPOVUELO_I and three months, so no real flight produces it.
CHALLENGE_EXAMPLE = (
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0,
)  # fmt: skip


class ColumnsError(ValueError):
    """Feature names that are not OPERA_*, then TIPOVUELO_*, then MES_* columns."""


@dataclass(frozen=True)
class FeatureSpace:
    """Columns named `<group>_<value>`, grouped airline, flight type, month, in that order."""

    names: tuple[str, ...]
    airlines: tuple[str, ...]
    flight_types: tuple[str, ...]
    months: tuple[int, ...]

    @classmethod
    def from_names(cls, names: list[str] | tuple[str, ...]) -> "FeatureSpace":
        groups: dict[str, list[str]] = {AIRLINE: [], FLIGHT_TYPE: [], MONTH: []}
        for name in names:
            group, _, value = name.partition("_")
            if group not in groups or not value:
                raise ColumnsError(f"feature {name!r} is not an {AIRLINE}_, {FLIGHT_TYPE}_ or {MONTH}_ column")
            groups[group].append(value)
        airlines, kinds, months = groups.values()
        space = cls(tuple(names), tuple(airlines), tuple(kinds), tuple(int(m) for m in months if m.isdigit()))
        if space.names != space._names():
            raise ColumnsError(f"features must be grouped {AIRLINE}, {FLIGHT_TYPE}, {MONTH}, each month a number")
        return space

    def _names(self) -> tuple[str, ...]:
        return (
            *(f"{AIRLINE}_{a}" for a in self.airlines),
            *(f"{FLIGHT_TYPE}_{k}" for k in self.flight_types),
            *(f"{MONTH}_{m}" for m in self.months),
        )

    def encode(self, airline: str, flight_type: str, month: int) -> list[int]:
        """One flight as the model's 0/1 input vector (ValueError for a value the model does not know)."""
        row = [0] * len(self.names)
        row[self.airlines.index(airline)] = 1
        row[len(self.airlines) + self.flight_types.index(flight_type)] = 1
        row[len(self.airlines) + len(self.flight_types) + self.months.index(month)] = 1
        return row

    def is_flight(self, row: list[int]) -> bool:
        """Whether a 0/1 vector is one a real flight can produce: one airline, one flight type and one
        month set. Asked of every row with telemetry on, so it is one lookup among those vectors."""
        return tuple(row) in self._flight_vectors

    @cached_property
    def _flight_vectors(self) -> frozenset[tuple[int, ...]]:
        return frozenset(map(tuple, self.valid_combinations()))

    def valid_flights(self) -> list[tuple[str, str, int]]:
        """Every (airline, flight type, month) a real flight can have: 23 x 2 x 12 = 552."""
        return list(product(self.airlines, self.flight_types, self.months))

    def valid_combinations(self) -> list[list[int]]:
        """The valid flights as input vectors, in valid_flights() order."""
        return [self.encode(*flight) for flight in self.valid_flights()]


TEAM = FeatureSpace.from_names(TEAM_COLUMNS)
