"""What the manifest proves about a model: holdout metrics, the delay-share band, sklearn parity."""

import random
import warnings
from collections import Counter
from typing import Any

from predictor.artifacts import Holdout, SklearnParity
from predictor.classifier import LogisticModel
from predictor.features import N_FEATURES, TEAM
from predictor.pickle_import.unpickler import PlainArray
from predictor.pipeline.data import Flights, Split

RANDOM_VECTORS = 20_000
RANDOM_SEED = 7


def holdout(model: LogisticModel, split: Split, data: str, notebook: list[list[int]] | None = None) -> Holdout:
    """The confusion matrix and the usual metrics of class 1 (delayed) on a labelled set."""
    predicted = model.predict(split.rows)
    pairs = Counter(zip(split.labels, predicted, strict=True))
    matrix = [[pairs[0, 0], pairs[0, 1]], [pairs[1, 0], pairs[1, 1]]]
    (tn, fp), (fn, tp) = matrix
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return Holdout(
        data=data,
        rows=len(split.rows),
        confusion_matrix=matrix,
        accuracy=_round((tp + tn) / len(split.rows)),
        precision_delayed=_round(precision),
        recall_delayed=_round(recall),
        f1_delayed=_round(2 * precision * recall / (precision + recall) if precision + recall else 0.0),
        roc_auc=_round(roc_auc([model.decision(row) for row in split.rows], split.labels)),
        predicted_delay_share=_round((tp + fp) / len(split.rows)),
        notebook_confusion_matrix=notebook,
        matches_notebook=None if notebook is None else notebook == matrix,
    )


def roc_auc(scores: list[float], labels: list[int]) -> float:
    """Area under the ROC curve as the Mann-Whitney statistic (tied scores share their mean rank)."""
    order = sorted(range(len(scores)), key=scores.__getitem__)
    ranks = [0.0] * len(scores)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = (start + end) / 2 + 1
        start = end + 1
    positives = sum(labels)
    negatives = len(labels) - positives
    rank_sum = sum(rank for rank, label in zip(ranks, labels, strict=True) if label)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def delay_share_band(model: LogisticModel, flights: Flights) -> tuple[float, float]:
    """The lowest and highest share of flights predicted delayed in any month of the data."""
    label = dict(zip(TEAM.valid_flights(), model.predict(TEAM.valid_combinations()), strict=True))
    per_month: dict[int, list[int]] = {}
    for flight in zip(flights.airline, flights.flight_type, flights.month, strict=True):
        per_month.setdefault(flight[2], []).append(label[flight])
    shares = [sum(labels) / len(labels) for labels in per_month.values()]
    return _round(min(shares)), _round(max(shares))


def random_vectors(count: int = RANDOM_VECTORS, seed: int = RANDOM_SEED) -> list[list[int]]:
    """Arbitrary 0/1 inputs: the API accepts them, so the weights must agree on them too."""
    rng = random.Random(seed)  # noqa: S311 - test inputs, not secrets
    return [[rng.getrandbits(1) for _ in range(N_FEATURES)] for _ in range(count)]


def sklearn_estimator(attributes: dict[str, Any]) -> tuple[Any, str | None]:
    """scikit-learn's LogisticRegression with the pickle's attributes, and the warning it raises.

    It is rebuilt from the attributes our restricted unpickler decoded (never by unpickling the
    file), through scikit-learn's own __setstate__, which checks the version that pickled it.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    estimator = LogisticRegression.__new__(LogisticRegression)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        estimator.__setstate__({name: _to_numpy(np, value) for name, value in attributes.items()})
    versions = (w for w in caught if w.category.__name__ == "InconsistentVersionWarning")
    return estimator, next((" ".join(str(w.message).split()) for w in versions), None)


def sklearn_parity(
    attributes: dict[str, Any], model: LogisticModel, sets: dict[str, list[list[int]]]
) -> SklearnParity | None:
    """scikit-learn's predict and predict_proba against ours; None where scikit-learn is not installed."""
    try:
        import numpy as np
        import sklearn
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    estimator, warning = sklearn_estimator(attributes)
    mismatches, worst = 0, 0.0
    with threadpool_limits(limits=1):
        for rows in sets.values():
            matrix = np.array(rows, dtype=np.float64)
            labels, probabilities = estimator.predict(matrix), estimator.predict_proba(matrix)[:, 1]
            mismatches += sum(int(a) != b for a, b in zip(labels, model.predict(rows), strict=True))
            ours = [model.probability(row) for row in rows]
            worst = max(worst, max(abs(float(a) - b) for a, b in zip(probabilities, ours, strict=True)))
    return SklearnParity(
        sklearn_version=sklearn.__version__,
        rows={name: len(rows) for name, rows in sets.items()},
        label_mismatches=mismatches,
        max_probability_difference=worst,
        warning=warning,
    )


def _to_numpy(np: Any, value: Any) -> Any:
    if not isinstance(value, PlainArray):
        return value
    dtype = object if value.dtype == "O8" else value.dtype
    return np.array(value.values, dtype=dtype).reshape(value.shape)


def _round(value: float) -> float:
    return round(value, 4)
