"""Every generated file, as {path: text}; written by `generate`, compared by `check`."""

from pathlib import Path

from slokit import paths, promrules, promtests, yamlout
from slokit.dashboards import overview, panels
from slokit.dashboards import slo as slo_dashboard
from slokit.model import Catalog


def rule_path(slo_name: str) -> Path:
    return paths.RULES_DIR / f"slo-{slo_name}.rules.yml"


def test_path(slo_name: str, policy: str) -> Path:
    return paths.PROMTOOL_TESTS_DIR / f"slo-{slo_name}-{policy}.test.yml"


def render(catalog: Catalog) -> dict[Path, str]:
    files: dict[Path, str] = {}
    for slo in catalog.slos:
        rules = rule_path(slo.name)
        files[rules] = yamlout.dump(promrules.rule_file(slo))
        for alert in slo.alerts:
            tests = test_path(slo.name, alert.policy)
            files[tests] = yamlout.dump(promtests.test_file(slo, alert, rules, tests))
    files[paths.DASHBOARDS_DIR / "slo.json"] = panels.render(slo_dashboard.build(catalog))
    files[paths.DASHBOARDS_DIR / "overview.json"] = panels.render(overview.build(catalog))
    return files


def generated_dirs() -> list[Path]:
    return [paths.RULES_DIR, paths.PROMTOOL_TESTS_DIR, paths.DASHBOARDS_DIR]


def write(files: dict[Path, str]) -> list[Path]:
    """Write files and delete generated files no SLO produces any more; returns what changed."""
    changed = drift(files)
    for path in _stale(files):
        path.unlink()
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return changed


def drift(files: dict[Path, str]) -> list[Path]:
    """Generated files that differ from what is on disk, are missing, or are left over."""
    differ = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    return differ + _stale(files)


def _stale(files: dict[Path, str]) -> list[Path]:
    patterns = ("slo-*.rules.yml", "slo-*.test.yml", "*.json")
    on_disk = {p for d in generated_dirs() if d.exists() for pat in patterns for p in d.glob(pat)}
    return sorted(on_disk - set(files))
