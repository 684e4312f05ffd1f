"""``jixiao evaluation``: self-evaluations (自评) and the 复核 of the level above."""

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
from api.cli.reports.files import evaluation_form_of, name_lines, read_form_file
from api.cli.reports.history import blame, diff, timeline
from api.cli.reports.views import evaluation_overview, evaluation_view
from domain.errors import DomainError
from domain.reports import Stage
from infra.documents.report_sheets import evaluation_workbook
from service_layer import report_inputs as ri

commands = typer.Typer(
    help="Self-evaluations (自评) of approved tables, and the 复核 of the level above.",
    no_args_is_help=True,
)


@commands.command("show")
def evaluation_show(
    jurisdiction: JurisdictionOption, table: TableArgument, as_json: JsonOption = False
) -> None:
    """The self-evaluation: scores per line, the execution score, total, grade and 复核."""
    with node(jurisdiction, writes=False) as services:
        view = report_of(services, Stage.SELF_EVALUATION, table, None)
        print_view(view, as_json)


@commands.command("set")
def evaluation_set(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    file: FileOption,
    version: VersionOption = None,
    actor_name: ActorOption = None,
    reason: ReasonOption = None,
) -> None:
    """Store the whole self-evaluation from a file; version 0 (none yet) opens it.

    The JSON form: {"budgetFullYear": "210", "budgetExecuted": "189", "lines": [{"indicatorId":
    "…", "actual": "85家", "weight": "4.5", "band": "ACHIEVED", "score": "4.5", "explanation":
    "…"}], "conclusion": "…", "problems": "…", "measures": "…", "goalResult": "…"} — weights for
    every line or none (the defaults); a qualitative target takes a band (ACHIEVED/PARTLY/
    NOT_ACHIEVED or 达成/部分达成/未达成) and a score instead of an actual. `show --json` prints
    one under "form".
    """
    with node(jurisdiction, writes=True) as services:
        table_id = table_of(services, table)
        given = read_form_file(file)
        form = evaluation_form_of(given, basis_for(services, Stage.SELF_EVALUATION, table_id, None))
        expected = current_version(services, Stage.SELF_EVALUATION, table_id, None, version)
        actor = cli_actor(services.place.code, actor_name)
        indicators = [line.indicator_id for line in form.lines]
        try:
            saved = services.reports.set_self_evaluation(actor, table_id, expected, form, reason)
        except DomainError as error:
            if given.workbook is None:
                name_lines(error, indicators)
            raise
        console.print(f"saved the self-evaluation as version {saved.view.version}")
        console.print(evaluation_view(saved.view))


@commands.command("submit")
def evaluation_submit(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    version: VersionOption = None,
    actor_name: ActorOption = None,
    reason: ReasonOption = None,
) -> None:
    """Submit the self-evaluation; refused while a score or an explanation is missing."""
    with node(jurisdiction, writes=True) as services:
        submit(services, Stage.SELF_EVALUATION, table, None, version, actor_name, reason)


@commands.command("review")
def evaluation_review(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    accept: Annotated[
        bool, typer.Option("--accept", help="accept the self-evaluated score")
    ] = False,
    recheck: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--recheck", help="复核: your own score (e.g. 88.5), with --reason"),
    ] = None,
    send_back: Annotated[bool, typer.Option("--return", help="退回, with --reason")] = False,
    reason: ReasonOption = None,
    comments: CommentOption = None,
    version: VersionOption = None,
    actor_name: ActorOption = None,
) -> None:
    """Accept the score, set a 复核 score, or return the self-evaluation, as a reviewer."""
    if [accept, recheck is not None, send_back].count(True) != 1:
        fail("give one of --accept, --recheck SCORE or --return", code=2)
    action = "approve" if accept else ("recheck" if recheck is not None else "return")
    with node(jurisdiction, writes=True) as services:
        score = ri.decimal_of("score", recheck)
        review(
            services,
            Stage.SELF_EVALUATION,
            table,
            None,
            action,
            version,
            actor_name,
            reason,
            comments,
            score,
        )


@commands.command("template")
def evaluation_template(
    jurisdiction: JurisdictionOption, table: TableArgument, output: OutputOption
) -> None:
    """Write the blank 项目支出绩效自评表 of a table, the approved targets filled in."""
    with node(jurisdiction, writes=False) as services:
        basis = basis_for(services, Stage.SELF_EVALUATION, table_of(services, table), None)
        weight = services.reports.evaluation_rules.execution_weight
        content = evaluation_workbook(basis, None, None, weight)
    write_file(output, content)


@commands.command("export")
def evaluation_export(
    jurisdiction: JurisdictionOption, table: TableArgument, output: OutputOption
) -> None:
    """Write the self-evaluation as filled in and scored, as a 项目支出绩效自评表."""
    with node(jurisdiction, writes=False) as services:
        view = report_of(services, Stage.SELF_EVALUATION, table, None)
        rules = view.evaluation_rules or services.reports.evaluation_rules
        content = evaluation_workbook(
            view.basis, view.evaluation, view.scorecard, rules.execution_weight
        )
    write_file(output, content)


@commands.command("list")
def evaluation_list(jurisdiction: JurisdictionOption) -> None:
    """Every self-evaluation on the node (its own and those received), with score and grade."""
    with node(jurisdiction, writes=False) as services:
        views = [
            view
            for view in services.reports.reports(reader(services))
            if view.stage is Stage.SELF_EVALUATION
        ]
        if not views:
            console.print("no self-evaluations")
            return
        console.print(evaluation_overview(sorted(views, key=listing_order)))


@commands.command("timeline")
def evaluation_timeline(jurisdiction: JurisdictionOption, table: TableArgument) -> None:
    """Every event of the self-evaluation: version, time, who, what changed, and why."""
    with node(jurisdiction, writes=False) as services:
        timeline(services, Stage.SELF_EVALUATION, table, None)


@commands.command("diff")
def evaluation_diff(
    jurisdiction: JurisdictionOption,
    table: TableArgument,
    before: FromOption,
    after: ToOption,
) -> None:
    """Exactly what differs between two versions of the self-evaluation."""
    with node(jurisdiction, writes=False) as services:
        diff(services, Stage.SELF_EVALUATION, table, None, before, after)


@commands.command("blame")
def evaluation_blame(jurisdiction: JurisdictionOption, table: TableArgument) -> None:
    """For every figure of the self-evaluation: who last set it, when, and why."""
    with node(jurisdiction, writes=False) as services:
        blame(services, Stage.SELF_EVALUATION, table, None)
