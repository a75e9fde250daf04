"""The collector configurations, checked offline as far as they can be.

No collector binary or configuration schema is available from the registries this project may
use, so these tests check the YAML's structure (every component defined and used, the same
pipelines locally and on Cloud Run) and its wiring to the rest of the repo: the sidecar scrapes
the job the SLIs select on the port the app listens on, receives traces where the app sends them,
answers the probe Cloud Run sends, and produces every series the Cloud Monitoring SLOs read.
"""

import re
from pathlib import Path

import hcl2
import pytest
import yaml
from slokit import model, paths, selectors

ROOT = Path(__file__).resolve().parents[2]
COLLECTOR_DIR = ROOT / "platform" / "observability" / "otel-collector"
CONFIGS = {name: yaml.safe_load((COLLECTOR_DIR / name).read_text()) for name in ("config.yaml", "cloud-run.yaml")}
CLOUD = CONFIGS["cloud-run.yaml"]
KINDS = ("receivers", "processors", "exporters")


def _host_port(address: str) -> str:
    return re.sub(r"^\w+://", "", address).rstrip("/")


def test_the_same_pipelines_as_the_local_stack():
    assert (
        set(CLOUD["service"]["pipelines"])
        == set(CONFIGS["config.yaml"]["service"]["pipelines"])
        == {
            "metrics",
            "traces",
        }
    )


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_component_is_defined_and_used(name):
    config = CONFIGS[name]
    pipelines = config["service"]["pipelines"].values()
    for kind in KINDS:
        used = {component for pipeline in pipelines for component in pipeline.get(kind, [])}
        assert used == set(config.get(kind, {})), f"{name}: {kind}"
    assert set(config["service"].get("extensions", [])) == set(config.get("extensions", {}))
    for exporter in config["exporters"].values():
        if authenticator := (exporter or {}).get("auth", {}).get("authenticator"):
            assert authenticator in config["service"]["extensions"]


def test_the_sidecar_scrapes_the_job_the_slis_select_where_the_app_listens(service_module):
    catalog = model.load(paths.OPENSLO_DIR)
    queries = [q for slo in catalog.slos for q in (slo.good_query, slo.total_query)]
    jobs = {selectors.parse(query).value_of("job") for query in queries}
    (scrape,) = CLOUD["receivers"]["prometheus"]["config"]["scrape_configs"]
    assert jobs == {scrape["job_name"]}
    assert scrape["static_configs"][0]["targets"] == [f"127.0.0.1:{service_module['locals']['container_port']}"]


def test_the_app_sends_its_traces_to_the_receiver(service_module):
    endpoint = service_module["locals"]["collector_otlp_endpoint"].strip('"')
    assert CLOUD["receivers"]["otlp"]["protocols"]["http"]["endpoint"] == _host_port(endpoint)
    assert "otlp" in CLOUD["service"]["pipelines"]["traces"]["receivers"]


def test_the_health_check_answers_cloud_runs_probe(service_module):
    port = CLOUD["extensions"]["health_check"]["endpoint"].rsplit(":", 1)[1]
    assert int(port) == service_module["locals"]["collector_health_port"]


def test_metrics_reach_managed_prometheus_under_the_apps_names():
    metrics = CLOUD["service"]["pipelines"]["metrics"]
    assert metrics["exporters"] == ["googlemanagedprometheus"]
    assert CLOUD["exporters"]["googlemanagedprometheus"]["metric"]["add_metric_suffixes"] is False


def test_every_series_the_cloud_slos_read_is_produced():
    """The good/total ratio reads <histogram>_count as a counter: only the sidecar makes it."""
    metrics = CLOUD["service"]["pipelines"]["metrics"]
    statements = [
        statement
        for processor in metrics["processors"]
        for group in CLOUD["processors"][processor].get("metric_statements", [])
        for statement in group["statements"]
    ]
    catalog = model.load(paths.OPENSLO_DIR)
    names = {selectors.parse(q).metric for slo in catalog.slos for q in (slo.good_query, slo.total_query)}
    assert any(name.endswith("_count") for name in names)
    assert "extract_count_metric(true) where type == METRIC_DATA_TYPE_HISTOGRAM" in statements


def test_traces_go_to_cloud_trace():
    (exporter,) = CLOUD["service"]["pipelines"]["traces"]["exporters"]
    assert CLOUD["exporters"][exporter]["endpoint"] == "telemetry.googleapis.com:443"
    assert CLOUD["exporters"][exporter]["auth"]["authenticator"] == "googleclientauth"


def test_terraform_hands_this_file_to_the_sidecar():
    terraform = ROOT / "platform" / "terraform"
    root = hcl2.loads((terraform / "main.tf").read_text())
    service = next(block['"service"'] for block in root["module"] if '"service"' in block)
    relative = re.fullmatch(r'\$\{file\("\$\{path\.root\}/(.+)"\)\}', service["collector_config"])[1]
    assert (terraform / relative).resolve() == COLLECTOR_DIR / "cloud-run.yaml"
