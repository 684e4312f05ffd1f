"""The HTTP application of one node: the workbench at /, GraphQL at /graphql, /api, /health,
/metrics."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import anyio.to_thread
import orjson
from cross_web import HTTPException
from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter

from api import documents, metrics, probes
from api.deps import Services, graphql_context
from api.graphql.schema import schema
from api.limits import RequestSizeLimit
from api.web import imports, mount_workbench
from consumers.consumer import SyncConsumer
from infra.bootstrap import NodeServices
from infra.leadership import Role, this_process

YOUNG_GENERATION_THRESHOLD = 20_000
SWITCH_INTERVAL_SECONDS = 0.0005
# Where documents are uploaded: the API's import and the workbench's.
UPLOAD_PATHS = (documents.IMPORT_PATH, imports.IMPORT_PATH)


class Router(GraphQLRouter[Any, None]):
    def encode_json(self, data: object) -> bytes:
        """UTF-8 (Chinese labels stay readable, not escaped as \\uXXXX), a tenth of json's time."""
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        """A request body that is a JSON object (or a list, which is refused as a batch).

        Anything else — ``"hello"``, ``null``, a number — or JSON nested deeper than orjson's
        1,024 levels is a 400 that says what is wrong, never a server error.
        """
        decoded = orjson.loads(data)  # orjson.JSONDecodeError is a json.JSONDecodeError: 400
        if not isinstance(decoded, dict | list):
            raise HTTPException(
                400,
                'the request body must be a JSON object such as {"query": "{ me { name } }"}',
            )
        return decoded


def create_app(services: NodeServices, run_background: bool = True) -> FastAPI:
    """The node's API; with ``run_background`` it also runs projections and sync."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        workers: list[threading.Thread] = []
        table_reads = services.async_table_reads()
        if table_reads is not None:
            await table_reads.open()
            app.state.table_reads = table_reads
        if run_background:
            workers = _background(services, stop)
            # Serve nothing older than the store: wait until the projections (whichever
            # process runs them) caught up with it before the first request.
            await anyio.to_thread.run_sync(_caught_up, services)
            # What is loaded by now lives as long as the process: keep it out of every
            # garbage collection, which shortens the pauses requests see.
            gc.freeze()
            # A table read allocates tens of thousands of short-lived objects; collecting the
            # young generation every 700 of them made dozens of collections per request.
            gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
            # An edit is answered once the projection thread applied it; while the event loop
            # serves reads, each of that thread's database round trips waited up to the
            # default 5 ms for the interpreter. Handing it over sooner halves edit latency
            # under load for about 5 % of read throughput (bench/load.py).
            sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        try:
            yield
        finally:
            stop.set()
            services.runner.nudge()
            services.relay.nudge()
            for worker in workers:
                worker.join(timeout=10)
            if table_reads is not None:
                await table_reads.close()

    app = FastAPI(
        title=f"Jixiao node {services.place.code} {services.place.name}",
        lifespan=lifespan,
    )
    app.state.services = services
    # The prefix is the router's own, so its route's path (the metrics' label) is /graphql.
    app.include_router(
        Router(schema, context_getter=graphql_context, graphql_ide="graphiql", prefix="/graphql")
    )

    @app.get("/health")
    def health(node: Services) -> dict[str, Any]:
        """Liveness, how far behind the event store each projection is, and where any stopped:
        the event it could not apply (``stopped_at``) and why, while the others go on."""
        statuses = node.runner.status()
        return {
            "jurisdiction": node.place.code,
            "name": node.place.name,
            # Which process (host:pid) runs the projections and the sync; null while none does.
            "process": this_process(),
            "leaders": {role: leader.holder() for role, leader in node.leaders.items()},
            "projections": {item.name: item.lag for item in statuses},
            "stopped": {
                item.name: {
                    "position": item.position,
                    "stopped_at": item.fault.position,
                    "originator": item.fault.originator,
                    "topic": item.fault.topic,
                    "error": item.fault.error,
                    "since": item.fault.since,
                }
                for item in statuses
                if item.fault is not None
            },
        }

    probes.install(app, services)
    app.include_router(documents.router)
    mount_workbench(app)
    app.add_middleware(
        RequestSizeLimit,
        limit=services.settings.max_request_bytes,
        upload_limit=services.settings.max_upload_bytes,
        upload_paths=UPLOAD_PATHS,
    )
    metrics.install(app, services)  # outermost: a refused (413) request is timed too
    return app


def _worker(
    name: str, target: Callable[[threading.Event], None], stop: threading.Event
) -> threading.Thread:
    worker = threading.Thread(target=target, args=(stop,), name=name, daemon=True)
    worker.start()
    return worker


def _background(services: NodeServices, stop: threading.Event) -> list[threading.Thread]:
    """The listener, and a thread per role that runs it while this process leads it."""
    poll = services.poll_seconds
    roles = {
        "projections": Role(
            lambda stopping: [
                _worker("projections", partial(services.runner.run, interval=poll), stopping)
            ],
            services.runner.nudge,
        ),
        "sync": Role(partial(_sync_workers, services), services.relay.nudge),
    }
    workers = [
        _worker(f"leading {name}", partial(leader.run, role=roles[name]), stop)
        for name, leader in services.leaders.items()
    ]
    if services.listener is not None:
        workers.append(_worker("listener", services.listener.run, stop))
    return workers


def _caught_up(services: NodeServices) -> None:
    head = services.runner.reader.head()
    while not services.runner.wait_for(head, timeout=1.0):
        pass


def _sync_workers(services: NodeServices, stop: threading.Event) -> list[threading.Thread]:
    """The relay and the consumer, when the node has a broker to talk to."""
    bootstrap = services.settings.kafka_bootstrap_servers
    if not bootstrap:
        return []
    consumer = SyncConsumer(
        services.inbound, bootstrap, services.runner.nudge, services.relay.in_flight
    )
    relay = partial(services.relay.run, interval=services.poll_seconds)
    return [_worker("relay", relay, stop), _worker("consumer", consumer.run, stop)]
