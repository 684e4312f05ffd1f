"""Sync between two nodes in one process: the relay's messages captured, delivered by hand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from infra.bootstrap import NodeServices
from service_layer.sync import Outcome, Record


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
