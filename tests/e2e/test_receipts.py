"""Nothing acknowledged is lost: real node processes, the real broker, and receipts.

A broker's acknowledgement only says the broker has a message. These tests take the message
away after that point — the broker killed with submissions unread, the parent paused and
then killed — and check that every submission still arrives at the parent exactly once.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from consumers.broker import Broker
from infra.bootstrap import build_services
from infra.settings import Settings
from tests.conftest import NANCHANG
from tests.e2e.servers import free_port
from tests.e2e.sync_nodes import APPROVE, SUBMIT, Node, eventually
from tests.e2e.test_sync import received_versions, submitted_at

FAST_RECEIPTS = {"JIXIAO_RECEIPT_WAIT_SECONDS": "1"}


def in_flight(node: Node) -> list[tuple[str, str | None]]:
    """The node's messages still waiting for a receipt: (event id, what the other end said)."""
    services = build_services(node.code, Settings(data_dir=node.data_dir))
    try:
        return [(item.event_id, item.outcome) for item in services.relay.in_flight.pending()]
    finally:
        services.close()


def all_received(node: Node, table_ids: list[str]) -> bool:
    return all(submitted_at(node, table_id, 2) for table_id in table_ids)


def test_submissions_the_broker_lost_after_acknowledging_them_arrive_once(
    started: list[Node], tmp_path: Path
) -> None:
    port = free_port()
    broker = Broker(port).start()
    try:
        city = Node("360100", tmp_path / "var", broker.bootstrap, extra_env=FAST_RECEIPTS)
        table_ids = city.seed(NANCHANG)[:2]
        started.append(city.start())
        for table_id in table_ids:
            city.ask("editor", SUBMIT, {"i": {"tableId": table_id, "expectedVersion": 1}})
        eventually(lambda: len(in_flight(city)) == 2)  # acknowledged by the broker, unread
    finally:
        broker.stop()  # an in-memory broker: the submissions are gone with it

    with Broker(port) as fresh:
        province = Node("360000", tmp_path / "var", fresh.bootstrap, extra_env=FAST_RECEIPTS)
        started.append(province.start())
        eventually(lambda: all_received(province, table_ids), seconds=90)
        eventually(lambda: in_flight(city) == [], seconds=60)
        assert received_versions(tmp_path / "var", "360000", table_ids) == [[2], [2]]
        assert len(province.inbox()) == 2


def test_a_parent_paused_and_then_killed_receives_every_submission_once(
    started: list[Node], tmp_path: Path
) -> None:
    with Broker(free_port()) as broker:
        city = Node("360100", tmp_path / "var", broker.bootstrap, extra_env=FAST_RECEIPTS)
        table_ids = city.seed(NANCHANG)[:3]
        province = Node("360000", tmp_path / "var", broker.bootstrap, extra_env=FAST_RECEIPTS)
        started += [city.start(), province.start()]
        assert province.process is not None
        os.kill(province.process.pid, signal.SIGSTOP)
        for table_id in table_ids:
            city.ask("editor", SUBMIT, {"i": {"tableId": table_id, "expectedVersion": 1}})
        eventually(lambda: len(in_flight(city)) == 3)
        time.sleep(3)  # past the receipt wait: the city sends them again, unanswered
        province.kill()

        province.start()
        eventually(lambda: all_received(province, table_ids), seconds=90)
        eventually(lambda: in_flight(city) == [], seconds=60)
        assert received_versions(tmp_path / "var", "360000", table_ids) == [[2], [2], [2]]
        assert len(province.inbox()) == 3

        approved = province.ask(
            "reviewer",
            APPROVE,
            {"i": {"tableId": table_ids[0], "version": 2}},
        )
        assert approved["approveSubmission"]["__typename"] == "TableChanged", approved
        eventually(lambda: city.table(table_ids[0])["status"] == "APPROVED", seconds=60)
        eventually(lambda: in_flight(province) == [], seconds=60)  # the city's receipt came
