"""``jixiao monitoring``: monitoring rounds (双监控) — fill in, submit, review, read, history."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from api.cli.context import cli_actor, fail
from api.cli.reports.common import (
    ActorOption,
    CommentOption,
    FileOption,
    FromOption,
    JsonOption,
    JurisdictionOption,
    MonthOption,
    OutputOption,
    ReasonOption,
    TableArgument,
    ToOption,
    VersionOption,
    basis_for,
    console,
    current_version,
    listing_order,
    node,
    print_view,
    reader,
    report_of,
    review,
    submit,
    table_of,
    write_file,
)
from api.cli.reports.files import monitoring_form_of, name_lines, read_form_file
from api.cli.reports.history import blame, diff, timeline
from api.cli.reports.views import monitoring_overview, monitoring_view
from domain.errors import DomainError
from domain.monitoring import EMPTY_FORM
from domain.reports import Stage
from infra.documents.report_sheets import monitoring_workbook

commands = typer.Typer(
    help="Monitoring rounds (双监控) of approved tables: fill in, submit, review, read.",
    no_args_is_help=True,
)


@commands.command("show")
def monitoring_show(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    month: MonthOption,
    as_json: JsonOption = False,
) -> None:
    """One round: the budget and its 执行率 and light, every target's line, the review."""
    with node(jurisdiction, writes=False) as services:
        view = report_of(services, Stage.MONITORING, table, month)
        print_view(view, as_json)


@commands.command("set")
def monitoring_set(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    month: MonthOption,
    file: FileOption,
    version: VersionOption = None,
    actor_name: ActorOption = None,
    reason: ReasonOption = None,
) -> None:
    """Store the whole form of a round from a file; version 0 (no round yet) opens it.

    The JSON form: {"budgetExecuted": "52.5", "budgetForecast": "210", "goalProgress": "…",
    "lines": [{"indicatorId":
    "…", "actualToDate": "40家", "yearEndForecast": ">80家", "likelihood": "CERTAIN",
    "causes": ["FUNDING"], "causeNote": "…", "measures": "…"}]} — amounts in 万元, values as
    written; likelihood CERTAIN/POSSIBLE/IMPOSSIBLE (or 确定能/有可能/完全不可能), causes
    FUNDING/SYSTEM/STAFF/HARDWARE/OTHER (or 经费保障…其他). `show --json` prints one under "form".
    """
    with node(jurisdiction, writes=True) as services:
        table_id = table_of(services, table)
        given = read_form_file(file)
        basis = basis_for(services, Stage.MONITORING, table_id, month)
        form = monitoring_form_of(given, basis, month)
        expected = current_version(services, Stage.MONITORING, table_id, month, version)
        actor = cli_actor(services.place.code, actor_name)
        indicators = [line.indicator_id for line in form.lines]
        try:
            saved = services.reports.set_monitoring(actor, table_id, month, expected, form, reason)
        except DomainError as error:
            if given.workbook is None:
                name_lines(error, indicators)
            raise
        console.print(f"saved the round to month {month} as version {saved.view.version}")
        console.print(monitoring_view(saved.view))


@commands.command("submit")
def monitoring_submit(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    month: MonthOption,
    version: VersionOption = None,
    actor_name: ActorOption = None,
    reason: ReasonOption = None,
) -> None:
    """Submit a round to the level above; refused while a target's line is missing."""
    with node(jurisdiction, writes=True) as services:
        submit(services, Stage.MONITORING, table, month, version, actor_name, reason)


@commands.command("review")
def monitoring_review(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    month: MonthOption,
    approve: Annotated[bool, typer.Option("--approve", help="审核通过")] = False,
    send_back: Annotated[bool, typer.Option("--return", help="退回, with --reason")] = False,
    reason: ReasonOption = None,
    comments: CommentOption = None,
    version: VersionOption = None,
    actor_name: ActorOption = None,
) -> None:
    """Approve or return a submitted round, as a reviewer of this node."""
    if approve == send_back:
        fail("give either --approve or --return", code=2)
    action = "approve" if approve else "return"
    with node(jurisdiction, writes=True) as services:
        review(
            services, Stage.MONITORING, table, month, action, version, actor_name, reason, comments
        )


@commands.command("template")
def monitoring_template(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    month: MonthOption,
    output: OutputOption,
) -> None:
    """Write the round's blank 项目支出绩效目标执行监控表, the approved targets filled in."""
    with node(jurisdiction, writes=False) as services:
        basis = basis_for(services, Stage.MONITORING, table_of(services, table), month)
        content = monitoring_workbook(basis, month, EMPTY_FORM, None)
    write_file(output, content)


@commands.command("export")
def monitoring_export(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    month: MonthOption,
    output: OutputOption,
) -> None:
    """Write the round as filled in, as a 项目支出绩效目标执行监控表 with its 执行率."""
    with node(jurisdiction, writes=False) as services:
        view = report_of(services, Stage.MONITORING, table, month)
        form = view.monitoring or EMPTY_FORM
        content = monitoring_workbook(view.basis, month, form, view.figures)
    write_file(output, content)


@commands.command("list")
def monitoring_list(
    jurisdiction: JurisdictionOption,
    watched: Annotated[bool, typer.Option("--watched", help="only rounds under 重点监控")] = False,
    month: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--month", "-m", min=1, max=12, help="only rounds to this month"),
    ] = None,
) -> None:
    """Every monitoring round on the node (its own and those received), with status and light."""
    with node(jurisdiction, writes=False) as services:
        views = [
            view
            for view in services.reports.reports(reader(services))
            if view.stage is Stage.MONITORING
            and (month is None or view.through_month == month)
            and (not watched or (view.figures is not None and view.figures.watched))
        ]
        if not views:
            console.print("no monitoring rounds")
            return
        console.print(monitoring_overview(sorted(views, key=listing_order)))


@commands.command("timeline")
def monitoring_timeline(
    jurisdiction: JurisdictionOption, table: TableArgument, month: MonthOption
) -> None:
    """Every event of a round: version, time, who, what changed (before → after), and why."""
    with node(jurisdiction, writes=False) as services:
        timeline(services, Stage.MONITORING, table, month)


@commands.command("diff")
def monitoring_diff(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    month: MonthOption,
    before: FromOption,
    after: ToOption,
) -> None:
    """Exactly what differs between two versions of a round."""
    with node(jurisdiction, writes=False) as services:
        diff(services, Stage.MONITORING, table, month, before, after)


@commands.command("blame")
def monitoring_blame(
    jurisdiction: JurisdictionOption, table: TableArgument, month: MonthOption
) -> None:
    """For every figure of a round: the version, time, person and reason that last set it."""
    with node(jurisdiction, writes=False) as services:
        blame(services, Stage.MONITORING, table, month)
