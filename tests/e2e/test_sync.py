"""Approvals between levels: real node processes and the real broker (tansu)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from consumers.broker import Broker
from consumers.kafka import KafkaPublisher
from infra.bootstrap import build_services
from infra.settings import Settings
from service_layer.messages import inbox_topic
from tests.conftest import NANCHANG
from tests.e2e.servers import JIXIAO, free_port, node_env
from tests.e2e.sync_nodes import APPROVE, RETURN, SET_VALUE, SUBMIT, Node, eventually


@pytest.fixture
def broker() -> Iterator[Broker]:
    with Broker(free_port()) as running:
        yield running


def submitted_at(node: Node, table_id: str, version: int) -> dict[str, object] | None:
    for entry in node.inbox():
        if entry["tableId"] == table_id and entry["version"] == version:
            return entry
    return None


def test_submit_return_fix_resubmit_approve_across_two_nodes(
    broker: Broker, started: list[Node], tmp_path: Path
) -> None:
    city = Node("360100", tmp_path / "var", broker.bootstrap)
    table_id = city.seed(NANCHANG)[1]
    province = Node("360000", tmp_path / "var", broker.bootstrap)
    started += [city.start(), province.start()]
    indicator = city.table(table_id)["indicators"][2]["id"]

    city.ask("editor", SUBMIT, {"i": {"tableId": table_id, "expectedVersion": 1}})
    entry, up = eventually(lambda: submitted_at(province, table_id, 2))
    assert (entry["status"], entry["jurisdiction"]) == ("SUBMITTED", "360100")

    returned = province.ask(
        "reviewer",
        RETURN,
        {
            "i": {
                "tableId": table_id,
                "version": 2,
                "reason": "目标值偏低",
                "indicatorComments": [{"indicatorId": indicator, "comment": "请提高"}],
            }
        },
    )["returnSubmission"]
    assert returned["table"]["status"] == "RETURNED"
    table, down = eventually(lambda: (t := city.table(table_id))["status"] == "RETURNED" and t)
    assert table["review"]["comment"] == "目标值偏低"
    assert table["review"]["reviewer"]["jurisdiction"] == "360000"
    assert table["review"]["indicatorComments"] == [{"indicatorId": indicator, "comment": "请提高"}]

    fix = {"tableId": table_id, "expectedVersion": 3, "indicatorId": indicator, "value": "≥99%"}
    assert city.ask("editor", SET_VALUE, {"i": fix})["setIndicatorValue"]["table"]["version"] == 4
    city.ask("editor", SUBMIT, {"i": {"tableId": table_id, "expectedVersion": 4}})
    eventually(lambda: submitted_at(province, table_id, 5))
    approved = province.ask("reviewer", APPROVE, {"i": {"tableId": table_id, "version": 5}})
    assert approved["approveSubmission"]["table"]["status"] == "APPROVED"
    table, _ = eventually(lambda: (t := city.table(table_id))["status"] == "APPROVED" and t)
    assert table["version"] == 6
    statuses = {(e["version"], e["status"]) for e in province.inbox()}
    assert statuses == {(2, "RETURNED"), (5, "APPROVED")}
    print(f"submit → province {up * 1000:.0f} ms; return → city {down * 1000:.0f} ms")


def test_a_submission_made_while_the_broker_is_down_arrives_after_it_returns(
    broker: Broker, started: list[Node], tmp_path: Path
) -> None:
    city = Node("360100", tmp_path / "var", broker.bootstrap)
    table_ids = city.seed(NANCHANG)
    province = Node("360000", tmp_path / "var", broker.bootstrap)
    started += [city.start(), province.start()]
    city.ask("editor", SUBMIT, {"i": {"tableId": table_ids[0], "expectedVersion": 1}})
    eventually(lambda: submitted_at(province, table_ids[0], 2))

    broker.stop()
    result = city.ask("editor", SUBMIT, {"i": {"tableId": table_ids[1], "expectedVersion": 1}})
    assert result["submitTable"]["table"]["status"] == "SUBMITTED"  # editing never waits
    assert submitted_at(province, table_ids[1], 2) is None

    with Broker(broker.port):
        eventually(lambda: submitted_at(province, table_ids[1], 2), seconds=60)
        assert len(province.inbox()) == 2


def tracked_messages(data_dir: Path, code: str) -> int:
    """How many messages the node has recorded as consumed, over every partition."""
    services = build_services(code, Settings(data_dir=data_dir))
    try:
        recorder = services.app.recorder
        with recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
            cursor.execute("SELECT application_name, notification_id FROM tracking")
            rows = cursor.fetchall()
        return sum(int(row[1]) for row in rows if str(row[0]).startswith("kafka:"))
    finally:
        services.close()


def received_versions(data_dir: Path, code: str, table_ids: list[str]) -> list[list[int]]:
    services = build_services(code, Settings(data_dir=data_dir))
    try:
        found: list[list[int]] = []
        for table_id in table_ids:
            received = services.app.received_table(UUID(table_id))
            found.append([] if received is None else [i.version for i in received.received])
        return found
    finally:
        services.close()


def test_a_killed_consumer_and_republished_messages_apply_once(
    broker: Broker, started: list[Node], tmp_path: Path
) -> None:
    data = tmp_path / "var"
    city = Node("360100", data, broker.bootstrap)
    table_ids = city.seed(NANCHANG)
    province = Node("360000", data, broker.bootstrap)
    started += [city.start(), province.start()]
    for table_id in table_ids:
        city.ask("editor", SUBMIT, {"i": {"tableId": table_id, "expectedVersion": 1}})
    eventually(lambda: submitted_at(province, table_ids[0], 2))
    province.kill()  # in the middle of taking in the four submissions
    province.start()
    eventually(lambda: len(province.inbox()) == 4)
    assert tracked_messages(data, "360000") == 4

    rewind = [str(JIXIAO), "relay", "republish", "-j", "360100", "--from", "0"]
    subprocess.run(rewind, env=node_env(data, None), check=True, capture_output=True)
    eventually(lambda: tracked_messages(data, "360000") == 8)  # all four seen twice
    assert received_versions(data, "360000", table_ids) == [[2], [2], [2], [2]]
    assert len(province.inbox()) == 4


def jixiao(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(JIXIAO), *args]
    return subprocess.run(command, env=node_env(data, None), capture_output=True, text=True)


def test_a_poison_message_is_parked_holds_the_table_and_is_resolved_from_the_cli(
    broker: Broker, started: list[Node], tmp_path: Path
) -> None:
    data = tmp_path / "var"
    city = Node("360100", data, broker.bootstrap)
    table_id = city.seed(NANCHANG)[0]
    province = Node("360000", data, broker.bootstrap)
    started += [city.start(), province.start()]
    publisher = KafkaPublisher(broker.bootstrap)
    poison = {"schema": 1, "type": "decision", "target": "360100", "table_id": table_id}
    publisher.publish(inbox_topic("360100"), table_id, json.dumps(poison).encode())

    city.ask("editor", SUBMIT, {"i": {"tableId": table_id, "expectedVersion": 1}})
    eventually(lambda: submitted_at(province, table_id, 2))
    province.ask("reviewer", APPROVE, {"i": {"tableId": table_id, "version": 2}})

    def parked_lines() -> list[str]:
        listing = jixiao(data, "parked", "list", "-j", "360100").stdout
        return [line for line in listing.splitlines() if table_id[:8] in line]

    lines, _ = eventually(lambda: len(parked_lines()) == 2 and parked_lines())
    assert "not a valid jixiao message" in lines[0]
    assert city.table(table_id)["status"] == "SUBMITTED"  # the approval waits behind it
    assert jixiao(data, "parked", "list", "-j", "360000").stdout.strip() == "nothing is parked"

    still = jixiao(data, "parked", "retry", "-j", "360100", table_id)
    assert still.returncode == 1
    assert "still fails" in still.stdout
    offset = lines[0].split("@")[1].split()[0]
    dropped = jixiao(
        data,
        "parked",
        "discard",
        "-j",
        "360100",
        table_id,
        "--offset",
        offset,
        "--reason",
        "malformed test message",
    )
    assert dropped.returncode == 0, dropped.stderr
    retried = jixiao(data, "parked", "retry", "-j", "360100", table_id)
    assert retried.returncode == 0, retried.stdout
    assert "applied" in retried.stdout
    table, _ = eventually(lambda: (t := city.table(table_id))["status"] == "APPROVED" and t)
    assert table["review"]["reviewer"]["jurisdiction"] == "360000"
    assert jixiao(data, "parked", "list", "-j", "360100").stdout.strip() == "nothing is parked"


def test_three_levels_county_city_province(
    broker: Broker, started: list[Node], tmp_path: Path
) -> None:
    data = tmp_path / "var"
    county = Node("360102", data, broker.bootstrap)
    county_table = county.seed(NANCHANG)[2]
    city = Node("360100", data, broker.bootstrap)
    city_table = city.seed(NANCHANG)[3]
    province = Node("360000", data, broker.bootstrap)
    started += [county.start(), city.start(), province.start()]

    county.ask("editor", SUBMIT, {"i": {"tableId": county_table, "expectedVersion": 1}})
    city.ask("editor", SUBMIT, {"i": {"tableId": city_table, "expectedVersion": 1}})
    entry, _ = eventually(lambda: submitted_at(city, county_table, 2))
    assert entry["jurisdiction"] == "360102"
    eventually(lambda: submitted_at(province, city_table, 2))
    assert {item["tableId"] for item in province.inbox()} == {city_table}

    city.ask("reviewer", APPROVE, {"i": {"tableId": county_table, "version": 2}})
    province.ask("reviewer", APPROVE, {"i": {"tableId": city_table, "version": 2}})
    eventually(lambda: county.table(county_table)["status"] == "APPROVED")
    eventually(lambda: city.table(city_table)["status"] == "APPROVED")
    assert county.table(county_table)["review"]["reviewer"]["jurisdiction"] == "360100"
    assert city.table(city_table)["review"]["reviewer"]["jurisdiction"] == "360000"
