"""Flight-delay prediction service for Santiago airport (SCL)."""

from importlib.metadata import version

__version__ = version("predictor")
