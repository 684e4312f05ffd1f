"""运行监控 and 绩效自评 of an approved table: filled in by the bureau, decided on above.

``/tables/{id}/monitoring/{month}`` is the monitoring round to the end of a month (双监控: the
budget executed and each target's progress, forecast, likelihood and causes, with their lights);
``/tables/{id}/evaluation`` is the year-end self-evaluation, scored live while typing
(``/evaluation/preview`` scores the posted form and stores nothing). Both pages are also the
reviewer's: read-only, with 通过 / 退回 (and 接受 / 复核 for a self-evaluation) for a reviewer
who may decide on the report — at the parent's node for a child's report received through
sync, or at a root jurisdiction's own node for its own.

Every change goes through ``services.reports`` with the signed-in person as the actor. A
refused form answers the page again (200, like the review page) with every problem listed
beside the form and at its input, and everything typed kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from api.web.render import page
from api.web.report_forms import (
    BAND_LABELS,
    CAUSE_LABELS,
    LIKELIHOOD_LABELS,
    Problem,
    Typed,
    plain,
    read_evaluation,
    read_monitoring,
)
from api.web.report_views import (
    LIGHT_WORDS,
    comments_of,
    decision_words,
    evaluation_missing,
    evaluation_rows,
    monitoring_missing,
    monitoring_rows,
    preview_json,
    recheck_grade,
    shown,
    status_words,
    summary_of,
    typed_evaluation,
    typed_monitoring,
)
from api.web.session import Changing, SignedIn, Viewer, node_of
from domain import errors, vocabulary
from domain.access import Operation
from domain.monitoring import Figures, MonitoringForm, figures
from domain.reports import (
    EDITABLE,
    Basis,
    ReportLocked,
    ReportNotOpen,
    ReportStatus,
    Stage,
)
from domain.scoring import EvaluationRules, MonitoringRules, ScoringInvalid
from infra.bootstrap import NodeServices
from service_layer.errors import InvalidArgument, UnknownTable
from service_layer.parsing import table_id_of
from service_layer.reports import ReportView, UnknownReport

router = APIRouter()

# A refused form answers the page again with 200 (see review.py): the page says what was
# refused, and Chromium would log a 4xx page as a console error.
REFUSED = 200
COMMENT_FIELD = "comment-"
DEFAULT_MONTH = 6
MONTHS = range(1, 13)
LIKELIHOOD_HINT = "选择“有可能”或“完全不可能”时，须勾选偏差原因并填写纠偏措施"


class NotHere(Exception):
    """The page cannot be shown: no such report, a month out of range, a table not approved."""

    def __init__(self, title: str, message: str, status_code: int) -> None:
        super().__init__(message)
        self.title = title
        self.message = message
        self.status_code = status_code


@dataclass(frozen=True)
class Loaded:
    """What a report page is about: the approved table's targets, and the report if any."""

    table_id: UUID
    basis: Basis
    view: ReportView | None

    @property
    def version(self) -> int:
        return 0 if self.view is None else self.view.version


@dataclass
class Decided:
    """What the reviewer typed, shown back when the decision is refused."""

    reason: str = ""
    score: str = ""
    comments: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, form: FormData) -> Decided:
        comments = {
            name.removeprefix(COMMENT_FIELD): text.strip()
            for name, text in form.multi_items()
            if name.startswith(COMMENT_FIELD) and isinstance(text, str) and text.strip()
        }
        return cls(_field(form, "reason"), _field(form, "score"), comments)


@dataclass(frozen=True)
class Shown:
    """How the page is answered: what was refused (and where), what was typed."""

    typed: Typed | None = None
    problems: tuple[Problem, ...] = ()
    decided: Decided | None = None
    decide_problem: str | None = None
    notice: str | None = None
    status_code: int = 200


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


# --- loading -------------------------------------------------------------------------------


def _month(text: str) -> int:
    if not (text.isdigit() and len(text) <= 2 and int(text) in MONTHS):
        raise NotHere("没有这个月份", f"运行监控的截止月份应为 1–12 月，而不是“{text}”。", 404)
    return int(text)


def _load(node: NodeServices, viewer: Viewer, table_id: str, month: int | None) -> Loaded:
    """The report on this node (its own, or a child's as received), or the approved table a
    new one would report on; ``Forbidden`` / ``UnknownTable`` go to the workbench's pages."""
    key = table_id_of(table_id)
    stage = Stage.MONITORING if month is not None else Stage.SELF_EVALUATION
    try:
        view = node.reports.report(viewer.actor, stage, key, month)
    except UnknownReport:
        view = None
    if view is not None:
        return Loaded(key, view.basis, view)
    try:
        return Loaded(key, node.reports.basis(viewer.actor, key), None)
    except UnknownTable:
        if node.gate.allows(viewer.actor, Operation.REVIEW_READ):
            what = f"1–{month}月的运行监控" if month is not None else "绩效自评"
            raise NotHere("找不到该报告", f"本节点没有收到该表{what}的报送。", 404) from None
        raise
    except ReportNotOpen as error:
        status = vocabulary.STATUS_LABELS.get(error.status, error.status)
        raise NotHere(
            "尚不能填报",
            f"该表当前状态为“{status}”：绩效目标表审核通过后，才能填报运行监控和绩效自评。",
            409,
        ) from None


def _not_here(request: Request, viewer: Viewer, error: NotHere) -> HTMLResponse:
    return page(
        request,
        "refused.html",
        viewer,
        status_code=error.status_code,
        title=error.title,
        message=error.message,
    )


@dataclass(frozen=True)
class Abilities:
    may_edit: bool
    may_decide: bool
    editor: bool  # an editor of the bureau the report belongs to, whatever its status


def _abilities(node: NodeServices, viewer: Viewer, loaded: Loaded) -> Abilities:
    view = loaded.view
    own = view is None or not view.received
    editor = (
        own
        and loaded.basis.jurisdiction == node.place.code
        and node.gate.allows(viewer.actor, Operation.EDIT)
    )
    may_decide = False
    if view is not None and view.status is ReportStatus.SUBMITTED:
        if view.received:
            may_decide = node.gate.allows(viewer.actor, Operation.REVIEW, view.basis.jurisdiction)
        else:
            may_decide = node.place.is_root and node.gate.allows(viewer.actor, Operation.REVIEW)
    may_edit = editor and (view is None or view.status in EDITABLE)
    return Abilities(may_edit, may_decide, editor)


def _refusal_words(error: Exception) -> str:
    """A refusal of the service that is not about one input, in the person's words."""
    if isinstance(error, errors.VersionConflict):
        return (
            f"保存时发现该报告已被他人修改（您编辑的是版本 {error.expected}，当前为版本 "
            f"{error.current}）；您填写的内容仍在下方，未保存。请另开页面查看最新内容后再保存。"
        )
    if isinstance(error, ReportLocked):
        return "该报告已提交或已审核通过，不能修改；如被退回，即可修改后重新提交。"
    if isinstance(error, errors.TransitionRefused):
        return f"该报告当前状态下不能执行此操作（{error}）；请刷新页面查看最新状态。"
    if isinstance(error, errors.Forbidden):
        return f"您的身份无权执行此操作（{error}）。"
    if isinstance(error, ReportNotOpen):
        return "该表当前不是审核通过状态，不能填报运行监控和绩效自评。"
    if isinstance(error, ScoringInvalid) and error.field == "tableId":
        return "该表没有填写年度资金总额，无法计算预算执行率，不能填报运行监控。"
    if isinstance(error, ScoringInvalid) and error.field == "lines":
        return "报告尚未填写完整，不能提交；请按下方“尚未填写”的提示补充后保存，再提交。"
    if isinstance(error, InvalidArgument):
        return f"输入有误：{error}"
    return f"未能保存：{error}"


# --- monitoring ----------------------------------------------------------------------------


@router.get("/tables/{table_id}/monitoring", response_class=HTMLResponse)
def choose_month(request: Request, viewer: SignedIn, table_id: str, month: str = "") -> Response:
    """The month chosen on the table page (a plain GET form): to that month's page."""
    try:
        chosen = _month(month or str(DEFAULT_MONTH))
    except NotHere as error:
        return _not_here(request, viewer, error)
    return RedirectResponse(f"/tables/{table_id_of(table_id)}/monitoring/{chosen}", 303)


@router.get("/tables/{table_id}/monitoring/{month}", response_class=HTMLResponse)
def monitoring_page(
    request: Request, viewer: SignedIn, table_id: str, month: str, saved: str = ""
) -> Response:
    try:
        chosen = _month(month)
        loaded = _load(node_of(request), viewer, table_id, chosen)
    except NotHere as error:
        return _not_here(request, viewer, error)
    return _monitoring(request, viewer, loaded, chosen, Shown(notice=_saved_notice(saved)))


@router.post("/tables/{table_id}/monitoring/{month}", response_class=HTMLResponse)
async def save_monitoring(
    request: Request, viewer: Changing, table_id: str, month: str
) -> Response:
    """保存: the whole form, at the version the page was opened at."""
    typed = Typed.of(await request.form())
    return await run_in_threadpool(_save_monitoring, request, viewer, table_id, month, typed)


def _save_monitoring(
    request: Request, viewer: Viewer, table_id: str, month: str, typed: Typed
) -> Response:
    node = node_of(request)
    try:
        chosen = _month(month)
        loaded = _load(node, viewer, table_id, chosen)
    except NotHere as error:
        return _not_here(request, viewer, error)
    form, problems = read_monitoring(loaded.basis, chosen, typed)
    if problems or form is None:
        return _monitoring(request, viewer, loaded, chosen, _refused(typed, problems))
    try:
        saved = node.reports.set_monitoring(
            viewer.actor, loaded.table_id, chosen, _version(typed), form
        )
    except (errors.DomainError, InvalidArgument) as error:
        return _monitoring(request, viewer, loaded, chosen, _refused_by(typed, error))
    node.relay.nudge()
    return _saved(request.url.path, saved.view.version)


@router.post("/tables/{table_id}/monitoring/{month}/submit", response_class=HTMLResponse)
async def submit_monitoring(
    request: Request, viewer: Changing, table_id: str, month: str
) -> Response:
    form = await request.form()
    return await run_in_threadpool(
        _submit, request, viewer, table_id, month, _field(form, "version"), _field(form, "reason")
    )


@router.post("/tables/{table_id}/monitoring/{month}/decision", response_class=HTMLResponse)
async def decide_monitoring(
    request: Request, viewer: Changing, table_id: str, month: str
) -> Response:
    """通过 (``decision=approve``) or 退回 (``decision=return``, reason required,
    ``comment-<indicator id>`` optional)."""
    form = await request.form()
    return await run_in_threadpool(
        _decide, request, viewer, table_id, month, _field(form, "decision"), Decided.of(form)
    )


def _monitoring(
    request: Request, viewer: Viewer, loaded: Loaded, month: int, shown_: Shown
) -> HTMLResponse:
    node = node_of(request)
    view = loaded.view
    basis = loaded.basis
    rules = _monitoring_rules(node, view)
    typed = shown_.typed
    found: Figures | None
    if typed is None:
        typed = typed_monitoring(view.monitoring if view else None)
        found = view.figures if view else None
    else:
        form, _ = read_monitoring(basis, month, typed)
        found = _figures(basis, month, rules, form)
    able = _abilities(node, viewer, loaded)
    saved_form = view.monitoring if view else None
    missing = monitoring_missing(basis, saved_form, month) if view else []
    if view is not None and view.missing and not missing:
        missing = list(view.missing)
    decided = shown_.decided or Decided()
    problems = list(shown_.problems)
    return page(
        request,
        "reports_monitoring.html",
        viewer,
        status_code=shown_.status_code,
        active="tables",
        loaded=loaded,
        basis=basis,
        view=view,
        month=month,
        typed=typed,
        figures=found,
        rows=monitoring_rows(basis, typed, found, decided.comments or comments_of(view), problems),
        problems=problems,
        general=[item for item in problems if item.indicator is None],
        able=able,
        missing=missing,
        may_submit=able.may_edit and view is not None and not missing,
        rules=rules,
        status_text=status_words(view),
        decision_text=decision_words(view.stage, view.decision) if view and view.decision else "",
        decided=decided,
        decide_problem=shown_.decide_problem,
        notice=shown_.notice,
        likelihoods=LIKELIHOOD_LABELS,
        likelihood_hint=LIKELIHOOD_HINT,
        causes=CAUSE_LABELS,
        light_words=LIGHT_WORDS,
        months=MONTHS,
        shown_amount=shown,
    )


def _monitoring_rules(node: NodeServices, view: ReportView | None) -> MonitoringRules:
    if view is not None and view.monitoring_rules is not None:
        return view.monitoring_rules
    return node.reports.monitoring_rules


def _figures(
    basis: Basis, month: int, rules: MonitoringRules, form: MonitoringForm | None
) -> Figures | None:
    if form is None or basis.budget is None or basis.budget <= 0:
        return None
    try:
        return figures(basis, month, rules, form)
    except ScoringInvalid:
        return None


# --- self-evaluation -----------------------------------------------------------------------


@router.get("/tables/{table_id}/evaluation", response_class=HTMLResponse)
def evaluation_page(request: Request, viewer: SignedIn, table_id: str, saved: str = "") -> Response:
    try:
        loaded = _load(node_of(request), viewer, table_id, None)
    except NotHere as error:
        return _not_here(request, viewer, error)
    return _evaluation(request, viewer, loaded, Shown(notice=_saved_notice(saved)))


@router.post("/tables/{table_id}/evaluation", response_class=HTMLResponse)
async def save_evaluation(request: Request, viewer: Changing, table_id: str) -> Response:
    typed = Typed.of(await request.form())
    return await run_in_threadpool(_save_evaluation, request, viewer, table_id, typed)


def _save_evaluation(request: Request, viewer: Viewer, table_id: str, typed: Typed) -> Response:
    node = node_of(request)
    try:
        loaded = _load(node, viewer, table_id, None)
    except NotHere as error:
        return _not_here(request, viewer, error)
    rules = _evaluation_rules(node, loaded.view)
    read = read_evaluation(loaded.basis, typed, rules, loaded.basis.budget)
    if read.problems or read.form is None:
        return _evaluation(request, viewer, loaded, _refused(typed, read.problems))
    try:
        saved = node.reports.set_self_evaluation(
            viewer.actor, loaded.table_id, _version(typed), read.form
        )
    except (errors.DomainError, InvalidArgument) as error:
        return _evaluation(request, viewer, loaded, _refused_by(typed, error))
    node.relay.nudge()
    return _saved(request.url.path, saved.view.version)


@router.post("/tables/{table_id}/evaluation/preview")
async def preview_evaluation(request: Request, viewer: Changing, table_id: str) -> Response:
    """The scores of the posted form, as JSON, for the page to show while typing; nothing is
    stored (and nothing refused: a line that cannot be scored says why)."""
    typed = Typed.of(await request.form())
    return await run_in_threadpool(_preview, request, viewer, table_id, typed)


def _preview(request: Request, viewer: Viewer, table_id: str, typed: Typed) -> Response:
    node = node_of(request)
    try:
        loaded = _load(node, viewer, table_id, None)
    except NotHere as error:
        return JSONResponse({"problems": [error.message]}, status_code=error.status_code)
    rules = _evaluation_rules(node, loaded.view)
    read = read_evaluation(loaded.basis, typed, rules, loaded.basis.budget)
    return JSONResponse(preview_json(read))


@router.post("/tables/{table_id}/evaluation/submit", response_class=HTMLResponse)
async def submit_evaluation(request: Request, viewer: Changing, table_id: str) -> Response:
    form = await request.form()
    return await run_in_threadpool(
        _submit, request, viewer, table_id, None, _field(form, "version"), _field(form, "reason")
    )


@router.post("/tables/{table_id}/evaluation/decision", response_class=HTMLResponse)
async def decide_evaluation(request: Request, viewer: Changing, table_id: str) -> Response:
    """接受 (``decision=approve``), 复核 (``decision=recheck``: ``score`` and ``reason``) or
    退回 (``decision=return``: ``reason``, ``comment-<indicator id>`` optional)."""
    form = await request.form()
    return await run_in_threadpool(
        _decide, request, viewer, table_id, None, _field(form, "decision"), Decided.of(form)
    )


def _evaluation(request: Request, viewer: Viewer, loaded: Loaded, shown_: Shown) -> HTMLResponse:
    node = node_of(request)
    view = loaded.view
    basis = loaded.basis
    rules = _evaluation_rules(node, view)
    saved_typed = typed_evaluation(view.evaluation if view else None, basis.budget)
    typed = shown_.typed or saved_typed
    read = read_evaluation(basis, typed, rules, basis.budget)
    able = _abilities(node, viewer, loaded)
    missing: list[str] = []
    if view is not None and view.evaluation is None:
        missing = ["请先填写并保存全年预算数、全年执行数和各指标的实际完成值"]
    elif view is not None:
        saved_read = (
            read
            if shown_.typed is None
            else read_evaluation(basis, saved_typed, rules, basis.budget)
        )
        missing = evaluation_missing(basis, saved_read)
        if view.missing and not missing:
            missing = list(view.missing)
    decided = shown_.decided or Decided()
    problems = list(shown_.problems)
    return page(
        request,
        "reports_evaluation.html",
        viewer,
        status_code=shown_.status_code,
        active="tables",
        loaded=loaded,
        basis=basis,
        view=view,
        typed=typed,
        summary=summary_of(read),
        rows=evaluation_rows(basis, typed, read, decided.comments or comments_of(view), problems),
        problems=problems,
        general=[item for item in problems if item.indicator is None],
        able=able,
        missing=missing,
        may_submit=able.may_edit and view is not None and not missing,
        rules=rules,
        weights_hint=_weights_hint(rules),
        status_text=status_words(view),
        decision_text=decision_words(view.stage, view.decision) if view and view.decision else "",
        recheck_grade=recheck_grade(view.decision if view else None, rules),
        decided=decided,
        decide_problem=shown_.decide_problem,
        notice=shown_.notice,
        bands=BAND_LABELS,
        most=rules.execution_weight + rules.indicator_weight,
    )


def _evaluation_rules(node: NodeServices, view: ReportView | None) -> EvaluationRules:
    if view is not None and view.evaluation_rules is not None:
        return view.evaluation_rules
    return node.reports.evaluation_rules


def _weights_hint(rules: EvaluationRules) -> str:
    shares = "、".join(
        f"{vocabulary.LEVEL1_BY_CODE[code].label} {plain(share)} 分"
        if code in vocabulary.LEVEL1_BY_CODE
        else f"{code} {plain(share)} 分"
        for code, share in rules.default_weights
    )
    return (
        f"分值全部留空时按默认分值计分（{shares}；决策、过程、成本指标计入产出指标；"
        f"各类内平均分配），输入框中的灰色数字即默认分值。如填写分值，须每个指标都填写，"
        f"且合计为 {plain(rules.indicator_weight)} 分；预算执行得分另占 "
        f"{plain(rules.execution_weight)} 分。"
    )


# --- shared: submitting, deciding, answering -------------------------------------------------


def _version(typed: Typed) -> int:
    text = typed.text("version")
    if not (text.isdigit() and len(text) <= 9):
        raise InvalidArgument("version", f"{text!r} is not a version")
    return int(text)


def _refused(typed: Typed, problems: list[Problem]) -> Shown:
    if not problems:
        problems = [Problem("请填写带“*”的项目后再保存")]
    return Shown(typed=typed, problems=tuple(problems), status_code=REFUSED)


def _refused_by(typed: Typed, error: Exception) -> Shown:
    status = 403 if isinstance(error, errors.Forbidden) else REFUSED
    return Shown(typed=typed, problems=(Problem(_refusal_words(error)),), status_code=status)


def _saved(path: str, version: int) -> RedirectResponse:
    return RedirectResponse(f"{path}?saved={version}", status_code=303)


def _saved_notice(saved: str) -> str | None:
    return f"已保存（版本 {saved}）" if saved.isdigit() and len(saved) <= 9 else None


def _show(
    request: Request, viewer: Viewer, loaded: Loaded, month: int | None, shown_: Shown
) -> HTMLResponse:
    if month is None:
        return _evaluation(request, viewer, loaded, shown_)
    return _monitoring(request, viewer, loaded, month, shown_)


def _submit(
    request: Request, viewer: Viewer, table_id: str, month: str | None, version: str, reason: str
) -> Response:
    """提交上级审核: the report at the version the page showed."""
    node = node_of(request)
    try:
        chosen = _month(month) if month is not None else None
        loaded = _load(node, viewer, table_id, chosen)
    except NotHere as error:
        return _not_here(request, viewer, error)
    stage = Stage.MONITORING if chosen is not None else Stage.SELF_EVALUATION
    path = request.url.path.removesuffix("/submit")
    try:
        if not (version.isdigit() and len(version) <= 9):
            raise InvalidArgument("version", f"{version!r} is not a version")
        node.reports.submit(
            viewer.actor, stage, loaded.table_id, chosen, int(version), reason or None
        )
    except UnknownReport:
        problem = Problem("请先保存报告，再提交上级审核。")
        return _show(
            request, viewer, loaded, chosen, Shown(problems=(problem,), status_code=REFUSED)
        )
    except (errors.DomainError, InvalidArgument) as error:
        status = 403 if isinstance(error, errors.Forbidden) else REFUSED
        shown_ = Shown(problems=(Problem(_refusal_words(error)),), status_code=status)
        return _show(request, viewer, loaded, chosen, shown_)
    node.relay.nudge()
    return RedirectResponse(path, status_code=303)


DECISIONS = {
    Stage.MONITORING: {"approve": "通过", "return": "退回"},
    Stage.SELF_EVALUATION: {"approve": "接受", "recheck": "复核", "return": "退回"},
}


def _decide(
    request: Request,
    viewer: Viewer,
    table_id: str,
    month: str | None,
    decision: str,
    decided: Decided,
) -> Response:
    node = node_of(request)
    try:
        chosen = _month(month) if month is not None else None
        loaded = _load(node, viewer, table_id, chosen)
    except NotHere as error:
        return _not_here(request, viewer, error)
    stage = Stage.MONITORING if chosen is not None else Stage.SELF_EVALUATION
    view = loaded.view
    able = _abilities(node, viewer, loaded)
    if view is None or not able.may_decide:
        if (
            view is not None
            and view.status is not ReportStatus.SUBMITTED
            and _reviewer(node, viewer, view)
        ):
            return _show(request, viewer, loaded, chosen, _stale(view))
        raise errors.Forbidden("您的身份无权审核该报告，或该报告没有待审核的报送。")
    problem, score = _decision_problem(stage, loaded, decision, decided)
    if problem is not None:
        shown_ = Shown(decided=decided, decide_problem=problem, status_code=REFUSED)
        return _show(request, viewer, loaded, chosen, shown_)
    try:
        node.reports.decide(
            viewer.actor,
            stage,
            loaded.table_id,
            chosen,
            decision,
            view.version,
            decided.reason or None,
            score=score,
            line_comments=decided.comments if decision == "return" else None,
        )
    except (errors.TransitionRefused, errors.VersionConflict):
        fresh = _load(node, viewer, table_id, chosen)
        return _show(request, viewer, fresh, chosen, _stale(fresh.view))
    except (errors.DomainError, InvalidArgument) as error:
        if isinstance(error, errors.Forbidden):
            raise
        words = _decision_words(error)
        shown_ = Shown(decided=decided, decide_problem=words, status_code=REFUSED)
        return _show(request, viewer, loaded, chosen, shown_)
    node.relay.nudge()
    return RedirectResponse(request.url.path.removesuffix("/decision"), status_code=303)


def _reviewer(node: NodeServices, viewer: Viewer, view: ReportView) -> bool:
    jurisdiction = view.basis.jurisdiction if view.received else None
    return node.gate.allows(viewer.actor, Operation.REVIEW, jurisdiction)


def _stale(view: ReportView | None) -> Shown:
    if view is None or view.decision is None:
        words = "该报告当前不是待审核状态，不能审核；您的审核未保存。"
    else:
        who = view.decision.actor.name
        words = f"该报告已由 {who} 审核（{status_words(view)}），不能再次审核；您的审核未保存。"
    return Shown(decide_problem=words, status_code=REFUSED)


def _decision_problem(
    stage: Stage, loaded: Loaded, decision: str, decided: Decided
) -> tuple[str | None, Decimal | None]:
    """What is wrong with the decision as typed, before asking the use case."""
    actions = DECISIONS[stage]
    if decision not in actions:
        return f"请点击“{'”或“'.join(actions.values())}”。", None
    known = {target.indicator_id for target in loaded.basis.targets}
    unknown = [name for name in decided.comments if name not in known]
    if unknown:
        return f"报告中没有这些指标：{'、'.join(unknown)}；请刷新页面后重试。", None
    if decision == "return" and not decided.reason:
        return "退回时必须填写审核意见（退回原因），请填写后再点击“退回”。", None
    if decision != "return" and decided.comments:
        return (
            f"您在 {len(decided.comments)} 个指标处填写了逐项意见：逐项意见只随“退回”保存。"
            f"如要{actions[decision]}，请先清空这些意见。"
        ), None
    if decision != "recheck":
        return None, None
    if not decided.score:
        return "复核时请填写复核得分。", None
    score = _score_of(decided.score)
    if score is None:
        return f"复核得分“{decided.score}”不是有效的数字，如 88.5。", None
    if not decided.reason:
        return "复核时必须填写复核意见（调整得分的理由）。", score
    return None, score


def _score_of(text: str) -> Decimal | None:
    try:
        score = Decimal(text) if len(text) <= 16 else None
    except ArithmeticError:
        return None
    return score if score is not None and score.is_finite() else None


def _decision_words(error: Exception) -> str:
    if isinstance(error, errors.ReasonRequired):
        return "请填写审核意见后再提交。"
    if isinstance(error, ScoringInvalid) and error.field == "score":
        return f"复核得分应在 0 到 100 分之间（{error}）。"
    if isinstance(error, errors.UnknownIndicator):
        return "报告中没有该指标；请刷新页面后重试。"
    return _refusal_words(error)
