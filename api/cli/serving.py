"""Running nodes: ``serve`` runs one; ``up`` loads the seeds and runs the local nodes."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from types import FrameType
from typing import Annotated

import typer

from api.auth import dev_actors, issue_token
from api.cli.context import (
    SEED_DOCUMENTS,
    cli_actor,
    data_console,
    fail,
    open_services,
    read_documents,
)
from consumers.broker import Broker

console = data_console()
HostOption = Annotated[str, typer.Option(help="interface to listen on")]
STARTUP_SECONDS = 60
UP_NODES = ("320000", "360000", "360100")
_PR_SET_PDEATHSIG = 1


def serve(
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", "-j", help="GB/T 2260 code")],
    port: Annotated[int, typer.Option(help="HTTP port")] = 8700,
    host: HostOption = "127.0.0.1",
) -> None:
    """Run one node: the GraphQL API and the projection runner."""
    # The web stack is imported here, so every other command starts quickly.
    import uvicorn

    from api.app import create_app

    _check_port_free(host, port)
    with open_services(jurisdiction) as services:
        console.print(f"{services.place.code} {services.place.name} {_url(host, port)}")
        uvicorn.run(
            create_app(services),
            host=host,
            port=port,
            log_level="warning",
            loop="uvloop",
            http="httptools",
        )


def up(
    base_port: Annotated[
        int, typer.Option(help="the first node's port; the next ones follow")
    ] = 8700,
    host: HostOption = "127.0.0.1",
) -> None:
    """Start the broker and the local nodes, load the seed documents, run until Ctrl-C."""
    nodes = [(code, base_port + index) for index, code in enumerate(UP_NODES)]
    broker_port = base_port + len(nodes)
    for port in [*(port for _, port in nodes), broker_port]:
        _check_port_free(host, port)
    _load_seeds()
    # Ctrl-C stops everything even when a shell started us with SIGINT ignored (background jobs).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    broker = Broker(broker_port, host)
    children: list[subprocess.Popen[bytes]] = []
    try:
        broker.start()
        children = [_start_node(code, host, port, broker.bootstrap) for code, port in nodes]
        for (code, port), child in zip(nodes, children, strict=True):
            _wait_until_healthy(code, host, port, child)
        _announce(nodes, host, broker.bootstrap)
        while all(child.poll() is None for child in children) and broker.running:
            time.sleep(0.5)
        fail("a node or the broker stopped unexpectedly; stopping the others")
    except KeyboardInterrupt:
        console.print("stopping…")
    finally:
        _stop(children)
        broker.stop()


def _load_seeds() -> None:
    for code, seed in SEED_DOCUMENTS:
        with open_services(code) as services:
            documents = read_documents([seed], code, None)
            actor = cli_actor(code, "jixiao up")
            outcomes = services.editing.import_documents(actor, documents, f"seed {seed.name}")
            services.runner.catch_up()
            created = sum(1 for outcome in outcomes if outcome.created)
            console.print(f"{code}: {created} new of {len(outcomes)} seed tables", style="dim")


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
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    fail(f"the node for {code} did not answer on port {port} within {STARTUP_SECONDS} s")


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


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()


def _stop_on_sigterm(_signal: int, _frame: FrameType | None) -> None:
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
