"""A team pickle becomes weights without ever being executed; anything else is refused with a reason."""

import hashlib
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from predictor.features import TEAM
from predictor.loading import from_import, load_model
from predictor.pickle_import import PickleRefused, import_file, import_pickle
from predictor.pickle_import.unpickler import DecodeRefused, PlainArray, decode
from predictor.pipeline.data import CHALLENGE_DATA, PICKLE
from predictor.pipeline.evidence import random_vectors

CHALLENGE_PICKLE = CHALLENGE_DATA / PICKLE
CHALLENGE_SHA256 = "b7d53794dc3a02008586ccb6a0a839ad2b03b16a3807fcaa31cfc3e700c89caa"


class Tripwire:
    """Unpickling this for real creates a file: proof of whether the pickle was ever executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "pwned"))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fitted(**params) -> LogisticRegression:
    """A LogisticRegression fitted by the scikit-learn in our lock on one-hot flights."""
    rows = np.array(TEAM.valid_combinations(), dtype=np.float64)
    labels = (rows[:, 12] + rows[:, 24] + rows[:, 31] > 0).astype(int)  # LATAM, national or July
    return LogisticRegression(**params).fit(rows, labels)


def test_the_challenge_pickle_imports_as_scikit_learn_1_1_2():
    imported = import_file(CHALLENGE_PICKLE, CHALLENGE_SHA256)
    assert imported.source.sklearn_version == "1.1.2"
    assert imported.source.estimator == "sklearn.linear_model._logistic.LogisticRegression"
    assert imported.source.params["class_weight"] == "balanced"
    assert imported.weights.intercept == -0.3040256457514135
    assert len(imported.weights.coef) == 37


@pytest.mark.parametrize("protocol", [3, 4])
def test_pickles_made_by_our_scikit_learn_import_and_agree_with_it(protocol):
    estimator = fitted(class_weight="balanced")
    data = pickle.dumps(estimator, protocol=protocol)
    model = from_import(import_pickle(data, sha(data)), "ours", PICKLE).model
    rows = TEAM.valid_combinations() + random_vectors(2_000)
    assert model.predict(rows) == estimator.predict(np.array(rows, dtype=np.float64)).tolist()
    expected = estimator.predict_proba(np.array(rows, dtype=np.float64))[:, 1]
    assert max(abs(model.probability(row) - p) for row, p in zip(rows, expected, strict=True)) < 1e-12


def test_a_malicious_pickle_pinned_by_its_true_hash_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    data = pickle.dumps(Tripwire(marker))
    with pytest.raises(PickleRefused, match=r"static analysis: .*pathlib"):
        import_pickle(data, sha(data))
    assert not marker.exists()


def test_the_service_refuses_it_at_start_up_too(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "pickle_model.pkl"
    path.write_bytes(pickle.dumps(Tripwire(marker)))
    with pytest.raises(PickleRefused, match=r"pickle_model\.pkl: refused: static analysis"):
        load_model(path, sha(path.read_bytes()))
    assert not marker.exists()


def test_the_restricted_unpickler_alone_also_refuses_it(tmp_path):
    """Second line of defence: even past the static scan, no global outside the allow-list resolves."""
    marker = tmp_path / "pwned"
    with pytest.raises(DecodeRefused, match=r"names pathlib\.(Path|PosixPath)\.write_text|names pathlib"):
        decode(pickle.dumps(Tripwire(marker)))
    assert not marker.exists()


def test_the_command_line_refuses_with_one_line_and_status_2(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps(Tripwire(marker)))
    command = [sys.executable, "-m", "predictor.cli", "import-pickle", str(path), "--sha256", sha(path.read_bytes())]
    result = subprocess.run([*command, "--out", str(tmp_path / "out")], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("predictor: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert not marker.exists() and not (tmp_path / "out").exists()


def test_a_wrong_hash_is_refused_before_any_analysis(tmp_path):
    data = CHALLENGE_PICKLE.read_bytes()
    with pytest.raises(PickleRefused, match=f"SHA-256 is {CHALLENGE_SHA256}, expected 0000"):
        import_pickle(data, "0" * 64)


def make_multiclass() -> bytes:
    rows = np.eye(37)
    return pickle.dumps(LogisticRegression().fit(rows, [i % 3 for i in range(37)]))


def make_multinomial() -> bytes:
    estimator = fitted()
    estimator.multi_class = "multinomial"
    return pickle.dumps(estimator)


def make_unfitted() -> bytes:
    return pickle.dumps(LogisticRegression())


def make_other_names() -> bytes:
    estimator = fitted()
    estimator.feature_names_in_ = np.array([f"x{i}" for i in range(37)], dtype=object)
    return pickle.dumps(estimator)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: pickle.dumps(DecisionTreeClassifier().fit(np.eye(37), [0, 1] * 18 + [0])), "DecisionTreeClassifier"),
        (make_multiclass, r"classes_ is \[0, 1, 2\]"),
        (lambda: pickle.dumps(LogisticRegression().fit([[0, 1], [1, 0]], [0, 1])), r"shape \(1, 2\)"),
        (make_multinomial, "multinomial"),
        (make_unfitted, "no coef_ array"),
        (make_other_names, "feature_names_in_ differs"),
        (lambda: pickle.dumps({"coef_": [1.0] * 37}), "holds a dict"),
        (lambda: CHALLENGE_PICKLE.read_bytes() + b".", "1 bytes follow the end of the pickle"),
        (lambda: b"not a pickle", "not a valid pickle"),
        (lambda: pickle.dumps(b"x" * (1 << 20)), "too large"),
        (lambda: pickle.dumps(fitted(), protocol=5), "save the model with pickle protocol 4"),
    ],
)
def test_what_cannot_be_served_is_refused_with_its_reason(make, reason):
    data = make()
    with pytest.raises(PickleRefused, match=reason):
        import_pickle(data, sha(data))


def test_fortran_ordered_arrays_decode_in_c_order():
    array = decode(pickle.dumps(np.asfortranarray(np.arange(6, dtype=np.int64).reshape(2, 3))))
    assert isinstance(array, PlainArray)
    assert array.rows() == [[0, 1, 2], [3, 4, 5]]


def test_a_file_swapped_during_import_is_never_the_one_loaded(tmp_path):
    """The hash and the decode see the same bytes: flipping a symlink between a good and an evil
    pickle can make the import fail, never load the evil one."""
    marker = tmp_path / "pwned"
    good, evil = tmp_path / "good.pkl", tmp_path / "evil.pkl"
    good.write_bytes(CHALLENGE_PICKLE.read_bytes())
    evil.write_bytes(pickle.dumps(Tripwire(marker)))
    link = tmp_path / "pickle_model.pkl"
    link.symlink_to(good)
    stop = threading.Event()

    def flip() -> None:
        while not stop.is_set():
            for target in (evil, good):
                staged = tmp_path / "staged"
                staged.symlink_to(target)
                os.replace(staged, link)

    flipper = threading.Thread(target=flip)
    flipper.start()
    outcomes = set()
    try:
        for _ in range(300):
            try:
                outcomes.add(import_file(link, CHALLENGE_SHA256).weights.intercept)
            except PickleRefused as refused:
                assert "SHA-256 is" in str(refused)
                outcomes.add("refused")
    finally:
        stop.set()
        flipper.join()
    assert outcomes <= {-0.3040256457514135, "refused"}
    assert not marker.exists()
