"""The Cloud Run service as modules/cloud-run-service writes it, read offline from its HCL.

Its mocked `terraform test` suite needs the provider from the registry (CI only); these checks
run everywhere: warm instances belong to the service, old images get deleted, and the telemetry
sidecar is wired the way the app and the deploy workflow expect.
"""


def _service(service_module) -> dict:
    return service_module["google_cloud_run_v2_service"]


def _containers(service_module) -> dict[str, dict]:
    containers = _service(service_module)["template"][0]["containers"]
    return {container["name"].strip('"'): container for container in containers}


def test_min_instances_are_set_at_service_level(service_module):
    """Per revision, min instances keep warm instances for every tagged revision too, billed."""
    service = _service(service_module)
    assert service["scaling"][0]["min_instance_count"] == "${var.min_instances}"
    assert "min_instance_count" not in service["template"][0]["scaling"][0]


def test_the_cleanup_policy_deletes_old_images_even_when_tagged(service_module):
    """Every image carries its commit tag: a policy on untagged images never deletes anything."""
    policies = {
        p["action"].strip('"'): p for p in service_module["google_artifact_registry_repository"]["cleanup_policies"]
    }
    assert policies["DELETE"]["condition"][0]["tag_state"] in ('"ANY"', '"TAGGED"')
    assert policies["KEEP"]["most_recent_versions"][0]["keep_count"] == "${var.versions_to_keep}"


def test_the_app_is_the_first_container(service_module):
    """The deploy workflow's --image and the lifecycle rule both address containers[0]."""
    service = _service(service_module)
    assert next(iter(_containers(service_module))) == "predictor"
    assert "${template[0].containers[0].image}" in service["lifecycle"][0]["ignore_changes"]
    assert _containers(service_module)["predictor"]["image"] == "${var.image}"


def test_the_app_sends_traces_to_the_sidecar_and_knows_its_project(service_module):
    app = _containers(service_module)["predictor"]
    env = app["dynamic"][0]['"env"']
    assert env["for_each"] == "${merge(local.telemetry_env, var.env)}"
    telemetry = service_module["locals"]["telemetry_env"]
    assert telemetry == {
        "GOOGLE_CLOUD_PROJECT": "${var.project_id}",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "${local.collector_otlp_endpoint}",
    }
    assert app["depends_on"] == ['"collector"'], "the collector is up before the app serves"


def test_the_collector_runs_the_given_config_and_is_probed(service_module):
    collector = _containers(service_module)["collector"]
    assert collector["image"] == "${var.collector_image}"
    assert collector["args"] == ['"--config=env:OTELCOL_CONFIG"']
    assert (
        collector["env"][0]["name"] == '"OTELCOL_CONFIG"' and collector["env"][0]["value"] == "${var.collector_config}"
    )
    probe = collector["startup_probe"][0]["http_get"][0]
    assert probe["port"] == "${local.collector_health_port}"
    assert "ports" not in collector, "only the app receives requests"
