"""The compose stack and collector config, checked structurally (Docker cannot run here)."""

from collections import Counter

import yaml
from slokit import localprom, paths

from predictor.settings import Settings

STACK = paths.OBSERVABILITY


def _load(name: str) -> dict:
    return yaml.safe_load((STACK / name).read_text())


def _listeners() -> dict[str, str]:
    """Every address a container of the stack listens on, by what listens (host networking)."""
    compose, collector, tempo = (
        _load("docker-compose.yml")["services"],
        _load("otel-collector/config.yaml"),
        _load("tempo.yaml"),
    )
    flags = dict(arg.split("=", 1) for arg in compose["prometheus"]["command"] if "=" in arg)
    grafana = compose["grafana"]["environment"]
    protocols = collector["receivers"]["otlp"]["protocols"]
    return {
        "prometheus": flags["--web.listen-address"],
        "grafana": f"{grafana['GF_SERVER_HTTP_ADDR']}:{grafana['GF_SERVER_HTTP_PORT']}",
        "collector otlp grpc": protocols["grpc"]["endpoint"],
        "collector otlp http": protocols["http"]["endpoint"],
        "collector prometheus exporter": collector["exporters"]["prometheus"]["endpoint"],
        "collector own metrics": collector["service"]["telemetry"]["metrics"]["address"],
        "tempo http": f"{tempo['server']['http_listen_address']}:{tempo['server']['http_listen_port']}",
        "tempo otlp grpc": tempo["distributor"]["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"],
    }


def test_compose_runs_collector_prometheus_grafana_on_the_hosts_loopback():
    services = _load("docker-compose.yml")["services"]
    assert {"otel-collector", "prometheus", "grafana"} <= services.keys()
    for name, service in services.items():
        assert service["image"].split(":")[1], f"{name}: pin the image tag"
        assert service.get("network_mode") == "host", f"{name}: 127.0.0.1 must mean the host, where the service runs"
        assert "ports" not in service, f"{name}: host networking publishes no ports"
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
    config = localprom.render_config(["127.0.0.1:1234"], scrape_interval="1s")
    assert [j["job_name"] for j in config["scrape_configs"]] == ["predictor"]
    assert config["scrape_configs"][0]["static_configs"] == [{"targets": ["127.0.0.1:1234"]}]
    assert config["rule_files"] == [str(paths.RULES_DIR / "*.rules.yml")]
    assert config["global"]["scrape_interval"] == "1s"


def test_every_container_listens_on_loopback_only_and_no_two_on_one_port():
    listeners = _listeners()
    assert {name: a for name, a in listeners.items() if not a.startswith("127.0.0.1:")} == {}
    ports = Counter(address.rsplit(":", 1)[1] for address in listeners.values())
    assert [port for port, n in ports.items() if n > 1] == []


def test_the_stack_scrapes_where_task_serve_listens_and_talks_to_its_own_listeners():
    served = f"{Settings().host}:{Settings().port}"  # what `./task serve` binds without HOST or PORT
    jobs = {
        job["job_name"]: job["static_configs"][0]["targets"]
        for job in _load("prometheus/prometheus.yml")["scrape_configs"]
    }
    collector = _load("otel-collector/config.yaml")
    collector_jobs = collector["receivers"]["prometheus"]["config"]["scrape_configs"]
    listeners = _listeners()
    assert jobs["predictor"] == [served]
    assert [job["static_configs"][0]["targets"] for job in collector_jobs] == [[served]]
    assert jobs["otel-collector"] == [listeners["collector own metrics"], listeners["collector prometheus exporter"]]
    assert collector["exporters"]["otlp/tempo"]["endpoint"] == listeners["tempo otlp grpc"]
    urls = {d["uid"]: d["url"] for d in _load("grafana/provisioning/datasources/datasources.yaml")["datasources"]}
    assert urls == {"prometheus": f"http://{listeners['prometheus']}", "tempo": f"http://{listeners['tempo http']}"}
