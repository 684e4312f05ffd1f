"""eventsourcing's transcoder contract, run against the store's FastJSONTranscoder.

The transcoder is configured as a node's store configures it: eventsourcing's default
transcodings (as ``Application.register_transcodings`` registers them) and the domain's value
objects. Then every stored type round-trips with realistic values made from the seed documents,
and the bytes of real events and snapshots decode to exactly what the stock JSONTranscoder
decodes them to: the orjson reader is an optimisation, never a change of meaning.
"""

from __future__ import annotations

import hashlib
import json
import typing
import uuid
from collections.abc import Iterator
from dataclasses import is_dataclass, replace
from decimal import Decimal
from typing import Any, TypeVar
from unittest import TestCase

import orjson
import pytest
from eventsourcing.domain import Aggregate, DomainEventProtocol, Snapshot
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    Transcoder,
    UUIDAsHex,
)

from domain.document import TableDocument, document_of
from domain.evaluation import EvaluationForm, EvaluationLine
from domain.findings import Finding, check_table
from domain.model import (
    Actor,
    BasisKind,
    Decision,
    EmptyCategory,
    Expenditure,
    Funds,
    Goals,
    Indicator,
    Period,
    Project,
    Role,
    TableContent,
    ValueBasis,
)
from domain.monitoring import MonitoringForm, MonitoringLine
from domain.received_report import ReceivedReportVersion, ReportDocument
from domain.reports import Basis, Stage, Target
from domain.scoring import (
    Band,
    Cause,
    EvaluationRules,
    Grade,
    Light,
    Likelihood,
    MonitoringRules,
)
from domain.submission import ReceivedTable, ReceivedVersion
from domain.sync import ParkedMessage, SyncRecord
from domain.table import TargetTable
from domain.values import Value, parse_value
from infra.transcodings import STORED_TYPES, FastJSONTranscoder, register_domain_transcodings
from tests.conftest import JIANGSU, seed_documents
from tests.contract_cases import contract

T = TypeVar("T", bound=JSONTranscoder)

EDITOR = Actor(id="u-1", name="王编报", role=Role.EDITOR, jurisdiction="320000")
REVIEWER = Actor(id="u-2", name="李审核", role=Role.REVIEWER, jurisdiction="320000")


def configured(transcoder: T) -> T:
    """A transcoder registered as a node's store registers it."""
    transcoder.register(UUIDAsHex())
    transcoder.register(DecimalAsStr())
    transcoder.register(DatetimeAsISO())
    register_domain_transcodings(transcoder)
    return transcoder


def assert_identical(actual: Any, expected: Any) -> None:
    """Equal, and of the same types all the way down: ``==`` alone takes ``True`` and ``1.0``
    for ``1``, a StrEnum member for its string and ``Decimal("1.50")`` for ``Decimal("1.5")``
    (in dataclass fields too); their reprs tell them apart."""
    assert repr(actual) == repr(expected)
    assert actual == expected


class TestFastJSONTranscoderContract(contract.TranscoderTestCase):
    def construct_transcoder(self) -> Transcoder:
        transcoder = configured(FastJSONTranscoder())
        transcoder.register(contract.CustomType1AsDict())
        transcoder.register(contract.CustomType2AsDict())
        return transcoder

    # The six cases below assume a transcoder that keeps tuples and the subclasses of dict,
    # list, str and int. JSONTranscoder writes them as plain JSON, so it cannot, and
    # eventsourcing's own JSONTranscoder tests skip them. FastJSONTranscoder keeps
    # JSONTranscoder's encoder (the domain's tuples sit in dataclasses, whose transcoding
    # restores them, or are made tuples again when an event is applied). Each case asserts
    # instead that the objects are written as the stock transcoder writes them and read back
    # as the plain JSON values they are.

    def test_tuple(self) -> None:
        self._assert_stored_as_plain_json((), [])
        self._assert_stored_as_plain_json(((),), [[]])
        self._assert_stored_as_plain_json(((1, 2),), [[1, 2]])
        self._assert_stored_as_plain_json((("a", "b"),), [["a", "b"]])
        self._assert_stored_as_plain_json(((1, "a"),), [[1, "a"]])

    def test_mixed(self) -> None:
        self._assert_stored_as_plain_json([(1, "a"), {"b": 2}], [[1, "a"], {"b": 2}])
        self._assert_stored_as_plain_json(([1, "a"], {"b": 2}), [[1, "a"], {"b": 2}])
        self._assert_stored_as_plain_json({"a": (1, 2), "b": [3, 4]}, {"a": [1, 2], "b": [3, 4]})

    def test_dict_subclass(self) -> None:
        self._assert_stored_as_plain_json(contract.Mydict({"a": 1}), {"a": 1})

    def test_list_subclass(self) -> None:
        self._assert_stored_as_plain_json(contract.MyList((("a", 1),)), [["a", 1]])

    def test_str_subclass(self) -> None:
        self._assert_stored_as_plain_json(contract.MyStr("a"), "a")

    def test_int_subclass(self) -> None:
        self._assert_stored_as_plain_json(contract.MyInt(3), 3)

    def _assert_stored_as_plain_json(self, obj: object, plain: object) -> None:
        stock = configured(JSONTranscoder())
        data = self.transcoder.encode(obj)
        assert data == stock.encode(obj)
        assert data == json.dumps(plain, separators=(",", ":")).encode()
        assert_identical(self.transcoder.decode(data), plain)


def stored_type_samples() -> dict[type, list[Any]]:
    """Realistic instances of every stored type, most of them read from the Jiangsu seeds."""
    documents = seed_documents(JIANGSU, "320000")
    indicators = [item for document in documents for item in document.indicators]
    dated = parse_value("2026年4月30日")
    explained = replace(
        indicators[0],
        full_year=dated,
        explanation="按省级考核办法设定",
        basis=ValueBasis(BasisKind.PLAN, "江苏省“十四五”生态环境保护规划"),
    )
    findings = [
        finding
        for document in documents
        for finding in check_table(document.form, document.content)
    ]
    table = _worked_table(documents[0])
    samples: dict[type, list[Any]] = {
        Actor: [EDITOR, REVIEWER],
        Decision: [
            Decision("return", 2, REVIEWER, "请补充指标依据", {indicators[0].id: "目标值偏低"}),
            Decision("approve", 3, REVIEWER, None, {}),
        ],
        EmptyCategory: [item for document in documents for item in document.empty_categories],
        Expenditure: [
            *(item for document in documents for item in document.expenditures),
            Expenditure(name="运维", half_year=Decimal("120.50"), full_year=Decimal("249.00")),
        ],
        Finding: findings,
        Funds: [*(document.funds for document in documents), Funds(None)],
        Goals: [*(document.goals for document in documents), Goals()],
        Indicator: [*indicators, explained],
        Project: [document.project for document in documents],
        TableContent: [document.content for document in documents],
        TableDocument: [*documents, document_of(table)],
        Value: [
            *(item.full_year for item in indicators),
            *(item.half_year for item in indicators if item.half_year is not None),
            dated,
            parse_value("≥66块"),
            parse_value("1,234.50万元"),
        ],
        ParkedMessage: [
            ParkedMessage(
                "jixiao.submissions",
                2,
                1_048_576,
                f"320000/{documents[0].id}",
                '{"kind":"submission","version":3}',
                "version 3 arrived after version 4",
            )
        ],
        ReceivedVersion: [
            ReceivedVersion(3, hashlib.sha256(b"chain").hexdigest(), str(uuid.uuid4()))
        ],
        ValueBasis: [ValueBasis(BasisKind.HISTORY), ValueBasis(BasisKind.OTHER, "调研确定")],
    }
    samples.update(report_samples(documents))
    return samples


def report_samples(documents: list[TableDocument]) -> dict[type, list[Any]]:
    """Monitoring rounds and self-evaluations of the first seed table, filled in for real."""
    document = documents[0]
    targets = tuple(Target.of(item) for item in document.indicators)
    basis = Basis(
        table_id=str(document.id),
        jurisdiction=document.jurisdiction,
        fiscal_year=document.fiscal_year,
        table_version=3,
        project_name=document.project.name,
        department=document.project.department,
        budget=document.funds.total,
        targets=targets,
    )
    first, second = targets[0], targets[1]
    doubtful = MonitoringLine(
        indicator_id=second.indicator_id,
        actual_to_date=parse_value("30家"),
        year_end_forecast=parse_value("60家"),
        likelihood=Likelihood.IMPOSSIBLE,
        causes=(Cause.FUNDING, Cause.OTHER),
        cause_note="资金下达晚",
        measures="追加帮扶经费",
    )
    certain = MonitoringLine(
        indicator_id=first.indicator_id,
        actual_to_date=first.value,
        year_end_forecast=first.value,
    )
    monitoring = MonitoringForm(
        budget_executed=Decimal("52.5"), budget_forecast=Decimal(200), lines=(certain, doubtful)
    )
    evaluation = EvaluationForm(
        budget_full_year=Decimal(210),
        budget_executed=Decimal(189),
        lines=(
            EvaluationLine(indicator_id=first.indicator_id, band=Band.PARTLY, score=Decimal(2)),
            EvaluationLine(
                indicator_id=second.indicator_id,
                actual=parse_value("85家"),
                weight=Decimal("3.33"),
                explanation="超额完成：企业主动申请帮扶",
            ),
        ),
        conclusion="总体完成年度目标",
    )
    rules = EvaluationRules(grades=(Grade("优", Decimal(85)), Grade("差", Decimal(0))))
    return {
        Basis: [basis, replace(basis, budget=None, targets=())],
        Target: list(targets),
        MonitoringRules: [
            MonitoringRules(),
            MonitoringRules(watch_lights=(Light.RED, Light.YELLOW)),
        ],
        MonitoringLine: [certain, doubtful],
        MonitoringForm: [monitoring, MonitoringForm(budget_executed=Decimal(0))],
        EvaluationRules: [EvaluationRules(), rules],
        EvaluationLine: list(evaluation.lines),
        EvaluationForm: [evaluation],
        Grade: list(rules.grades),
        ReportDocument: [
            ReportDocument(
                stage=Stage.MONITORING,
                report_id=str(uuid.uuid4()),
                version=3,
                basis=basis,
                through_month=6,
                monitoring_rules=MonitoringRules(),
                monitoring=monitoring,
            ),
            ReportDocument(
                stage=Stage.SELF_EVALUATION,
                report_id=str(uuid.uuid4()),
                version=4,
                basis=basis,
                evaluation_rules=rules,
                evaluation=evaluation,
            ),
        ],
        ReceivedReportVersion: [ReceivedReportVersion(3, "360100/abc/3")],
    }


def _registered(document: TableDocument) -> TargetTable:
    return TargetTable(
        id=uuid.uuid4(),
        jurisdiction=document.jurisdiction,
        fiscal_year=document.fiscal_year,
        form=document.form,
        status=document.status,
        content=document.content,
        actor=EDITOR,
        reason="导入2026年度绩效目标表",
    )


def _worked_table(document: TableDocument) -> TargetTable:
    """A table registered from a seed document and taken through edits, a return and an
    approval: its events carry every kind of value a table's events store. The edits keep
    the sums as they were (amounts only gain decimal places), so it can be submitted."""
    table = _registered(document)
    first, second = document.indicators[0], document.indicators[1]
    line = document.expenditures[0]
    cents = Decimal("0.01")
    table.set_indicator_value(
        first.id, Period.FULL_YEAR, parse_value("2026年4月30日"), EDITOR, None
    )
    table.set_indicator_value(first.id, Period.HALF_YEAR, None, EDITOR, "半年不设目标")
    # Without a basis: an explanation's ValueBasis has no transcoding (see
    # test_every_value_type_an_event_declares_has_a_transcoding).
    table.explain_indicator(second.id, "按省级考核办法设定", None, EDITOR, None)
    assert document.funds.total is not None
    table.set_fund_total(document.funds.total.quantize(cents), EDITOR, "核定数")
    table.set_expenditure(
        0,
        Expenditure(name="运维", half_year=None, full_year=line.full_year.quantize(cents)),
        EDITOR,
        None,
    )
    table.set_goal("annual", "完成年度监控任务。", EDITOR, None)
    table.set_project_field("manager", "张监测", EDITOR, None)
    table.rename_indicator(second.id, "监控数据有效传输率", EDITOR, None)
    added = replace(second, id="c0ffee000001", name="监控设备完好率", full_year=parse_value("≥98%"))
    table.add_indicator(added, 2, EDITOR, "补充产出指标")
    table.move_indicator(added.id, _category_of(first), EDITOR, None)
    table.remove_indicator(added.id, EDITOR, "与既有指标重复")
    table.set_empty_categories(document.empty_categories, EDITOR, None)
    table.submit(EDITOR, None)
    table.return_for_changes(table.version, "请补充依据", {second.id: "依据不足"}, REVIEWER)
    table.submit(EDITOR, "已补充")
    table.approve(table.version, "同意", REVIEWER)
    table.open_adjustment(EDITOR, "年中调整")
    return table


def _category_of(item: Indicator) -> EmptyCategory:
    return EmptyCategory(item.level1, item.level1_code, item.level2, item.level2_code)


def stored_bytes() -> list[tuple[str, bytes]]:
    """The state bytes of real events and snapshots of the three aggregates, as stored."""
    documents = seed_documents(JIANGSU, "320000")
    stock = configured(JSONTranscoder())
    mapper: Mapper[uuid.UUID] = Mapper(transcoder=stock)
    first = _worked_table(documents[0])
    aggregates: list[Aggregate] = [first, *(_registered(item) for item in documents[1:])]
    received = ReceivedTable(first.id, "320000")
    received.receive(document_of(first), 1, ["0" * 64], str(uuid.uuid4()), EDITOR)
    sync = SyncRecord(f"320000/{first.id}")
    sync.park(stored_type_samples()[ParkedMessage][0])
    aggregates += [received, sync]
    events: list[DomainEventProtocol[uuid.UUID]] = []
    for aggregate in aggregates:
        events += aggregate.collect_events()
        events.append(Snapshot.take(aggregate))
    return [
        (f"{type(event).__qualname__} v{event.originator_version}", stored.state)
        for event in events
        for stored in [mapper.to_stored_event(event)]
    ]


class TestFastJSONTranscoderStoredTypes(TestCase):
    def setUp(self) -> None:
        self.transcoder = configured(FastJSONTranscoder())
        self.stock = configured(JSONTranscoder())
        self.samples = stored_type_samples()

    def test_every_stored_type_has_realistic_samples(self) -> None:
        assert set(self.samples) == set(STORED_TYPES)
        for kind, samples in self.samples.items():
            assert samples, kind.__name__
            for sample in samples:
                assert type(sample) is kind

    def test_every_stored_type_round_trips_alone_and_inside_event_state(self) -> None:
        for kind, samples in self.samples.items():
            for index, sample in enumerate(samples):
                with self.subTest(kind=kind.__name__, sample=index):
                    data = self.transcoder.encode(sample)
                    assert orjson.loads(data)["_type_"] == f"jixiao.{kind.__name__}"
                    assert_identical(self.transcoder.decode(data), sample)
                    state = {"item": sample, "items": [sample, sample], "by_id": {"k": sample}}
                    assert_identical(self.transcoder.decode(self.transcoder.encode(state)), state)

    def test_stored_types_decode_as_the_stock_transcoder_decodes_them(self) -> None:
        for kind, samples in self.samples.items():
            for index, sample in enumerate(samples):
                with self.subTest(kind=kind.__name__, sample=index):
                    data = self.stock.encode({"item": sample, "at": uuid.uuid4()})
                    assert_identical(self.transcoder.decode(data), self.stock.decode(data))


def _declared_types(hint: Any) -> Iterator[type]:
    """The classes a type hint names: ``tuple[EmptyCategory, ...] | None`` → EmptyCategory."""
    if typing.get_origin(hint) is None:
        if isinstance(hint, type):
            yield hint
        return
    for argument in typing.get_args(hint):
        yield from _declared_types(argument)


class TestDomainTranscodingsCoverTheEvents(TestCase):
    def test_every_value_type_an_event_declares_has_a_transcoding(self) -> None:
        # The encoder reaches an event's attributes one by one: a dataclass an event declares
        # at its top level needs a transcoding of its own, or the command cannot be saved.
        transcoder = configured(FastJSONTranscoder())
        missing: list[str] = []
        for aggregate in (TargetTable, ReceivedTable, SyncRecord):
            for event_class in vars(aggregate).values():
                if not (isinstance(event_class, type) and issubclass(event_class, Aggregate.Event)):
                    continue
                for name, hint in typing.get_type_hints(event_class).items():
                    for kind in _declared_types(hint):
                        if is_dataclass(kind) and kind not in transcoder.types:
                            missing.append(f"{event_class.__qualname__}.{name}: {kind.__name__}")
        assert missing == [], "not in infra.transcodings.STORED_TYPES"


class TestFastJSONTranscoderReadsAsTheStockTranscoder(TestCase):
    """For the same bytes, FastJSONTranscoder.decode gives exactly what JSONTranscoder gives."""

    def setUp(self) -> None:
        self.transcoder = configured(FastJSONTranscoder())
        self.stock = configured(JSONTranscoder())

    def assert_reads_as_stock(self, data: bytes) -> None:
        assert_identical(self.transcoder.decode(data), self.stock.decode(data))

    def test_events_and_snapshots_of_every_aggregate(self) -> None:
        stored = stored_bytes()
        kinds = {name.split(" ")[0] for name, _ in stored}
        assert {
            "TargetTable.Registered",
            "TargetTable.IndicatorValueChanged",
            "TargetTable.FundTotalChanged",
            "TargetTable.IndicatorAdded",
            "TargetTable.IndicatorMoved",
            "TargetTable.EmptyCategoriesChanged",
            "TargetTable.Returned",
            "TargetTable.Approved",
            "TargetTable.AdjustmentOpened",
            "ReceivedTable.SubmissionReceived",
            "SyncRecord.MessageParked",
            "Snapshot",
        } <= kinds
        for name, data in stored:
            with self.subTest(name):
                self.assert_reads_as_stock(data)

    def test_json_values_and_markers(self) -> None:
        for data in (
            b'{"a":1,"b":1.0,"c":-0.0,"d":1e-7,"e":true,"f":null,"g":"","h":[],"i":{}}',
            b'{"n":9223372036854775807,"m":-9223372036854775808,"u":18446744073709551615}',
            b'{"_type_":"uuid_hex","_data_":"b2723fe2c01a40d2875ea3aac6a09ff5","x":1}',
            b'{"_type_":"decimal_str"}',
            b'{"_data_":"1.50"}',
            b'[{"_type_":"decimal_str","_data_":"1.50"},{"_type_":"datetime_iso",'
            b'"_data_":"2026-04-30T08:00:00+08:00"}]',
            b' {"key" : "\\u738b\\u7f16\\u62a5", "emoji": "\\ud83d\\udc08"} ',
            b'{"a":1,"a":2}',
        ):
            with self.subTest(data=data):
                self.assert_reads_as_stock(data)

    def test_integers_beyond_64_bits(self) -> None:
        # Python ints are unbounded and the stock encoder writes them in full.
        state = {"offset": 2**64, "below": -(2**63) - 1, "total": 10**30 + 1}
        self.assert_reads_as_stock(self.stock.encode(state))

    def test_non_finite_floats_the_encoder_writes(self) -> None:
        # The stock encoder (which FastJSONTranscoder keeps) writes NaN and Infinity.
        self.assert_reads_as_stock(self.stock.encode([float("nan"), float("inf"), float("-inf")]))

    def test_unregistered_marker_raises_type_error(self) -> None:
        data = b'{"item":{"_type_":"jixiao.Unknown","_data_":{}}}'
        with pytest.raises(TypeError):
            self.stock.decode(data)
        with pytest.raises(TypeError):
            self.transcoder.decode(data)
