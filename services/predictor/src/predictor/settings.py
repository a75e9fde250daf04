"""Service settings, read once from environment variables and validated at start-up.

Every variable here is listed in the README's configuration table (a docs test checks both
ways). A bad value stops start-up with one line naming the variable and the problem.
"""

import os
from collections.abc import Mapping
from typing import Annotated
from urllib.parse import urlsplit

import msgspec

Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]
GOOGLE_ISSUERS = ("https://accounts.google.com", "accounts.google.com")  # both appear in Google ID tokens
LOOPBACK = ("127.0.0.1", "localhost", "::1")


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
    """GRACEFUL_SHUTDOWN_SECONDS: how long in-flight requests may finish after the listening socket closes."""
    drain_delay_seconds: Annotated[float, msgspec.Meta(ge=0, le=60)] = 0.0
    """DRAIN_DELAY_SECONDS: after SIGTERM, readiness is 503 but requests are answered this long before the
    listening socket closes (time for a load balancer that reads readiness to stop sending)."""
    max_header_bytes: Annotated[int, msgspec.Meta(ge=1024, le=1024 * 1024)] = 16 * 1024
    """MAX_HEADER_BYTES: a request line and headers larger than this get 431."""
    header_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=300)] = 10.0
    """HEADER_TIMEOUT_SECONDS: a request's line and headers must arrive within this (slowloris), else 408."""
    body_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=300)] = 30.0
    """BODY_TIMEOUT_SECONDS: a request's body must arrive within this after its headers, else the connection closes."""
    idle_timeout_seconds: Annotated[int, msgspec.Meta(ge=1, le=600)] = 5
    """IDLE_TIMEOUT_SECONDS: a connection that sends nothing (new or between requests) is closed after this."""
    max_concurrent_requests: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 100
    """MAX_CONCURRENT_REQUESTS: prediction requests one worker handles at once; more get 503 with Retry-After."""
    max_concurrent_batches: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 1
    """MAX_CONCURRENT_BATCHES: multi-row predictions one worker computes at once; others wait their turn."""
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
    metrics_cache_seconds: Annotated[float, msgspec.Meta(ge=0, le=60)] = 1.0
    """METRICS_CACHE_SECONDS: a rendered /metrics is reused this long by every worker (0: render every scrape)."""
    metrics_token_sha256: str | None = None
    """METRICS_TOKEN_SHA256: comma-separated SHA-256 hashes of bearer tokens that may read /metrics (unset: open)."""
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
    if settings.auth_jwks_url:
        _check_jwt(settings.auth_jwks_url, settings)
    for name in ("auth_api_key_sha256", "metrics_token_sha256"):
        for digest in split(getattr(settings, name)):
            if len(digest) != 64 or any(c not in "0123456789abcdefABCDEF" for c in digest):
                raise SettingsError(f"{ENV_NAMES[name]}: {digest[:8]}... is not a SHA-256 hex digest")
    unsafe = {a for a in split(settings.auth_jwt_algorithms) if a == "none" or a.startswith("HS")}
    if unsafe or not split(settings.auth_jwt_algorithms):
        raise SettingsError(
            f"AUTH_JWT_ALGORITHMS: use asymmetric algorithms such as RS256 or ES256, not {unsafe or 'nothing'}"
        )


def _check_jwt(jwks_url: str, settings: Settings) -> None:
    if not (settings.auth_jwt_issuer and settings.auth_jwt_audience):
        raise SettingsError("AUTH_JWKS_URL needs AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE: tokens are checked for both")
    url = urlsplit(jwks_url)
    if url.scheme != "https" and not (url.scheme == "http" and url.hostname in LOOPBACK):
        raise SettingsError("AUTH_JWKS_URL: keys are fetched over https only (plain http on loopback, for tests)")
    if settings.auth_jwt_issuer in GOOGLE_ISSUERS and not split(settings.auth_allowed_principals):
        raise SettingsError(
            "AUTH_ALLOWED_PRINCIPALS is required with Google as AUTH_JWT_ISSUER: Google signs tokens for any "
            "service account that asks, so the audience alone lets anyone with a Google identity in"
        )


def _name_the_variable(message: str, raw: dict[str, str]) -> str:
    """msgspec says "Expected `int` >= 1 - at `$.port`"; the operator set PORT=0."""
    problem, _, where = message.partition(" - at `$.")
    field = where.rstrip("`")
    if field not in ENV_NAMES:
        return message
    return f"{ENV_NAMES[field]}={raw[field]!r}: {problem[0].lower()}{problem[1:]}"
