"""What the report commands share: options, the node, the actors, and the refusals."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Annotated, NoReturn, Optional
from uuid import UUID

import typer

from api.cli.context import (
    TableNotFound,
    cli_actor,
    data_console,
    errors,
    fail,
    open_services,
    operator_actor,
    resolve_table,
)
from api.cli.reports.output import view_json
from api.cli.reports.views import (
    ACTION_LABELS,
    evaluation_view,
    monitoring_view,
    status_label,
)
from domain.errors import DomainError, InvalidEdit
from domain.model import Actor, Role
from domain.reports import Basis, Stage
from infra.bootstrap import NodeServices
from infra.documents.cells import DocumentError
from service_layer import report_inputs as ri
from service_layer.errors import InvalidArgument, UnknownTable
from service_layer.reports import ReportView, UnknownReport

console = data_console()

JurisdictionOption = Annotated[
    str, typer.Option("--jurisdiction", "-j", help="GB/T 2260 code of the node, e.g. 320000")
]
TableArgument = Annotated[str, typer.Argument(help="table id, or a unique prefix of it")]
MonthOption = Annotated[
    int,
    typer.Option("--month", "-m", min=1, max=12, help="the cut-off month: the round covers 1–M"),
]
ActorOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--as", help="your name, recorded on every event"),
]
ReasonOption = Annotated[Optional[str], typer.Option("--reason", help="why, recorded on the event")]  # noqa: UP045
VersionOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--version", help="the report version you are acting on (default: the current)"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON for programs")]
FileOption = Annotated[
    Path,
    typer.Option(
        "--file",
        "-f",
        help="the filled-in form: a workbook (.xlsx, as `template` writes it) or a JSON form",
    ),
]
OutputOption = Annotated[Path, typer.Option("--output", "-o", help="the workbook to write")]
CommentOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--comment", help="a comment at one indicator, as INDICATOR_ID=TEXT (repeatable)"),
]
FromOption = Annotated[int, typer.Option("--from", help="from this version")]
ToOption = Annotated[int, typer.Option("--to", help="to this version")]


@contextmanager
def node(code: str, writes: bool) -> Iterator[NodeServices]:
    """The node's services; a refusal is one line (naming the field at fault) and exit 1."""
    after = "; nothing was stored" if writes else ""
    with open_services(code) as services:
        try:
            yield services
        except DocumentError as refused:
            problems = refused.located()
            if len(problems) == 1:
                refuse(problems[0] + after)
            for located in problems:
                errors.print(f"error: {located}", style="red", highlight=False, soft_wrap=True)
            refuse("nothing was stored" if writes else "cannot read the file")
        except (DomainError, InvalidArgument, UnknownTable, UnknownReport, TableNotFound) as error:
            refuse(refusal(error) + after)


def refuse(message: str) -> NoReturn:
    """One line on stderr, however long (never wrapped at the terminal's width), and exit 1."""
    errors.print(f"error: {message}", style="red", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def refusal(error: Exception) -> str:
    """The refusal's message, after the field it names (``lines[3].causes: …``)."""
    field = getattr(error, "field", None)
    message = str(error)
    if (
        isinstance(error, (InvalidArgument, InvalidEdit))
        and field
        and not message.startswith(field)
    ):
        return f"{field}: {message}"
    return message


def reader(services: NodeServices) -> Actor:
    """Whoever reads on the node's own machine: its operator, as for the audit commands."""
    return operator_actor(services.place.code)


def reviewer_actor(code: str, name: str | None) -> Actor:
    """A reviewer of the node: of its own reports at a root jurisdiction, else its children's."""
    user = name or getpass.getuser()
    return Actor(id=f"cli:{user}", name=user, role=Role.REVIEWER, jurisdiction=code)


def table_of(services: NodeServices, reference: str) -> UUID:
    """A table of the node, or one whose report the node received from a child."""
    try:
        return resolve_table(services.app, services.place.code, reference)
    except TableNotFound:
        wanted = reference.strip().lower()
        received = {
            view.table_id
            for view in services.reports.reports(reader(services))
            if view.received and str(view.table_id).startswith(wanted)
        }
        if len(received) == 1 and len(wanted) >= 4:
            return received.pop()
        raise


def report_of(services: NodeServices, stage: Stage, table: str, month: int | None) -> ReportView:
    return services.reports.report(reader(services), stage, table_of(services, table), month)


def basis_for(services: NodeServices, stage: Stage, table_id: UUID, month: int | None) -> Basis:
    """What the report is measured against: its own basis, or (none yet) the approved table's."""
    try:
        return services.reports.report(reader(services), stage, table_id, month).basis
    except UnknownReport:
        pass
    return services.reports.basis(reader(services), table_id)


def write_file(output: Path, content: bytes) -> None:
    """Write beside ``output``, then put it in place: no half-written file is left behind."""
    partial = output.with_name(output.name + ".partial")
    try:
        partial.write_bytes(content)
        partial.replace(output)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    finally:
        partial.unlink(missing_ok=True)
    console.print(f"wrote {output}")


def current_version(
    services: NodeServices, stage: Stage, table_id: UUID, month: int | None, given: int | None
) -> int:
    """The version the command acts on: the one given, else the report's (0: none yet)."""
    if given is not None:
        return given
    try:
        return services.reports.report(reader(services), stage, table_id, month).version
    except UnknownReport:
        return 0


def submit(
    services: NodeServices,
    stage: Stage,
    table: str,
    month: int | None,
    version: int | None,
    actor_name: str | None,
    reason: str | None,
) -> None:
    table_id = table_of(services, table)
    expected = current_version(services, stage, table_id, month, version)
    actor = cli_actor(services.place.code, actor_name)
    saved = services.reports.submit(actor, stage, table_id, month, expected, reason)
    console.print(f"submitted {_what(saved.view)} as version {saved.view.version}")


def review(
    services: NodeServices,
    stage: Stage,
    table: str,
    month: int | None,
    action: str,
    version: int | None,
    actor_name: str | None,
    reason: str | None,
    comments: list[str] | None,
    score: Decimal | None = None,
) -> None:
    table_id = table_of(services, table)
    expected = current_version(services, stage, table_id, month, version)
    actor = reviewer_actor(services.place.code, actor_name)
    saved = services.reports.decide(
        actor,
        stage,
        table_id,
        month,
        action,
        expected,
        reason,
        score=score,
        line_comments=_comments(comments or []),
    )
    view = saved.view
    label = ACTION_LABELS[action]
    if stage is Stage.SELF_EVALUATION and action == "approve":
        label = "认可自评得分"
    console.print(f"{label}: {_what(view)}, version {expected}; now {status_label(view)}")


def _comments(given: Sequence[str]) -> dict[str, str]:
    """``--comment INDICATOR=TEXT`` options as the reviewer's comments by indicator."""
    pairs: list[tuple[str, str]] = []
    for item in given:
        indicator, sign, text = item.partition("=")
        if not sign or not indicator.strip():
            raise InvalidArgument("comment", f"--comment {item!r} is not INDICATOR_ID=TEXT")
        pairs.append((indicator, text))
    return ri.line_comments_of("comment", pairs)


def _what(view: ReportView) -> str:
    name = view.basis.project_name
    if view.stage is Stage.MONITORING:
        return f"the round to month {view.through_month} of {name}"
    return f"the self-evaluation of {name}"


def listing_order(view: ReportView) -> tuple[str, str, int]:
    return (view.basis.jurisdiction, view.basis.project_name, view.through_month or 0)


def print_view(view: ReportView, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(view_json(view), ensure_ascii=False, indent=2))
    elif view.stage is Stage.MONITORING:
        console.print(monitoring_view(view))
    else:
        console.print(evaluation_view(view))
