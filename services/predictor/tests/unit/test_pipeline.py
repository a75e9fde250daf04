"""The bundled model is the challenge's pickle, reproducibly imported, and proven against the team's figures."""

import shutil
import subprocess
import sys

import msgspec
import numpy as np
import pytest

from predictor.artifacts import BUNDLED_DIR, read_manifest
from predictor.features import TEAM
from predictor.loading import load_model
from predictor.pickle_import import import_file
from predictor.pipeline.data import CHALLENGE_DATA, PICKLE, read_provenance, read_split
from predictor.pipeline.evidence import roc_auc, sklearn_parity
from predictor.pipeline.importing import import_to
from predictor.pipeline.training import train

CHALLENGE_SHA256 = read_provenance(CHALLENGE_DATA)["files"][PICKLE]["content_sha256"]
NOTEBOOK = [[10958, 7445], [1477, 2628]]  # model.ipynb, section 2.1, on the team's x_test


@pytest.fixture(scope="module")
def reimported(tmp_path_factory):
    """The challenge's pickle imported again from scratch, with all its evidence (about 10 s)."""
    out = tmp_path_factory.mktemp("model")
    import_to(CHALLENGE_DATA / PICKLE, CHALLENGE_SHA256, out, name="challenge", data=CHALLENGE_DATA)
    return out


@pytest.mark.slow
def test_importing_the_challenge_pickle_again_gives_the_bundled_weights(reimported):
    assert (reimported / "weights.json").read_bytes() == (BUNDLED_DIR / "weights.json").read_bytes()


@pytest.mark.slow
def test_and_the_same_manifest_up_to_floating_point_noise(reimported):
    """max_probability_difference depends on the BLAS kernel the CPU selects; all else is exact."""
    fresh, bundled = (msgspec.to_builtins(read_manifest(folder)) for folder in (reimported, BUNDLED_DIR))
    for manifest in (fresh, bundled):
        assert manifest["sklearn_parity"].pop("max_probability_difference") < 1e-12
    assert fresh == bundled


def test_the_served_model_reproduces_the_notebooks_confusion_matrix():
    holdout = read_manifest(BUNDLED_DIR).holdout
    assert holdout is not None
    assert holdout.confusion_matrix == holdout.notebook_confusion_matrix == NOTEBOOK
    assert holdout.matches_notebook is True
    model = load_model().model
    test = read_split(CHALLENGE_DATA, "test")
    predicted = model.predict(test.rows)
    pairs = [[0, 0], [0, 0]]
    for label, guess in zip(test.labels, predicted, strict=True):
        pairs[label][guess] += 1
    assert pairs == NOTEBOOK


def test_scikit_learn_agrees_on_every_valid_flight_the_team_test_set_and_random_vectors():
    parity = read_manifest(BUNDLED_DIR).sklearn_parity
    assert parity is not None
    assert parity.rows == {"valid flights": 552, "random 0/1 vectors": 20_000, "holdout": 22_508}
    assert parity.label_mismatches == 0
    assert parity.warning and "from version 1.1.2 when using version" in parity.warning


def test_the_parity_check_catches_weights_that_disagree():
    imported = import_file(CHALLENGE_DATA / PICKLE, CHALLENGE_SHA256)
    model = load_model().model
    shifted = type(model)(model.version, model.coef, model.intercept + 1.0)
    sets = {"valid flights": TEAM.valid_combinations()}
    assert sklearn_parity(imported.attributes, model, sets).label_mismatches == 0
    assert sklearn_parity(imported.attributes, shifted, sets).label_mismatches > 0


def test_roc_auc_matches_scikit_learn_with_ties():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(3)
    scores = rng.integers(0, 5, 500).astype(float).tolist()  # many ties
    labels = rng.integers(0, 2, 500).tolist()
    assert roc_auc(scores, labels) == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)


@pytest.fixture(scope="module")
def retrained(tmp_path_factory):
    return train(CHALLENGE_DATA, tmp_path_factory.mktemp("retrained"))


@pytest.mark.slow
def test_retraining_on_the_real_flights_gives_another_model(retrained):
    """The notebook's recipe on dataset_SCL.csv is not the team's model: 545 of 552 flights agree."""
    assert retrained.version.startswith("retrained-")
    assert retrained.training is not None
    assert retrained.training.train_rows == 45_698
    assert retrained.training.agreement_with_bundled["valid_flights_same"] == 545
    assert retrained.holdout is not None and retrained.holdout.rows == 22_508
    assert retrained.sklearn_parity is not None and retrained.sklearn_parity.label_mismatches == 0


@pytest.mark.slow
def test_retraining_on_one_core_gives_the_same_bytes_and_never_touches_the_bundled_model(retrained, tmp_path):
    bundled_before = (BUNDLED_DIR / "manifest.json").read_bytes()
    one_core = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    command = [*one_core, sys.executable, "-m", "predictor.cli", "train", "--out", str(tmp_path)]
    subprocess.run(command, check=True, capture_output=True)
    assert read_manifest(tmp_path).version == retrained.version  # the version names the pickle's SHA-256
    assert (BUNDLED_DIR / "manifest.json").read_bytes() == bundled_before


@pytest.mark.slow
def test_retraining_on_the_team_x_train_still_differs_by_the_scikit_learn_version(tmp_path):
    """Same rows as the team, our scikit-learn: 550 of 552 flights agree (the solver changed)."""
    manifest = train(CHALLENGE_DATA, tmp_path, split="team")
    assert manifest.training is not None
    assert manifest.training.agreement_with_bundled["valid_flights_same"] == 550


def test_the_team_split_is_not_the_one_train_test_split_makes_on_the_csv():
    from sklearn.model_selection import train_test_split

    from predictor.pipeline.data import DATASET, read_flights

    rows = read_flights(CHALLENGE_DATA / DATASET).rows()
    _, ours = train_test_split(rows, test_size=0.33, random_state=42)
    theirs = read_split(CHALLENGE_DATA, "test").rows
    assert len(ours) == len(theirs)
    assert ours != theirs
