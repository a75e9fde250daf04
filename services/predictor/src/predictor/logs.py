"""JSON log lines that Cloud Logging understands: severity, message, time, trace correlation.

Cloud Logging reads `severity` and `message` from a JSON line on stdout, and joins a line to its
trace through `logging.googleapis.com/trace` (https://cloud.google.com/run/docs/logging#correlate-logs).
The trace fields come from the current OpenTelemetry span, so every line written while a
request is being served carries that request's trace id.
"""

import logging
from datetime import UTC, datetime
from typing import Any

import msgspec
from opentelemetry import trace

_encoder = msgspec.json.Encoder()


class CloudLoggingFormatter(logging.Formatter):
    """One JSON object per line; fields named as Cloud Logging expects them."""

    def __init__(self, project: str | None = None) -> None:
        super().__init__()
        self.trace_prefix = f"projects/{project}/traces/" if project else ""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": record.levelname,
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            entry["logging.googleapis.com/trace"] = f"{self.trace_prefix}{context.trace_id:032x}"
            entry["logging.googleapis.com/spanId"] = f"{context.span_id:016x}"
            entry["logging.googleapis.com/trace_sampled"] = context.trace_flags.sampled
        if record.exc_info:
            entry["stack_trace"] = self.formatException(record.exc_info)
        return _encoder.encode(entry).decode()


def log_config(level: str, project: str | None) -> dict[str, Any]:
    """A logging.config dict for uvicorn and our loggers: JSON to stdout, no access log."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": CloudLoggingFormatter, "project": project}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
        "loggers": {
            "predictor": {"handlers": ["stdout"], "level": level.upper(), "propagate": False},
            "uvicorn": {"handlers": ["stdout"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
        },
    }
