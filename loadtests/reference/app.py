"""The challenge's reference Flask app, reproduced faithfully for side-by-side comparisons.

Kept as the challenge wrote it (the model is unpickled on every request, every body is printed,
the debug server with its reloader serves it). Only three things differ, all for safety:
it listens on 127.0.0.1 instead of 0.0.0.0, the port comes from PORT (default 5000), and the
pickle path comes from MODEL_PATH (default: the challenge's pickle_model.pkl, committed with
the service's data).
Never expose it: pickle runs code when loaded and the debug server offers a console.
"""

import json
import os
import pickle
from pathlib import Path

import numpy as np
from flask import Flask, jsonify, request

app = Flask(__name__)

_CHALLENGE = Path(__file__).resolve().parents[2] / "services/predictor/data/scl"
models_path = os.environ.get("MODEL_PATH", str(_CHALLENGE / "pickle_model.pkl"))


# carga el modelo
# Endpoint
@app.route("/api", methods=["POST"])
def predecir():
    content = request.get_json()
    x_data = np.asarray(content["array"]).reshape(1, -1)
    print(json.dumps(content))
    loaded_model = pickle.load(open(models_path, "rb"))
    result = loaded_model.predict(x_data)
    return jsonify({"predicciones": result.tolist()})


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "5000")), debug=True, host="127.0.0.1")
