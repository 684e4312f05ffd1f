"""Operator commands: tokens and projections."""

from __future__ import annotations

import time
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from api.auth import GRANTABLE_ROLES, issue_token
from api.cli.context import (
    data_console,
    fail,
    open_services,
    operator_actor,
    refusals,
    settings_for,
)
from domain.model import Actor, Role
from infra.bootstrap import SecretMissing, node_secret
from projections.faults import Fault
from service_layer.story import moment

MAX_TOKEN_DAYS = 3660  # ten years: a token lives no longer than the people it names

console = data_console()
tokens = typer.Typer(help="Issue bearer tokens for a node's API.", no_args_is_help=True)
projections = typer.Typer(help="Rebuild and inspect the read models.", no_args_is_help=True)

OperatorOption = Annotated[str, typer.Option("--as", help="your name, recorded with the action")]
JurisdictionOption = Annotated[
    str, typer.Option("--jurisdiction", "-j", help="GB/T 2260 code, e.g. 360100")
]


@tokens.command("issue")
def issue(
    jurisdiction: JurisdictionOption,
    role: Annotated[Role, typer.Option(help="editor, reviewer, auditor or admin")],
    name: Annotated[str, typer.Option(help="the person's display name, recorded on events")],
    node: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="the node the token is for (default: the jurisdiction's own node)"),
    ] = None,
    days: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(help="valid for this many days (1 to 3660)", min=1, max=MAX_TOKEN_DAYS),
    ] = None,
) -> None:
    """Print a token for one person, bound to a role and a jurisdiction."""
    if role not in GRANTABLE_ROLES:
        fail(f"tokens are issued for {', '.join(GRANTABLE_ROLES)}, not {role.value}", code=2)
    if not name.strip():
        fail("--name cannot be empty", code=2)
    settings, place = settings_for(node or jurisdiction)
    try:
        secret = node_secret(settings, place.code, create=False)
    except SecretMissing as missing:
        fail(
            f"no key for node {place.code} at {missing.path}: the node has never run with the "
            f"data directory {missing.path.parent.parent}, and it would refuse a token signed "
            "with a new key. Run this where the node runs, or set JIXIAO_DATA_DIR to the node's "
            "data directory (or JIXIAO_SECRET_KEY to its key). Nothing was created."
        )
    actor = Actor(
        id=f"{jurisdiction}:{role.value}:{name.strip()}",
        name=name.strip(),
        role=role,
        jurisdiction=jurisdiction,
    )
    typer.echo(issue_token(secret, actor, days or settings.token_days))


@projections.command("rebuild")
def rebuild(jurisdiction: JurisdictionOption) -> None:
    """Empty every read model and project the whole event log again."""
    with open_services(jurisdiction) as services:
        head = services.runner.reader.head()
        started = time.perf_counter()
        with Progress(
            TextColumn("[bold]rebuilding[/bold] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task(f"{services.place.code} {services.place.name}", total=head)
            events = services.runner.rebuild(lambda at: progress.update(task, completed=at))
        seconds = time.perf_counter() - started
        rate = events / seconds if seconds else 0.0
        console.print(
            f"rebuilt {len(services.runner.projections)} projections from {events} events "
            f"in {seconds:.2f} s ({rate:,.0f} events/s)"
        )
        _exit_if_stopped(services.runner.faults())


@projections.command("status")
def status(jurisdiction: JurisdictionOption) -> None:
    """Each projection's position in the event log, how far behind it is, and where any stopped."""
    with open_services(jurisdiction) as services:
        statuses = services.runner.status()
    view = Table("projection", "position", "head", "lag", "stopped at")
    for item in statuses:
        style = "green" if item.lag == 0 else "yellow"
        stopped = "—" if item.stopped_at is None else Text(str(item.stopped_at), style="red")
        lag = Text(str(item.lag), style=style)
        view.add_row(item.name, str(item.position), str(item.head), lag, stopped)
    console.print(view)
    _name_stopped({item.name: item.fault for item in statuses if item.fault is not None})


@projections.command("retry")
def retry(jurisdiction: JurisdictionOption) -> None:
    """Try each stopped projection's event again (after a fix); those that apply catch up."""
    with open_services(jurisdiction) as services:
        stopped = services.runner.faults()
        services.runner.retry()
        still = services.runner.faults()
    for name in [name for name in stopped if name not in still]:
        console.print(f"{name} resumed and caught up")
    if not stopped:
        console.print("no projection is stopped")
    _exit_if_stopped(still)


def _name_stopped(stopped: dict[str, Fault]) -> None:
    for name, fault in stopped.items():
        console.print(Text(f"{name} stopped at {fault}", style="red"))


def _exit_if_stopped(stopped: dict[str, Fault]) -> None:
    """Name each stopped projection and where; exit 1 if any is (the others are up to date)."""
    _name_stopped(stopped)
    if stopped:
        raise typer.Exit(1)


parked = typer.Typer(help="Sync messages that could not be applied.", no_args_is_help=True)
relay = typer.Typer(help="The outbox relay that publishes to Kafka.", no_args_is_help=True)
KeyArgument = Annotated[str, typer.Argument(help="the table id the messages are about")]


@parked.command("list")
def parked_list(
    jurisdiction: JurisdictionOption,
    everything: Annotated[bool, typer.Option("--all", help="resolved ones too")] = False,
) -> None:
    """Parked messages (oldest first) and refused decisions, with their reasons."""
    with open_services(jurisdiction) as services:
        services.runner.catch_up()
        rows = services.reads.parked(None if everything else "open")
        if not rows:
            console.print("nothing is parked")
            return
        view = Table("table", "kind", "message", "status", "reason", "at")
        for row in rows:
            where = f"{row.topic}:{row.partition}@{row.offset}" if row.topic else "—"
            view.add_row(row.table_key, row.kind, where, row.status, row.reason, moment(row.at))
        console.print(view)


@parked.command("retry")
def parked_retry(
    jurisdiction: JurisdictionOption, table: KeyArgument, name: OperatorOption = "operator"
) -> None:
    """Apply a table's parked messages again, in order, until one fails."""
    with open_services(jurisdiction) as services:
        with refusals():
            results = services.inbound.retry(table, operator_actor(jurisdiction, name))
        if not results:
            console.print(f"nothing is parked for {table}")
        for line in results:
            console.print(line)
        services.runner.catch_up()
        if any("still fails" in line for line in results):
            raise typer.Exit(1)


@parked.command("discard")
def parked_discard(
    jurisdiction: JurisdictionOption,
    table: KeyArgument,
    offset: Annotated[int, typer.Option(help="the parked message's offset (see list)")],
    reason: Annotated[str, typer.Option(help="why it is dropped, recorded with it")],
    name: OperatorOption = "operator",
) -> None:
    """Drop the first parked message of a table without applying it."""
    with open_services(jurisdiction) as services, refusals():
        services.inbound.discard(table, offset, operator_actor(jurisdiction, name), reason)
        services.runner.catch_up()
        console.print(f"discarded offset {offset} of {table}")


@relay.command("status")
def relay_status(jurisdiction: JurisdictionOption) -> None:
    """How far the relay has published the node's event log."""
    with open_services(jurisdiction) as services:
        position = services.relay.position()
        behind = services.relay.unpublished()
        more = "+" if behind == 1000 else ""
        console.print(f"published up to position {position}; {behind}{more} not yet published")
        pending = services.relay.in_flight.pending()
        console.print(f"{len(pending)} sent and waiting for the receiving node's receipt")
        for item in pending:
            said = f"{item.outcome} there: {item.reason}" if item.outcome else "no receipt yet"
            console.print(f"  {item.event_id} → {item.target}, sent {item.attempts}×, {said}")


@relay.command("republish")
def relay_republish(
    jurisdiction: JurisdictionOption,
    position: Annotated[int, typer.Option("--from", help="publish everything after this")],
) -> None:
    """Publish again from a position; consumers ignore what they already applied."""
    with open_services(jurisdiction) as services:
        services.relay.rewind(position)
        console.print(f"the relay will publish again from position {position}")
