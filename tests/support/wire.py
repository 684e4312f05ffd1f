"""Sync between two nodes in one process: the relay's messages captured, delivered by hand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from domain.model import Actor, Role
from infra.bootstrap import NodeServices
from service_layer.sync import Outcome, Record
from tests.conftest import NANCHANG, ServicesFactory, seed_documents

EDITOR = Actor("u-1", "王编报", Role.EDITOR, "360100")
REVIEWER = Actor("u-2", "李审核", Role.REVIEWER, "360000")


@dataclass
class Captured:
    sent: list[tuple[str, str, bytes]] = field(default_factory=list)

    def publish(self, topic: str, key: str, value: bytes) -> None:
        self.sent.append((topic, key, value))

    def logs(self, topics: Iterable[str]) -> dict[str, str]:
        return dict.fromkeys(topics, "log-1")


@dataclass
class Wire:
    """Carries what one node's relay published to another node's inbound, like a partition."""

    offsets: dict[str, int] = field(default_factory=dict)

    def deliver(self, to: NodeServices, topic: str, key: str, value: bytes) -> Outcome:
        offset = self.offsets.get(topic, 0)
        self.offsets[topic] = offset + 1
        return to.inbound.handle(Record(topic, 0, offset, key, value, "log-1"))

    def again(self, to: NodeServices, topic: str, key: str, value: bytes) -> Outcome:
        """The same message at the offset it had (a redelivery)."""
        return to.inbound.handle(Record(topic, 0, self.offsets[topic] - 1, key, value, "log-1"))


def relay_all(node: NodeServices) -> list[tuple[str, str, bytes]]:
    captured = Captured()
    node.relay._publisher = captured  # the relay's own messages, kept instead of sent
    node.relay.publish_pending()
    return captured.sent


def nodes(services_factory: ServicesFactory) -> tuple[NodeServices, NodeServices, UUID]:
    """A province and a city with the Nanchang seeds, one of them submitted (version 2)."""
    province = services_factory("360000", store="p")
    city = services_factory("360100", store="c")
    city.app.import_documents(seed_documents(NANCHANG, "360100"), EDITOR, "seed")
    table_id = next(iter(city.app.table_ids()))
    city.app.edit(table_id, 1, lambda table: table.submit(EDITOR, "请审核"))
    return province, city, table_id


def approval(
    province: NodeServices,
    city: NodeServices,
    table_id: UUID,
    wire: Wire,
    reason: str | None = "同意",
) -> tuple[str, str, bytes]:
    """The city's submission delivered to the province and approved there: the decision sent."""
    [(topic, key, value)] = relay_all(city)
    wire.deliver(province, topic, key, value)
    received = province.app.received_table(table_id)
    assert received is not None
    received.approve(2, reason, REVIEWER)
    province.app.save_tracked(None, received)
    [decision] = relay_all(province)
    return decision
