"""From a decoded LogisticRegression's attributes to the weights the service serves."""

from typing import Any

from predictor.artifacts import Source, Weights
from predictor.features import N_FEATURES, TEAM_COLUMNS
from predictor.pickle_import.allowlist import ESTIMATOR
from predictor.pickle_import.unpickler import EstimatorState, PlainArray

# Constructor parameters worth recording in the manifest (they say how the team trained it).
PARAMS = ("penalty", "C", "class_weight", "solver", "max_iter", "tol", "fit_intercept", "multi_class", "l1_ratio")


class NotSupported(Exception):
    """A well-formed pickle of something this service cannot serve (multiclass, wrong width...)."""


def weights_and_source(estimator: object, sha256: str) -> tuple[Weights, Source]:
    """Check that the estimator is a fitted binary LogisticRegression over our 37 features."""
    if not isinstance(estimator, EstimatorState):
        raise NotSupported(f"the pickle holds a {type(estimator).__name__}, not a scikit-learn LogisticRegression")
    attributes = getattr(estimator, "attributes", {})
    coef, intercept, classes = (_array(attributes, name) for name in ("coef_", "intercept_", "classes_"))
    if list(classes.values) != [0, 1]:
        raise NotSupported(f"classes_ is {list(classes.values)}: only a binary model with classes [0, 1] is served")
    if coef.shape != (1, N_FEATURES) or attributes.get("n_features_in_", N_FEATURES) != N_FEATURES:
        raise NotSupported(f"coef_ has shape {coef.shape}: the API sends {N_FEATURES} features")
    if intercept.shape != (1,):
        raise NotSupported(f"intercept_ has shape {intercept.shape}, expected (1,)")
    if attributes.get("multi_class") == "multinomial":
        raise NotSupported("multi_class='multinomial' gives other probabilities than the binary formula served here")
    names = attributes.get("feature_names_in_")
    if names is not None and list(_values(names)) != list(TEAM_COLUMNS):
        raise NotSupported("feature_names_in_ differs from the 37 one-hot columns in the team's order")
    weights = Weights(
        feature_names=list(TEAM_COLUMNS),
        coef=[float(c) for c in coef.values],
        intercept=float(intercept.values[0]),
        classes=[0, 1],
    )
    source = Source(
        estimator=".".join(ESTIMATOR),
        sklearn_version=str(attributes.get("_sklearn_version", "unknown")),
        sha256=sha256,
        params={name: attributes[name] for name in PARAMS if _is_plain(attributes.get(name, ...))},
    )
    return weights, source


def _array(attributes: dict[str, Any], name: str) -> PlainArray:
    value = attributes.get(name)
    if not isinstance(value, PlainArray):
        raise NotSupported(f"the estimator has no {name} array: is it fitted?")
    if not all(isinstance(v, int | float) and v == v and abs(v) != float("inf") for v in value.values):
        raise NotSupported(f"{name} holds values that are not finite numbers")
    return value


def _values(value: object) -> tuple[Any, ...]:
    return value.values if isinstance(value, PlainArray) else ()


def _is_plain(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)
