"""What the fuzzers found, pinned: each of these failed before its fix."""

from __future__ import annotations

import base64
import json
import uuid

from domain.model import Actor, Role
from service_layer.messages import inbox_topic
from service_layer.sync import Outcome, Record
from tests.conftest import NANCHANG, ServicesFactory, seed_documents
from tests.e2e.graphql_client import serving
from tests.fuzz.live_node import errors_logged
from tests.support.wire import Wire, approval, nodes, relay_all

DEEP = b"[" * 100_000 + b"]" * 100_000
LISTING = "query($after: String) { tables(first: 3, after: $after) { totalCount } }"


def test_variables_that_do_not_fit_their_types_are_refused_and_not_logged_as_failures(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    with errors_logged() as log, serving(services) as api:
        submit = "mutation($i: SubmitTableInput!) { submitTable(input: $i) { __typename } }"
        errors = api.errors(submit, {"i": {}})
        assert "required field 'tableId'" in errors[0]["message"]
    assert log.records == []


def test_a_cursor_past_the_views_32_bit_positions_is_invalid_input_on_every_backend(
    services_factory: ServicesFactory,
) -> None:
    services = services_factory("360100")
    importer = Actor("seed", "seed", Role.EDITOR, "360100")
    services.app.import_documents(seed_documents(NANCHANG, "360100"), importer, "seed")
    with errors_logged() as log, serving(services) as api:
        last = base64.urlsafe_b64encode(f"table:{2**31 - 1}".encode()).decode()
        assert api.query(LISTING, {"after": last})["tables"]["totalCount"] == 4
        beyond = base64.urlsafe_b64encode(f"table:{2**31}".encode()).decode()
        errors = api.errors(LISTING, {"after": beyond})
        assert errors[0]["extensions"] == {"code": "INVALID_INPUT", "field": "after"}
    assert log.records == []


def test_an_envelope_nested_deeper_than_the_parser_allows_is_parked(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = nodes(services_factory)
    wire = Wire()
    key = str(table_id)
    assert wire.deliver(city, inbox_topic("360100"), key, DEEP) is Outcome.PARKED
    decision = approval(province, city, table_id, wire, reason=None)
    assert wire.deliver(city, *decision) is Outcome.PARKED  # behind the deep one, read again


def test_a_key_that_names_no_table_parks_its_message_as_unkeyed_and_the_views_go_on(
    services_factory: ServicesFactory,
) -> None:
    _, city, _ = nodes(services_factory)
    hostile = "x" * 5000 + "\x00"
    record = Record(inbox_topic("360000"), 0, 0, hostile, b"{not json", "log-1")
    assert city.inbound.handle(record) is Outcome.PARKED
    city.runner.catch_up()
    assert city.runner.faults() == {}
    assert [row.table_key for row in city.reads.parked("open")] == ["unkeyed"]


def test_a_submission_whose_document_is_another_version_is_parked_not_received(
    services_factory: ServicesFactory,
) -> None:
    province, city, table_id = nodes(services_factory)
    [(topic, key, value)] = relay_all(city)
    message = json.loads(value)
    message["document"]["version"] = None
    bent = json.dumps(message).encode()
    assert Wire().deliver(province, topic, key, bent) is Outcome.PARKED
    assert province.app.received_table(table_id) is None
    province.runner.catch_up()
    assert province.runner.faults() == {}
    [parked] = province.reads.parked("open")
    assert "different tables or versions" in parked.reason


def test_a_submission_whose_document_no_table_could_hold_is_parked_and_the_inbox_goes_on(
    services_factory: ServicesFactory,
) -> None:
    province, city, _ = nodes(services_factory)
    [(topic, _, value)] = relay_all(city)
    wire = Wire()
    for field, impossible in (("fiscal_year", 10**30), ("fiscal_year", -5), ("schema", 10**30)):
        message = json.loads(value)
        other = str(uuid.uuid4())  # a table nothing holds back
        message["table_id"] = message["event_id"] = message["document"]["id"] = other
        message["document"][field] = impossible
        bent = json.dumps(message).encode()
        assert wire.deliver(province, topic, other, bent) is Outcome.PARKED, field
    province.runner.catch_up()
    assert province.runner.faults() == {}
    assert province.reads.inbox(None, 10, None).total == 0
