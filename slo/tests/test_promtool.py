"""The generated rules load in promtool, and the generated tests prove each alert's behaviour."""

import shutil
import subprocess

import pytest
from slokit import paths

pytestmark = pytest.mark.integration


def _promtool(promtool: str, *args: str, cwd=paths.RULES_DIR.parent) -> subprocess.CompletedProcess:
    return subprocess.run([promtool, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_rules_and_config_pass_promtool_check(require_tool):
    promtool = require_tool("promtool")
    rules = sorted(str(p) for p in paths.RULES_DIR.glob("*.rules.yml"))
    result = _promtool(promtool, "check", "rules", "--lint=duplicate-rules", "--lint-fatal", *rules)
    assert result.returncode == 0, result.stdout + result.stderr
    result = _promtool(promtool, "check", "config", str(paths.PROMETHEUS_CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_has_a_promtool_test_and_they_pass(require_tool, catalog):
    """One generated test per SLO alert, plus the hand-written model-quality and auth tests."""
    promtool = require_tool("promtool")
    tests = sorted(paths.PROMTOOL_TESTS_DIR.glob("*.test.yml"))
    assert len(list(paths.PROMTOOL_TESTS_DIR.glob("slo-*.test.yml"))) == sum(len(s.alerts) for s in catalog.slos)
    assert {paths.PROMTOOL_TESTS_DIR / f"{name}.test.yml" for name in ("model-quality", "auth")} <= set(tests)
    result = _promtool(promtool, "test", "rules", *map(str, tests))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("SUCCESS") == len(tests)


def test_the_tests_catch_a_wrong_threshold(require_tool, tmp_path):
    """Raising the page threshold from 14.4 to 15 must make the 'fires' case fail."""
    promtool = require_tool("promtool")
    shutil.copytree(paths.RULES_DIR, tmp_path / "rules")
    shutil.copytree(paths.PROMTOOL_TESTS_DIR, tmp_path / "tests")
    rules = tmp_path / "rules" / "slo-api-availability.rules.yml"
    rules.write_text(rules.read_text().replace("(14.4 * 0.001)", "(15 * 0.001)"))
    test = tmp_path / "tests" / "slo-api-availability-page-fast-burn.test.yml"
    result = _promtool(promtool, "test", "rules", str(test), cwd=tmp_path)
    assert result.returncode == 1
    assert "fires at 0.01454 errors" in result.stdout + result.stderr
