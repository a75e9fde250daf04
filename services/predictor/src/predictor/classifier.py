"""The served model: logistic regression evaluated from its weights in plain Python.

Inputs are 0/1, so the linear part is the sum of the weights of the features that are on;
math.fsum makes that sum exactly rounded, whatever the order. The decision (class 1 when the
linear part is above 0) and the probability (its logistic) are scikit-learn's binary formulas.
"""

import math
from dataclasses import dataclass
from itertools import compress

from predictor.artifacts import Weights


@dataclass(frozen=True, slots=True)
class LogisticModel:
    version: str
    coef: tuple[float, ...]
    intercept: float

    @classmethod
    def from_weights(cls, version: str, weights: Weights) -> "LogisticModel":
        return cls(version, tuple(weights.coef), weights.intercept)

    def decision(self, row: list[int]) -> float:
        return math.fsum(compress(self.coef, row)) + self.intercept

    def predict_one(self, row: list[int]) -> int:
        return int(self.decision(row) > 0)

    def predict(self, rows: list[list[int]]) -> list[int]:
        return [int(self.decision(row) > 0) for row in rows]

    def probability(self, row: list[int]) -> float:
        """P(delay), as scipy's expit computes it (no overflow for large |decision|)."""
        z = self.decision(row)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)
