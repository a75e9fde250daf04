"""What slokit shares with Terraform's modules/openslo, read from slo/conventions.yaml (written only there)."""

import re
from typing import Any

import yaml

from slokit import paths

_VALUES: dict[str, Any] = yaml.safe_load(paths.CONVENTIONS.read_text(encoding="utf-8"))

ANNOTATION_PREFIX: str = _VALUES["annotation_prefix"]
SHORT_WINDOW = ANNOTATION_PREFIX + _VALUES["annotations"]["short_window"]
CLOUD_RUN_SLI = ANNOTATION_PREFIX + _VALUES["annotations"]["cloud_run_sli"]
DEPLOY_GATE = ANNOTATION_PREFIX + _VALUES["annotations"]["deploy_gate"]
UNIT_SECONDS: dict[str, int] = _VALUES["duration_unit_seconds"]
GCP_MAX_LOOKBACK_SECONDS: int = _VALUES["gcp_max_lookback_seconds"]
QUERY_SHAPE = re.compile(_VALUES["query_shape"])
LABEL_MATCHER = re.compile(r"\s*" + _VALUES["label_matcher"] + r"\s*")
