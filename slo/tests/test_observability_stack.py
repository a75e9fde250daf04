"""The compose stack and collector config, checked structurally (Docker cannot run here)."""

import yaml
from slokit import localprom, paths

STACK = paths.OBSERVABILITY


def _load(name: str) -> dict:
    return yaml.safe_load((STACK / name).read_text())


def test_compose_runs_collector_prometheus_grafana_on_loopback_ports():
    services = _load("docker-compose.yml")["services"]
    assert {"otel-collector", "prometheus", "grafana"} <= services.keys()
    for name, service in services.items():
        assert service["image"].split(":")[1], f"{name}: pin the image tag"
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (STACK / source).exists(), f"{name} mounts missing {source}"


def test_collector_pipelines_use_defined_components():
    config = _load("otel-collector/config.yaml")
    for pipeline in config["service"]["pipelines"].values():
        for kind in ("receivers", "processors", "exporters"):
            assert set(pipeline.get(kind, [])) <= config[kind].keys()
    assert "prometheus" in config["exporters"] and "debug" in config["exporters"]


def test_prometheus_config_scrapes_the_predictor_job_and_loads_the_rules():
    config = _load("prometheus/prometheus.yml")
    assert "predictor" in [job["job_name"] for job in config["scrape_configs"]]
    assert config["rule_files"] == ["rules/*.rules.yml"]


def test_the_local_run_only_retargets_the_predictor_job():
    config = localprom.render_config("127.0.0.1:1234", scrape_interval="1s")
    assert [j["job_name"] for j in config["scrape_configs"]] == ["predictor"]
    assert config["scrape_configs"][0]["static_configs"] == [{"targets": ["127.0.0.1:1234"]}]
    assert config["rule_files"] == [str(paths.RULES_DIR / "*.rules.yml")]
    assert config["global"]["scrape_interval"] == "1s"
