"""Artifacts are verified before anything is deserialized, and self-checked before serving."""

import json
import pickle
from pathlib import Path

import pytest

from predictor.artifacts import BUNDLED_DIR, ArtifactError, sha256_of
from predictor.backends import LinearModel, PickleModel, load_model
from predictor.features import valid_combinations

BUNDLED_PICKLE = BUNDLED_DIR / "pickle_model.pkl"


class Tripwire:
    """Unpickling this creates a file: proof of whether a pickle was ever deserialized."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def edit_json(path: Path, change) -> None:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def test_bundled_model_loads_from_weights_without_sklearn():
    loaded = load_model()
    assert loaded.backend == "weights"
    assert isinstance(loaded.model, LinearModel)
    assert loaded.sha256 == sha256_of(BUNDLED_DIR / "weights.json")


def test_altered_weights_are_refused_by_hash(model_copy):
    edit_json(model_copy / "weights.json", lambda w: w.update(intercept=w["intercept"] + 1))
    with pytest.raises(ArtifactError, match=r"weights.json has SHA-256 [0-9a-f]{64}, expected"):
        load_model(model_dir=model_copy)


def test_missing_weights_are_refused(model_copy):
    (model_copy / "weights.json").unlink()
    with pytest.raises(ArtifactError, match=r"weights\.json does not exist"):
        load_model(model_dir=model_copy)


def test_wrong_feature_count_is_refused(model_copy):
    edit_json(model_copy / "weights.json", lambda w: (w["coef"].pop(), w["feature_names"].pop()))
    edit_json(
        model_copy / "manifest.json",
        lambda m: m["artifacts"].update({"weights.json": sha256_of(model_copy / "weights.json")}),
    )
    with pytest.raises(ArtifactError, match="36 weights for 36 features do not match the manifest's 37"):
        load_model(model_dir=model_copy)


def test_failed_golden_prediction_stops_loading(model_copy):
    edit_json(
        model_copy / "manifest.json", lambda m: m["golden"][0].update(prediction=1 - m["golden"][0]["prediction"])
    )
    with pytest.raises(ArtifactError, match=r"self-check failed: model scl-lr-.* predicts"):
        load_model(model_dir=model_copy)


def test_team_pickle_loads_when_its_hash_is_pinned():
    loaded = load_model(BUNDLED_PICKLE, sha256_of(BUNDLED_PICKLE))
    assert loaded.backend == "pickle"
    assert isinstance(loaded.model, PickleModel)
    assert loaded.model.version == load_model().model.version  # the bundled manifest describes it
    rows = valid_combinations()
    assert loaded.model.predict(rows) == load_model().model.predict(rows)


def test_pickle_without_pinned_hash_is_refused():
    with pytest.raises(ArtifactError, match="needs MODEL_SHA256"):
        load_model(BUNDLED_PICKLE, None)


def test_pickle_with_wrong_hash_is_never_unpickled(tmp_path):
    marker = tmp_path / "unpickled"
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps(Tripwire(marker)))
    with pytest.raises(ArtifactError, match=r"evil\.pkl has SHA-256"):
        load_model(path, "0" * 64)
    assert not marker.exists()


def test_missing_pickle_is_refused(tmp_path):
    with pytest.raises(ArtifactError, match="does not exist"):
        load_model(tmp_path / "nope.pkl", "0" * 64)


def test_pickle_from_another_sklearn_version_is_an_error(tmp_path):
    import sklearn

    current = sklearn.__version__.encode()
    older = b"0" + current[1:]  # same length, so the pickle's framing stays valid
    raw = BUNDLED_PICKLE.read_bytes()
    assert raw.count(current) == 1
    path = tmp_path / "old.pkl"
    path.write_bytes(raw.replace(current, older))
    with pytest.raises(ArtifactError, match=f"pickled by scikit-learn {older.decode()}, this process has"):
        load_model(path, sha256_of(path))


def test_pickle_with_a_manifest_naming_another_sklearn_is_refused(tmp_path, model_copy):
    edit_json(model_copy / "manifest.json", lambda m: m.update(sklearn_version="0.0.1"))
    pickle_path = model_copy / "pickle_model.pkl"
    with pytest.raises(ArtifactError, match=r"trained with scikit-learn 0\.0\.1"):
        load_model(pickle_path, sha256_of(pickle_path))


def test_estimator_with_other_feature_count_is_refused(tmp_path):
    from sklearn.linear_model import LogisticRegression

    path = tmp_path / "small.pkl"
    path.write_bytes(pickle.dumps(LogisticRegression().fit([[0, 1], [1, 0]], [0, 1])))
    with pytest.raises(ArtifactError, match="takes 2 features, the API sends 37"):
        load_model(path, sha256_of(path))
