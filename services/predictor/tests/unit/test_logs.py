import json
import logging

from opentelemetry.sdk.trace import TracerProvider

from predictor.logs import CloudLoggingFormatter


def record(message: str, level=logging.INFO) -> logging.LogRecord:
    return logging.LogRecord("predictor", level, __file__, 1, message, (), None)


def test_lines_are_json_with_cloud_logging_field_names():
    line = json.loads(CloudLoggingFormatter().format(record("model ready", logging.WARNING)))
    assert line["severity"] == "WARNING"
    assert line["message"] == "model ready"
    assert line["time"].endswith("+00:00")
    assert "logging.googleapis.com/trace" not in line  # no span, no trace field


def test_lines_written_inside_a_span_carry_its_trace():
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("request") as span:
        line = json.loads(CloudLoggingFormatter(project="my-project").format(record("inside")))
    context = span.get_span_context()
    assert line["logging.googleapis.com/trace"] == f"projects/my-project/traces/{context.trace_id:032x}"
    assert line["logging.googleapis.com/spanId"] == f"{context.span_id:016x}"
    assert line["logging.googleapis.com/trace_sampled"] is True


def test_exceptions_are_kept_in_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        entry = record("failed", logging.ERROR)
        entry.exc_info = sys.exc_info()
    text = CloudLoggingFormatter().format(entry)
    assert "\n" not in text
    assert "ValueError: boom" in json.loads(text)["stack_trace"]
