"""Prometheus metrics at ``/metrics``: request latency, and the node's state read at each scrape.

Every app has its own registry (tests build many apps in one process). Request latency is
labelled by the matched route's template, never the raw path, so what a client sends cannot
grow the label sets. The node's state (projection lag, relay lag, parked messages, the chain)
is read from the database when Prometheus scrapes: a few small queries, no full chain check,
waited for at most ``JIXIAO_PROBE_TIMEOUT_SECONDS`` (``jixiao_store_up`` says whether it came).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.probes import STORE_ERRORS, Bounded
from infra.bootstrap import NodeServices

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # the route label of a request no route answered (404)
RELAY_COUNTED_UP_TO = 1000  # a scrape reads no more of a long backlog than this

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """The node's metrics in Prometheus' text format."""
    registry: CollectorRegistry = request.app.state.metrics
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def install(app: FastAPI, services: NodeServices) -> None:
    """Serve ``/metrics`` and time every request; call after the app's other middleware."""
    registry = CollectorRegistry()
    latency = Histogram(
        "jixiao_http_request_duration_seconds",
        "Time to answer an HTTP request, by route template, method and status class",
        ["route", "method", "status"],
        registry=registry,
    )
    registry.register(NodeCollector(services))
    app.state.metrics = registry
    app.include_router(router)
    mounts = tuple(route.path for route in app.routes if isinstance(route, Mount))
    app.add_middleware(RequestLatency, latency=latency, mounts=mounts)


class RequestLatency:
    """Observes how long each HTTP request took, once its answer was sent (or it failed)."""

    def __init__(self, app: ASGIApp, latency: Histogram, mounts: tuple[str, ...] = ()) -> None:
        self.app = app
        self.latency = latency
        self.mounts = mounts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app raises before answering

        async def tracked(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        finally:
            self.latency.labels(
                route=self._route(scope),
                method=scope["method"] if scope["method"] in METHODS else "other",
                status=f"{status // 100}xx",
            ).observe(time.perf_counter() - started)

    def _route(self, scope: Scope) -> str:
        """The template of the route that answered (``/api/tables/{table_id}/export``), or the
        mounted app's (``/static/{path}``)."""
        path = getattr(scope.get("route"), "path", None)
        if isinstance(path, str) and path:
            return path
        requested: str = scope["path"]
        for mount in self.mounts:
            if requested.startswith(f"{mount}/"):
                return f"{mount}/{{path}}"
        return UNMATCHED


class NodeCollector(Collector):
    """The node's state, read from its database at each scrape."""

    def __init__(self, services: NodeServices) -> None:
        self.services = services
        self._state = Bounded(self._read, services.settings.probe_timeout_seconds)

    def collect(self) -> Iterator[Metric]:
        store = GaugeMetricFamily(
            "jixiao_store_up", "1 when the node's database answered this scrape in time"
        )
        try:
            found = self._state()
        except STORE_ERRORS:
            store.add_metric([], 0)
            yield store
            return
        store.add_metric([], 1)
        yield store
        yield from found

    def _read(self) -> list[Metric]:
        return [*self._projections(), self._parked(), *self._relay()]

    def _projections(self) -> Iterator[Metric]:
        lag = GaugeMetricFamily(
            "jixiao_projection_lag",
            "Events stored but not yet applied to each read model",
            labels=["projection"],
        )
        stopped = GaugeMetricFamily(
            "jixiao_projection_stopped",
            "1 when a read model stopped at an event it cannot apply",
            labels=["projection"],
        )
        chain = GaugeMetricFamily(
            "jixiao_chain_intact",
            "1 while every table event is recorded in the hash chain ledger; 0 when the chain "
            "projection stopped (a missing link). `jixiao audit verify` recomputes every chain",
        )
        for item in self.services.runner.status():
            lag.add_metric([item.name], item.lag)
            stopped.add_metric([item.name], int(item.stopped_at is not None))
            if item.name == "chain":
                chain.add_metric([], int(item.stopped_at is None))
        yield from (lag, stopped, chain)

    def _parked(self) -> Metric:
        parked = GaugeMetricFamily(
            "jixiao_parked_messages",
            "Sync messages parked (status open until an operator acts) and decisions refused",
            labels=["kind", "status"],
        )
        for (kind, status), count in sorted(self.services.reads.parked_counts().items()):
            parked.add_metric([kind, status], count)
        return parked

    def _relay(self) -> Iterator[Metric]:
        """Only on a node that syncs: elsewhere nothing publishes, and nothing is behind."""
        if not self.services.settings.kafka_bootstrap_servers:
            return
        lag = GaugeMetricFamily(
            "jixiao_relay_lag",
            f"Messages stored but not yet published to the broker "
            f"(counted up to {RELAY_COUNTED_UP_TO})",
        )
        lag.add_metric([], self.services.relay.unpublished(RELAY_COUNTED_UP_TO))
        in_flight = GaugeMetricFamily(
            "jixiao_relay_in_flight",
            "Messages published but not yet receipted by the node they were sent to",
        )
        in_flight.add_metric([], self.services.relay.in_flight.count())
        yield from (lag, in_flight)
