"""The bundled model is reproducible, and the served weights agree with the team's pickle."""

import pickle
from dataclasses import replace
from pathlib import Path

import msgspec
import numpy as np
import pytest

from predictor.artifacts import BUNDLED_DIR, read_manifest
from predictor.backends import LinearModel
from predictor.features import CHALLENGE_EXAMPLE, valid_combinations
from predictor.training.flights import read_flights, synthesize
from predictor.training.train import ParityError, prove_parity, train


@pytest.fixture(scope="module")
def retrained(tmp_path_factory) -> Path:
    """The bundled model made again from scratch: synthetic data, then training."""
    folder = tmp_path_factory.mktemp("retrained")
    synthesize(folder / "flights.csv")
    train(folder / "flights.csv", folder / "model")
    return folder


@pytest.fixture(scope="module")
def bundled_pickle():
    return pickle.loads((BUNDLED_DIR / "pickle_model.pkl").read_bytes())


@pytest.mark.slow
def test_synthetic_data_has_the_real_datasets_shape(retrained):
    flights = read_flights(retrained / "flights.csv")
    assert len(flights.delayed) == 68_206
    assert len(set(flights.airline)) == 23
    assert set(flights.flight_type) == {"I", "N"}
    assert set(flights.month) == set(range(1, 13))
    assert 0.17 < sum(flights.delayed) / len(flights.delayed) < 0.20


@pytest.mark.slow
@pytest.mark.parametrize("artifact", ["weights.json", "pickle_model.pkl"])
def test_regenerating_the_bundled_model_gives_the_same_bytes(retrained, artifact):
    assert (retrained / "model" / artifact).read_bytes() == (BUNDLED_DIR / artifact).read_bytes()


@pytest.mark.slow
def test_regenerated_manifest_matches_except_its_timestamp(retrained):
    fresh = msgspec.structs.asdict(read_manifest(retrained / "model"))
    bundled = msgspec.structs.asdict(read_manifest(BUNDLED_DIR))
    for manifest in (fresh, bundled):
        del manifest["created_at"]
        manifest["training_data"].pop("file")
    assert fresh == bundled


def test_manifest_records_a_balanced_logistic_regression_and_sane_metrics():
    manifest = read_manifest(BUNDLED_DIR)
    assert manifest.estimator == 'LogisticRegression(class_weight="balanced")'
    assert len(manifest.feature_names) == 37
    assert manifest.parity == {"valid_combinations": 552, "random_vectors": 20_000, "mismatches": 0}
    assert 0.5 < manifest.holdout_metrics["roc_auc"] < 0.8
    # balanced class weights trade precision for recall on the minority (delayed) class
    assert manifest.holdout_metrics["recall_delayed"] > manifest.holdout_metrics["precision_delayed"]


def test_the_bundled_pickle_is_what_the_team_would_ship(bundled_pickle):
    assert type(bundled_pickle).__name__ == "LogisticRegression"
    assert bundled_pickle.class_weight == "balanced"
    assert bundled_pickle.n_features_in_ == 37


def test_parity_proof_catches_weights_that_disagree_with_the_pickle(bundled_pickle):
    linear = LinearModel("v", tuple(bundled_pickle.coef_[0]), float(bundled_pickle.intercept_[0]), (0, 1))
    assert prove_parity(bundled_pickle, linear)["mismatches"] == 0
    with pytest.raises(ParityError, match="valid one-hot combinations differ"):
        prove_parity(bundled_pickle, replace(linear, intercept=linear.intercept + 1.0))


def test_service_predictions_equal_sklearn_on_every_valid_flight(client, bundled_pickle):
    rows = [list(CHALLENGE_EXAMPLE), *valid_combinations()]
    response = client.post("/api/batch", json={"arrays": rows})
    assert response.status_code == 200
    expected = bundled_pickle.predict(np.array(rows)).tolist()
    assert response.json()["predicciones"] == expected
    assert set(expected) == {0, 1}  # both classes occur, so the comparison is not vacuous
