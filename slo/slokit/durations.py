"""OpenSLO duration shorthand (<int><unit>) for the units every backend can express.

Calendar units (M, Q, Y) have no fixed length, so neither Prometheus ranges nor GCP rolling
periods can use them; they are rejected here with a message that says so.
"""

import re

from slokit.conventions import UNIT_SECONDS

_SHORTHAND = re.compile(r"(\d+)([a-zA-Z])")


def to_seconds(text: str) -> int:
    """Seconds in a duration such as "5m", "1h", "30d"; ValueError with the reason otherwise."""
    match = _SHORTHAND.fullmatch(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a duration like 5m, 1h, 3d or 1w")
    amount, unit = int(match[1]), match[2]
    if unit not in UNIT_SECONDS:
        raise ValueError(f"{text!r}: unit {unit!r} has no fixed length; use {', '.join(UNIT_SECONDS)}")
    if amount <= 0:
        raise ValueError(f"{text!r} must be longer than zero")
    return amount * UNIT_SECONDS[unit]


def prom(seconds: int) -> str:
    """The shortest Prometheus range (and Sloth window label) for a whole number of minutes."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    raise ValueError(f"{seconds} s is not a whole number of minutes")
