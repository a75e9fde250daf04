"""The served model is verified by hash and self-checked on all 552 flights before the service is ready."""

import json
from pathlib import Path

import pytest

from predictor.artifacts import BUNDLED_DIR, ArtifactError, read_manifest, sha256_of
from predictor.classifier import LogisticModel
from predictor.features import TEAM_COLUMNS
from predictor.loading import load_model
from predictor.pickle_import import PickleRefused
from predictor.pipeline.data import CHALLENGE_DATA, PICKLE

CHALLENGE_SHA256 = "b7d53794dc3a02008586ccb6a0a839ad2b03b16a3807fcaa31cfc3e700c89caa"


def edit_json(path: Path, change) -> None:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def repin_weights(folder: Path) -> None:
    """What an attacker with write access would also do: update the manifest's hash of the weights."""
    digest = sha256_of((folder / "weights.json").read_bytes())
    edit_json(folder / "manifest.json", lambda m: m.update(weights_sha256=digest))


def test_the_bundled_model_is_the_challenge_pickle():
    loaded = load_model()
    assert isinstance(loaded.model, LogisticModel)
    assert loaded.manifest.version == f"challenge-{CHALLENGE_SHA256[:12]}"
    assert loaded.manifest.source.sha256 == CHALLENGE_SHA256
    assert loaded.manifest.source.sklearn_version == "1.1.2"
    assert loaded.manifest.weights_sha256 == sha256_of((BUNDLED_DIR / "weights.json").read_bytes())


def test_altered_weights_are_refused_by_hash(model_copy):
    edit_json(model_copy / "weights.json", lambda w: w.update(intercept=w["intercept"] + 1))
    with pytest.raises(ArtifactError, match=r"weights.json has SHA-256 [0-9a-f]{64}, expected"):
        load_model(model_dir=model_copy)


def test_missing_weights_are_refused(model_copy):
    (model_copy / "weights.json").unlink()
    with pytest.raises(ArtifactError, match=r"weights\.json cannot be read"):
        load_model(model_dir=model_copy)


def test_wrong_feature_count_is_refused(model_copy):
    edit_json(model_copy / "weights.json", lambda w: (w["coef"].pop(), w["feature_names"].pop()))
    repin_weights(model_copy)
    with pytest.raises(ArtifactError, match="36 weights for 36 features do not match the manifest's 37"):
        load_model(model_dir=model_copy)


def test_weights_edited_and_repinned_fail_the_self_check_on_the_552_flights(model_copy):
    """+5 on TIPOVUELO_N with its hash updated flipped 179 of 552 flights when only 9 were checked."""
    national = TEAM_COLUMNS.index("TIPOVUELO_N")
    edit_json(model_copy / "weights.json", lambda w: w["coef"].__setitem__(national, w["coef"][national] + 5))
    repin_weights(model_copy)
    flipped = r"predicts \d+ of 552 flights differently from the record, e\.g\. .* / N /"
    with pytest.raises(ArtifactError, match=flipped):
        load_model(model_dir=model_copy)


def test_a_manifest_without_self_check_is_refused(model_copy):
    edit_json(model_copy / "manifest.json", lambda m: m.pop("self_check"))
    with pytest.raises(ArtifactError, match="records no self-check"):
        load_model(model_dir=model_copy)


def test_the_challenge_pickle_can_be_served_directly_through_the_same_import():
    from_pickle = load_model(CHALLENGE_DATA / PICKLE, CHALLENGE_SHA256)
    bundled = load_model()
    assert from_pickle.manifest.version == "pickle_model-b7d53794dc3a"
    assert from_pickle.manifest.self_check == bundled.manifest.self_check
    assert from_pickle.manifest.weights_sha256 == bundled.manifest.weights_sha256


def test_a_pickle_without_a_pinned_hash_is_refused():
    with pytest.raises(ArtifactError, match="needs MODEL_SHA256"):
        load_model(CHALLENGE_DATA / PICKLE, None)


def test_a_missing_pickle_is_refused(tmp_path):
    with pytest.raises(PickleRefused, match=r"nope\.pkl: cannot be read"):
        load_model(tmp_path / "nope.pkl", "0" * 64)


def test_the_manifest_on_disk_decodes_strictly():
    manifest = read_manifest(BUNDLED_DIR)
    assert manifest.self_check is not None and len(manifest.self_check.valid_flights) == 552
