"""Running nodes: ``serve`` runs one; ``up`` loads the seeds and runs the local nodes."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from functools import partial
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from api.auth import dev_actors, issue_token
from api.cli.context import (
    SEED_DOCUMENTS,
    cli_actor,
    data_console,
    fail,
    open_services,
    read_documents,
    refusals,
    settings_for,
)
from api.cli.supervision import Child, Supervisor, end
from consumers.broker import Broker
from domain import vocabulary
from infra.bootstrap import build_services
from infra.jurisdictions import jurisdiction

if TYPE_CHECKING:
    from fastapi import FastAPI

console = data_console()
HostOption = Annotated[str, typer.Option(help="interface to listen on")]
STARTUP_SECONDS = 60
UP_NODES = ("320000", "360000", "360100")
_PR_SET_PDEATHSIG = 1
# How ``serve --workers`` tells each worker process which node it serves.
WORKER_JURISDICTION = "JIXIAO_SERVE_JURISDICTION"
WorkersOption = Annotated[
    int,
    typer.Option(
        min=1,
        help="API processes sharing the port (PostgreSQL only); one of them at a time runs "
        "the projections, one the relay and consumer",
    ),
]


def serve(
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", "-j", help="GB/T 2260 code")],
    port: Annotated[int, typer.Option(help="HTTP port")] = 8700,
    host: HostOption = "127.0.0.1",
    workers: WorkersOption = 1,
) -> None:
    """Run one node: the GraphQL API, the projection runner and (with a broker) the sync."""
    # The web stack is imported here, so every other command starts quickly.
    import uvicorn

    from api.app import create_app
    from api.logs import log_config

    if workers > 1:
        _serve_workers(jurisdiction, port, host, workers)
        return
    _check_port_free(host, port)
    with open_services(jurisdiction, create=True) as services:
        console.print(f"{services.place.code} {services.place.name} {_url(host, port)}")
        uvicorn.run(
            create_app(services),
            host=host,
            port=port,
            log_config=log_config(services.settings.log_format, services.place.code),
            log_level="warning",
            loop="uvloop",
            http="httptools",
        )


def _serve_workers(code: str, port: int, host: str, workers: int) -> None:
    """``workers`` uvicorn processes on one socket, each with the node's services of its own."""
    import uvicorn

    from api.logs import log_config

    settings, place = settings_for(code)
    if not settings.database_url:
        fail(
            "--workers needs PostgreSQL (JIXIAO_DATABASE_URL): the SQLite store is for one "
            "process; run without --workers",
            code=2,
        )
    _check_port_free(host, port)
    # Set up the store (schemas, read-model tables, the secret) once, before the workers race.
    with open_services(place.code, create=True):
        console.print(f"{place.code} {place.name} {_url(host, port)}")
    os.environ[WORKER_JURISDICTION] = place.code
    uvicorn.run(
        f"{__name__}:worker_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_config=log_config(settings.log_format, place.code),
        log_level="warning",
        loop="uvloop",
        http="httptools",
    )


def worker_app() -> FastAPI:
    """The app of one ``serve --workers`` process (uvicorn calls this in each worker)."""
    from api.app import create_app

    settings, place = settings_for(os.environ[WORKER_JURISDICTION])
    return create_app(build_services(place.code, settings))


def up(
    base_port: Annotated[
        int, typer.Option(help="the first node's port; the next ones follow")
    ] = 8700,
    host: HostOption = "127.0.0.1",
) -> None:
    """Start the broker and the local nodes, load the seed documents, run until Ctrl-C.

    A node or the broker that stops is started again (``api.cli.supervision``).
    """
    nodes = [(code, base_port + index) for index, code in enumerate(UP_NODES)]
    broker_port = base_port + len(nodes)
    for port in [*(port for _, port in nodes), broker_port]:
        _check_port_free(host, port)
    stopping = threading.Event()
    # Ctrl-C stops everything even when a shell started us with SIGINT ignored (background jobs).
    signal.signal(signal.SIGINT, partial(_stop_on_signal, stopping))
    signal.signal(signal.SIGTERM, partial(_stop_on_signal, stopping))
    broker = Broker(broker_port, host)
    children: list[Child] = []
    try:
        _load_seeds()
        children = [_broker_child(broker)]
        children += [_node_child(code, host, port, broker.bootstrap) for code, port in nodes]
        for (code, port), child in zip(nodes, children[1:], strict=True):
            _wait_until_healthy(code, host, port, child.process)
        _announce(nodes, host, broker.bootstrap)
        Supervisor(children, _say).watch(stopping)
    except KeyboardInterrupt:
        pass  # Ctrl-C or SIGTERM: everything stops below
    finally:
        console.print("stopping…")
        end(children[1:])
        broker.stop()


def _load_seeds() -> None:
    """Register the seed tables a node does not have yet; leave every table it has as it is."""
    for code, seed in SEED_DOCUMENTS:
        with open_services(code, create=True) as services, refusals():
            documents = read_documents([seed], code, None)
            actor = cli_actor(code, "jixiao up")
            outcomes = services.editing.import_documents(
                actor, documents, vocabulary.SEEDED_FROM.format(file=seed.name), create_only=True
            )
            services.runner.catch_up()
            created = sum(1 for outcome in outcomes if outcome.created)
            line = f"{code}: {created} new of {len(outcomes)} seed tables"
            if created < len(outcomes):
                line += f"; {len(outcomes) - created} already here, left as they are"
            console.print(line, style="dim")


def _broker_child(broker: Broker) -> Child:
    def start() -> subprocess.Popen[bytes]:
        broker.start()
        if broker.process is None:
            raise RuntimeError("the broker did not start")
        return broker.process

    try:
        process = start()
    except RuntimeError as error:
        fail(f"the broker did not start: {error}")
    return Child(
        f"the broker ({broker.bootstrap})",
        start,
        lambda: broker.running,
        process,
        note="; it starts empty, and the nodes connect to it again",
    )


def _node_child(code: str, host: str, port: int, bootstrap: str) -> Child:
    start = partial(_start_node, code, host, port, bootstrap)
    name = f"the node {code} {jurisdiction(code).name} ({_url(host, port)})"
    return Child(name, start, partial(_healthy, host, port), start())


def _start_node(code: str, host: str, port: int, bootstrap: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "api.cli", "serve", "-j", code, "--port", str(port)]
    env = {**os.environ, "JIXIAO_KAFKA_BOOTSTRAP_SERVERS": bootstrap, "JIXIAO_DEV_SIGN_IN": "1"}
    return subprocess.Popen(
        [*command, "--host", host],
        stdout=subprocess.DEVNULL,
        env=env,
        preexec_fn=_die_with_parent,
    )


def _die_with_parent() -> None:
    """On Linux, a node gets SIGTERM if ``up`` itself is killed, so none is left orphaned."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _wait_until_healthy(code: str, host: str, port: int, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            fail(f"the node for {code} exited with code {child.returncode} while starting")
        if _healthy(host, port):
            return
        time.sleep(0.1)
    fail(f"the node for {code} did not answer on port {port} within {STARTUP_SECONDS} s")


def _healthy(host: str, port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/health", timeout=1):
            return True
    except OSError:
        return False


def _say(line: str) -> None:
    console.print(f"{time.strftime('%H:%M:%S')} {line}", style="yellow", soft_wrap=True)


def _announce(nodes: list[tuple[str, int]], host: str, bootstrap: str) -> None:
    lines: list[str] = []
    tokens: list[str] = []
    for code, port in nodes:
        with open_services(code) as services:
            lines.append(f"{code} {services.place.name} {_url(host, port)}")
            for actor in dev_actors(code):
                role = actor.role
                token = issue_token(services.secret, actor, services.settings.token_days)
                tokens.append(f"{code} {role.value:<9} {token}")
    for line in lines:
        typer.echo(line)
    typer.echo(f"bootstrap {bootstrap}")
    console.print("\ndevelopment tokens (send as 'Authorization: Bearer <token>'):", style="bold")
    for line in tokens:
        typer.echo(line)
    console.print(
        "\nThe web workbench is at each URL above (sign in with a development identity); "
        "GraphiQL at /graphql. Ctrl-C stops everything.",
        style="dim",
    )


def _stop_on_signal(stopping: threading.Event, _signal: int, _frame: FrameType | None) -> None:
    """Interrupt whatever runs; should the exception be lost (raised in a finaliser, which Python
    only prints), the flag still ends the watch."""
    stopping.set()
    raise KeyboardInterrupt


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            fail(f"cannot listen on {host}:{port}: {error.strerror}; choose another port", code=2)


def _url(host: str, port: int) -> str:
    return f"http://{host}:{port}/"
