"""Service settings, read once from environment variables and validated at start-up.

Every variable here is listed in the README's configuration table (a docs test checks both
ways). A bad value stops start-up with one line naming the variable and the problem.
"""

import os
from collections.abc import Mapping
from typing import Annotated

import msgspec

Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]


class SettingsError(ValueError):
    """An environment variable has a value the service cannot run with."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    host: str = "127.0.0.1"
    """HOST: interface to listen on (the container image sets 0.0.0.0)."""
    port: Port = 8000
    """PORT: TCP port; Cloud Run sets it."""
    web_concurrency: Annotated[int, msgspec.Meta(ge=1, le=64)] = 1
    """WEB_CONCURRENCY: worker processes (one per core is the sweet spot)."""
    log_level: Annotated[str, msgspec.Meta(pattern="^(debug|info|warning|error)$")] = "info"
    """LOG_LEVEL: debug, info, warning or error."""
    model_path: str | None = None
    """MODEL_PATH: a team pickle to serve instead of the bundled weights."""
    model_sha256: Annotated[str, msgspec.Meta(pattern="^[0-9a-fA-F]{64}$")] | None = None
    """MODEL_SHA256: the pinned SHA-256 of MODEL_PATH (required with it)."""
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024, le=16 * 1024 * 1024)] = 256 * 1024
    """MAX_BODY_BYTES: larger request bodies get 413."""
    max_batch_rows: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 1000
    """MAX_BATCH_ROWS: most rows one POST /api/batch may carry."""
    graceful_shutdown_seconds: Annotated[int, msgspec.Meta(ge=0, le=60)] = 8
    """GRACEFUL_SHUTDOWN_SECONDS: how long in-flight requests may finish after SIGTERM (Cloud Run kills at 10)."""
    google_cloud_project: str | None = None
    """GOOGLE_CLOUD_PROJECT: makes log lines carry Cloud Logging's full trace resource name."""
    otel_sdk_disabled: bool = False
    """OTEL_SDK_DISABLED: true turns every telemetry signal off (metrics, traces)."""
    otel_service_name: str = "predictor"
    """OTEL_SERVICE_NAME: service.name of the traces."""
    otel_traces_sampler_arg: Annotated[float, msgspec.Meta(ge=0.0, le=1.0)] = 0.001
    """OTEL_TRACES_SAMPLER_ARG: share of root requests traced (parent-based: callers' decisions win)."""
    otel_exporter_otlp_endpoint: str | None = None
    """OTEL_EXPORTER_OTLP_ENDPOINT: OTLP/HTTP collector for traces; unset means no trace export."""
    auth_api_key_sha256: str | None = None
    """AUTH_API_KEY_SHA256: comma-separated SHA-256 hashes of accepted API keys (two during a rotation)."""
    auth_jwks_url: str | None = None
    """AUTH_JWKS_URL: turns on bearer-token checks; the issuer's key set (Google: .../oauth2/v3/certs)."""
    auth_jwt_issuer: str | None = None
    """AUTH_JWT_ISSUER: required `iss` (Google ID tokens: https://accounts.google.com)."""
    auth_jwt_audience: str | None = None
    """AUTH_JWT_AUDIENCE: required `aud` (for Cloud Run, the service URL)."""
    auth_jwt_algorithms: str = "RS256,ES256"
    """AUTH_JWT_ALGORITHMS: accepted signature algorithms; never none or HS*."""
    auth_allowed_principals: str | None = None
    """AUTH_ALLOWED_PRINCIPALS: comma-separated `email` or `sub` values allowed to call (others get 403)."""
    auth_jwks_refresh_seconds: Annotated[int, msgspec.Meta(ge=10, le=86400)] = 300
    """AUTH_JWKS_REFRESH_SECONDS: how often keys are refreshed in the background."""
    auth_token_cache_size: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 1024
    """AUTH_TOKEN_CACHE_SIZE: verified tokens remembered until they expire (0 verifies every request)."""
    predictor_metrics_dir: str | None = None
    """PREDICTOR_METRICS_DIR: where workers share metric snapshots; `predictor serve` sets it."""


ENV_NAMES = {name: name.upper() for name in Settings.__struct_fields__}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment (or the given mapping), strictly validated."""
    source: Mapping[str, str] = os.environ if environ is None else environ
    raw = {field: source[env] for field, env in ENV_NAMES.items() if source.get(env, "") != ""}
    try:
        settings = msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as error:
        raise SettingsError(_name_the_variable(str(error), raw)) from None
    if (settings.model_path is None) != (settings.model_sha256 is None):
        raise SettingsError("MODEL_PATH and MODEL_SHA256 go together: a pickle is only loaded with its pinned hash")
    _check_auth(settings)
    return settings


def split(value: str | None) -> list[str]:
    """A comma-separated variable as a list, blanks dropped."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _check_auth(settings: Settings) -> None:
    if settings.auth_jwks_url and not (settings.auth_jwt_issuer and settings.auth_jwt_audience):
        raise SettingsError("AUTH_JWKS_URL needs AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE: tokens are checked for both")
    for digest in split(settings.auth_api_key_sha256):
        if len(digest) != 64 or any(c not in "0123456789abcdefABCDEF" for c in digest):
            raise SettingsError(f"AUTH_API_KEY_SHA256: {digest[:8]}... is not a SHA-256 hex digest")
    unsafe = {a for a in split(settings.auth_jwt_algorithms) if a == "none" or a.startswith("HS")}
    if unsafe or not split(settings.auth_jwt_algorithms):
        raise SettingsError(
            f"AUTH_JWT_ALGORITHMS: use asymmetric algorithms such as RS256 or ES256, not {unsafe or 'nothing'}"
        )


def _name_the_variable(message: str, raw: dict[str, str]) -> str:
    """msgspec says "Expected `int` >= 1 - at `$.port`"; the operator set PORT=0."""
    problem, _, where = message.partition(" - at `$.")
    field = where.rstrip("`")
    if field not in ENV_NAMES:
        return message
    return f"{ENV_NAMES[field]}={raw[field]!r}: {problem[0].lower()}{problem[1:]}"
