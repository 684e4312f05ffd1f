"""Kafka inbound obeys the same character policy as every other entry point: a message whose
text no field may hold is parked with a reason naming the field and the character, and nothing
of it is stored — on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

from domain.model import Status
from service_layer.messages import Decision, Submission, decode, inbox_topic
from service_layer.sync import Outcome
from tests.conftest import ServicesFactory
from tests.support.wire import Wire, approval, nodes, relay_all

RLO = "\u202e"


def test_a_submission_with_a_nul_in_its_document_is_parked_not_received(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = nodes(services_factory)
    [(topic, key, value)] = relay_all(city)
    sent = decode(value)
    assert isinstance(sent, Submission)
    project = replace(sent.document.project, name=f"{sent.document.project.name}\x00")
    hostile = sent.model_copy(update={"document": replace(sent.document, project=project)})
    body = hostile.model_dump_json(by_alias=True).encode()
    assert Wire().deliver(province, topic, key, body) is Outcome.PARKED
    assert province.app.received_table(table_id) is None
    province.runner.catch_up()
    [parked] = province.reads.parked("open")
    assert "document.project.name contains U+0000 NULL" in parked.reason
    assert province.reads.inbox(None, 10, None).total == 0


def test_a_decision_whose_reason_holds_a_bidi_override_is_parked_not_applied(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = nodes(services_factory)
    wire = Wire()
    _, key, decided = approval(province, city, table_id, wire)
    sent = decode(decided)
    assert isinstance(sent, Decision)
    hostile = sent.model_copy(update={"reason": f"同意{RLO}退回"})
    body = hostile.model_dump_json(by_alias=True).encode()
    assert wire.deliver(city, inbox_topic("360100"), key, body) is Outcome.PARKED
    table = city.app.table(table_id)
    assert (table.status, table.version) == (Status.SUBMITTED, 2)
    city.runner.catch_up()
    [parked] = city.reads.parked("open")
    assert "reason contains U+202E RIGHT-TO-LEFT OVERRIDE" in parked.reason
