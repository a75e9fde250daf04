"""Telemetry at near-zero cost: pre-bound metrics merged across workers, sampled OTel traces.

See docs/decisions/0003-telemetry.md for why the standard instrumentation is not on the hot path.
"""
