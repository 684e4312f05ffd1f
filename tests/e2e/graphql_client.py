"""A node's API over real HTTP (FastAPI's test client), with tokens for any role."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import issue_token
from domain.model import Actor, Role
from infra.bootstrap import NodeServices


class Api:
    def __init__(self, client: TestClient, services: NodeServices) -> None:
        self.client = client
        self.services = services

    def token(self, role: str, jurisdiction: str | None = None, name: str = "") -> str:
        place = jurisdiction or self.services.place.code
        who = name or f"{role}@{place}"
        actor = Actor(id=f"id:{who}", name=who, role=Role(role), jurisdiction=place)
        return issue_token(self.services.secret, actor, days=1)

    def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    def query(
        self, query: str, variables: dict[str, Any] | None = None, role: str = "editor"
    ) -> dict[str, Any]:
        """Data of a query that must succeed."""
        response = self.post(query, variables, self.token(role))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def errors(
        self, query: str, variables: dict[str, Any] | None = None, role: str = "editor"
    ) -> list[dict[str, Any]]:
        """Errors of a query that must be refused."""
        response = self.post(query, variables, self.token(role))
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()["errors"]
        return found


@contextmanager
def serving(services: NodeServices) -> Iterator[Api]:
    with TestClient(create_app(services)) as client:
        yield Api(client, services)
