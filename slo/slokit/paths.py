"""Where the sources and the generated files live, relative to the repository root."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OPENSLO_DIR = REPO / "slo" / "openslo"
CONVENTIONS = REPO / "slo" / "conventions.yaml"
OBSERVABILITY = REPO / "platform" / "observability"
RULES_DIR = OBSERVABILITY / "prometheus" / "rules"
PROMTOOL_TESTS_DIR = OBSERVABILITY / "prometheus" / "tests"
PROMETHEUS_CONFIG = OBSERVABILITY / "prometheus" / "prometheus.yml"
DASHBOARDS_DIR = OBSERVABILITY / "grafana" / "dashboards"
