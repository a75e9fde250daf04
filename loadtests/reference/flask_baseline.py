"""A fair Flask baseline: the challenge's app as a Flask user would run it in production.

Flask under gunicorn (one worker, like the service's one uvicorn worker), the model unpickled
once at start instead of on every request, and no print per request. It still unpickles the
challenge's own pickle with scikit-learn, as the challenge's app does: it is a baseline that the
load test runs on 127.0.0.1 only, not a way to serve (the service never executes a pickle: see
docs/decisions/0002-safe-model-artifact.md).

    gunicorn --bind 127.0.0.1:5000 --chdir loadtests/reference flask_baseline:app
"""

import os
import pickle
from pathlib import Path

import numpy as np
from flask import Flask, jsonify, request

CHALLENGE_PICKLE = Path(__file__).resolve().parents[2] / "services/predictor/data/scl/pickle_model.pkl"

with Path(os.environ.get("MODEL_PATH", CHALLENGE_PICKLE)).open("rb") as file:
    model = pickle.load(file)  # noqa: S301 (the challenge's pickle, for a baseline only; see above)

app = Flask(__name__)


@app.post("/api")
def predecir():
    rows = np.asarray(request.get_json()["array"]).reshape(1, -1)
    return jsonify({"predicciones": model.predict(rows).tolist()})
