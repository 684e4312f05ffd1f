"""/metrics as Prometheus scrapes it: request latency by route, the node's lags, parked, chain."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from domain.model import Actor, Role
from infra.bootstrap import NodeServices, build_services
from infra.settings import Settings
from service_layer.messages import inbox_topic
from tests.conftest import NANCHANG, ServicesFactory, seed_documents
from tests.e2e.graphql_client import serving
from tests.support.wire import Wire, relay_all

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: TestClient) -> Samples:
    """Every sample of a scrape, read by prometheus_client's own parser."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


@pytest.fixture(params=["sqlite", "postgres"])
def syncing_city(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NodeServices]:
    """Nanchang's node, with a broker configured (never reached: nothing runs in background)."""
    database_url = (
        request.getfixturevalue("postgres_database") if request.param == "postgres" else None
    )
    settings = Settings(
        data_dir=tmp_path / "var",
        database_url=database_url,
        kafka_bootstrap_servers="127.0.0.1:9",
    )
    services = build_services("360100", settings, store=uuid.uuid4().hex[:6])
    yield services
    services.close()


def test_request_latency_is_labelled_by_route_template_never_by_the_raw_path(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    services.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    first, second = [str(table_id) for table_id in services.app.table_ids()][:2]
    with serving(services) as api:
        headers = {"Authorization": f"Bearer {api.token('editor')}"}
        for table_id in (first, second):
            exported = api.client.get(f"/api/tables/{table_id}/export?format=json", headers=headers)
            assert exported.status_code == 200
        assert api.client.get(f"/api/tables/{first}/export").status_code == 401
        assert api.client.get(f"/no/such/page/{first}").status_code == 404
        assert api.client.get("/static/workbench.css").status_code == 200
        assert api.query("{ me { name } }") == {"me": {"name": "editor@360100"}}
        samples = scrape(api.client)

    def requests(route: str, method: str, status: str) -> float:
        labels = {"route": route, "method": method, "status": status}
        return value(samples, "jixiao_http_request_duration_seconds_count", **labels)

    assert requests("/api/tables/{table_id}/export", "GET", "2xx") == 2
    assert requests("/api/tables/{table_id}/export", "GET", "4xx") == 1
    assert requests("unmatched", "GET", "4xx") == 1
    assert requests("/graphql", "POST", "2xx") == 1
    assert requests("/static/{path}", "GET", "2xx") == 1
    buckets = {
        dict(labels)["le"]
        for name, labels in samples
        if name == "jixiao_http_request_duration_seconds_bucket"
    }
    assert {"0.005", "1.0", "+Inf"} <= buckets
    routes = {dict(labels).get("route", "") for _, labels in samples}
    assert not [route for route in routes if first in route or second in route]


def test_a_scrape_shows_how_far_each_projection_is_behind(syncing_city: NodeServices) -> None:
    syncing_city.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    head = syncing_city.runner.reader.head()
    with TestClient(create_app(syncing_city, run_background=False)) as client:
        behind = scrape(client)
        syncing_city.runner.catch_up()
        caught_up = scrape(client)
    names = [item.name for item in syncing_city.runner.projections]
    assert value(behind, "jixiao_store_up") == 1
    for name in names:
        assert value(behind, "jixiao_projection_lag", projection=name) == head
        assert value(caught_up, "jixiao_projection_lag", projection=name) == 0
        assert value(caught_up, "jixiao_projection_stopped", projection=name) == 0
    assert value(caught_up, "jixiao_chain_intact") == 1


def test_a_scrape_shows_what_the_relay_has_not_published_and_what_is_parked(
    syncing_city: NodeServices,
) -> None:
    city = syncing_city
    city.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    first, second = list(city.app.table_ids())[:2]
    for table_id in (first, second):
        city.app.edit(table_id, 1, lambda table: table.submit(EDITOR, "请审核"))
    Wire().deliver(city, inbox_topic("360100"), str(first), b"{not json")
    city.runner.catch_up()
    with TestClient(create_app(city, run_background=False)) as client:
        before = scrape(client)
        relay_all(city)
        after = scrape(client)
    assert value(before, "jixiao_relay_lag") == 2
    assert value(after, "jixiao_relay_lag") == 0
    assert value(before, "jixiao_relay_in_flight") == 0
    assert value(after, "jixiao_relay_in_flight") == 2  # until the province's receipts come
    assert value(after, "jixiao_parked_messages", kind="parked", status="open") == 1


def test_a_node_that_does_not_sync_reports_no_relay_lag(services_factory: ServicesFactory) -> None:
    with serving(services_factory("360100")) as api:
        samples = scrape(api.client)
    assert not [name for name, _ in samples if name.startswith("jixiao_relay")]
    assert value(samples, "jixiao_chain_intact") == 1
