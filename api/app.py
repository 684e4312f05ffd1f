"""The HTTP application of one node: GraphQL at /graphql, health at /health."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter

from api.deps import Services, graphql_context
from api.graphql.schema import schema
from api.limits import RequestSizeLimit
from infra.bootstrap import NodeServices


class Router(GraphQLRouter[Any, None]):
    def encode_json(self, data: object) -> bytes:
        """Chinese labels stay readable in the answer, not escaped as \\uXXXX."""
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def create_app(services: NodeServices, run_projections: bool = True) -> FastAPI:
    """The node's API; with ``run_projections`` it also keeps the read models up to date."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        runner: threading.Thread | None = None
        if run_projections:
            # Serve nothing older than the store: catch up before the first request.
            await anyio.to_thread.run_sync(services.runner.catch_up)
            runner = threading.Thread(
                target=services.runner.run, args=(stop,), name="projections", daemon=True
            )
            runner.start()
        try:
            yield
        finally:
            stop.set()
            services.runner.nudge()
            if runner is not None:
                runner.join(timeout=10)

    app = FastAPI(
        title=f"Jixiao node {services.place.code} {services.place.name}",
        lifespan=lifespan,
    )
    app.state.services = services
    app.include_router(
        Router(schema, context_getter=graphql_context, graphql_ide="graphiql"),
        prefix="/graphql",
    )

    @app.get("/health")
    def health(node: Services) -> dict[str, Any]:
        """Liveness, and how far behind the event store each projection is."""
        return {
            "jurisdiction": node.place.code,
            "name": node.place.name,
            "projections": {item.name: item.lag for item in node.runner.status()},
        }

    app.add_middleware(RequestSizeLimit, limit=services.settings.max_request_bytes)
    return app
