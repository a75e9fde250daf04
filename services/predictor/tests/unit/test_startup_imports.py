"""Start-up imports what a request path needs: in-app auth and the trace SDK only when configured.

Each import is paid on every Cloud Run cold start (`./task bench:startup` measures the whole
start); building the app in a fresh interpreter shows which optional libraries it pulled in.
"""

import json
import subprocess
import sys

AUTH = ("jwt", "cryptography", "predictor.auth.credentials", "predictor.auth.jwks", "predictor.auth.middleware")
OPTIONAL = (*AUTH, "opentelemetry.sdk", "opentelemetry.exporter")
PROBE = f"""
import json, sys
from predictor.app import create_app
from predictor.settings import load_settings
create_app(load_settings(json.loads(sys.argv[1])))
print(json.dumps(sorted({{m.split(".")[0] if m.startswith(("jwt", "cryptography")) else m
                          for m in sys.modules if m.startswith({OPTIONAL!r})}})))
"""


def optional_modules_loaded(env: dict[str, str]) -> list[str]:
    probe = [sys.executable, "-c", PROBE, json.dumps(env)]
    return json.loads(subprocess.run(probe, capture_output=True, text=True, check=True, timeout=60).stdout)


def test_the_default_app_imports_neither_auth_nor_the_trace_sdk():
    assert optional_modules_loaded({}) == []


def test_auth_and_trace_export_settings_import_what_they_need():
    loaded = optional_modules_loaded(
        {"AUTH_API_KEY_SHA256": "0" * 64, "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}
    )
    assert {"jwt", "predictor.auth.credentials", "predictor.auth.middleware"} <= set(loaded)
    assert "opentelemetry.sdk.trace" in loaded
    assert "opentelemetry.exporter.otlp.proto.http.trace_exporter" in loaded
