"""Fixtures the end-to-end modules share: real nodes over HTTP and node processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.model import Actor, Role
from tests.conftest import NANCHANG, ServicesFactory, seed_documents
from tests.e2e.graphql_client import Api, serving
from tests.e2e.sync_nodes import Node


@pytest.fixture
def nanchang(services_factory: ServicesFactory) -> Iterator[Api]:
    """南昌市's node with its seed tables, served over HTTP in-process."""
    services = services_factory("360100")
    importer = Actor("seed", "seed", Role.EDITOR, "360100")
    services.app.import_documents(seed_documents(NANCHANG, "360100"), importer, "seed")
    with serving(services) as api:
        yield api


@pytest.fixture
def started() -> Iterator[list[Node]]:
    """Node processes a test starts; each is stopped afterwards."""
    nodes: list[Node] = []
    yield nodes
    for node in nodes:
        node.stop()
