"""Liveness and readiness, for whatever runs the node (systemd, Kubernetes, a load balancer).

``/health/live`` answers while the process does and asks nothing else, so a slow or absent
database never gets a healthy process restarted. ``/health/ready`` answers 200 only while the
node can serve what is stored: the store answers (within ``JIXIAO_PROBE_TIMEOUT_SECONDS``), no
projection has stopped, and none is more than ``JIXIAO_READY_MAX_LAG`` events behind; otherwise
503 with the reasons.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Generic, TypeVar

from eventsourcing.persistence import PersistenceError
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

from api.deps import Services
from infra.bootstrap import NodeServices
from projections.runner import ProjectionStatus

T = TypeVar("T")


class StoreTooSlow(Exception):
    """The store did not answer within the probe's time."""


# What a store that does not answer raises: through SQLAlchemy (the read models), through
# eventsourcing (the events), or no answer in time.
STORE_ERRORS = (DBAPIError, PersistenceError, StoreTooSlow)


class Bounded(Generic[T]):
    """Runs ``read`` in a thread of its own and waits for its answer at most ``seconds``.

    A store that is away can hold a connection attempt for minutes (eventsourcing's pool waits
    30 s a try, and tries again), and a probe must answer in time. While one read is still
    running, no second one starts: later callers wait for that one, within their own time.
    """

    def __init__(self, read: Callable[[], T], seconds: float) -> None:
        self.read = read
        self.seconds = seconds
        self._lock = threading.Lock()
        self._running: Future[T] | None = None

    def __call__(self) -> T:
        with self._lock:
            if self._running is None or self._running.done():
                self._running = Future()
                # A daemon: a read stuck on a dead connection never holds up the process's exit.
                threading.Thread(target=self._run, args=(self._running,), daemon=True).start()
            running = self._running
        try:
            return running.result(timeout=self.seconds)
        except FutureTimeout:
            raise StoreTooSlow(f"timed out after {self.seconds:g} s") from None

    def _run(self, future: Future[T]) -> None:
        try:
            future.set_result(self.read())
        except BaseException as error:  # handed to the waiting caller, which re-raises it
            future.set_exception(error)


router = APIRouter(prefix="/health")


def install(app: FastAPI, services: NodeServices) -> None:
    """Serve ``/health/live`` and ``/health/ready``."""
    app.state.projection_status = Bounded(
        services.runner.status, services.settings.probe_timeout_seconds
    )
    app.include_router(router)


@router.get("/live")
async def live(node: Services) -> dict[str, Any]:
    """The process answers (on the event loop: no database, no worker thread)."""
    return {"live": True, "jurisdiction": node.place.code}


@router.get("/ready", responses={503: {"description": "not ready, with the reasons"}})
def ready(request: Request, node: Services) -> JSONResponse:
    """Whether the node can serve what is stored; 503 with the reasons when it cannot."""
    status: Bounded[list[ProjectionStatus]] = request.app.state.projection_status
    try:
        statuses = status()
    except STORE_ERRORS as error:
        return _not_ready([f"the store does not answer: {first_line(error)}"])
    reasons = unready_projections(statuses, node.settings.ready_max_lag)
    if reasons:
        return _not_ready(reasons)
    lags = {item.name: item.lag for item in statuses}
    return JSONResponse({"ready": True, "jurisdiction": node.place.code, "projections": lags})


def unready_projections(statuses: list[ProjectionStatus], max_lag: int) -> list[str]:
    """Why the read models cannot be served: a projection stopped, or too far behind."""
    reasons = []
    for item in statuses:
        if item.stopped_at is not None:
            reasons.append(
                f"projection {item.name} stopped at event {item.stopped_at}: {item.error}"
            )
        elif item.lag > max_lag:
            reasons.append(
                f"projection {item.name} is {item.lag} events behind (at most {max_lag})"
            )
    return reasons


def first_line(error: Exception) -> str:
    """A driver's message without the SQL and the background link SQLAlchemy appends."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _not_ready(reasons: list[str]) -> JSONResponse:
    return JSONResponse({"ready": False, "reasons": reasons}, status_code=503)
