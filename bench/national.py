"""A national day of sync traffic through a real broker, and three real nodes reading it.

Every jurisdiction of the GB/T 2260 registry (34 provincial, ~365 prefectural, ~2,800
county-level) has its inbox topic. A day's traffic is published as the relays would: each
county and prefecture submits its tables (real-sized documents, copied from a real node's
submission) to its parent, the parent decides on each (four in five approved), and every
submission and decision is answered with a receipt. A county (东湖区), a city (南昌市) and a
province (江西省) stay offline for a week: their inboxes hold seven days of their own traffic
(their own submissions and the decisions on them are real, made in their own stores). Then each
comes back and catches up with the real consumer on PostgreSQL, which counts what it read
against what was addressed to it.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
from rich.console import Console

from bench.dataset import generate
from bench.measures import peak_rss_mb
from consumers.broker import Broker
from consumers.consumer import SyncConsumer
from consumers.kafka import INBOX_PARTITIONS
from domain.model import Actor, Jurisdiction, Role, Status
from infra.bootstrap import NodeServices, build_services
from infra.jurisdictions import every_jurisdiction
from infra.settings import Settings
from service_layer.messages import ActorPart, Decision, Receipt, encode, encode_receipt, inbox_topic
from tests.e2e.servers import free_port
from tests.support.wire import relay_all

console = Console()
COUNTY, CITY, PROVINCE = "360102", "360100", "360000"
WEEK = 7
# Kafka's own guidance (KIP-578): at most ~4,000 partition replicas per broker.
REPLICAS_PER_BROKER = 4000
REPLICATION = 3


@dataclass(frozen=True)
class Traffic:
    """Tables submitted per node and day, in the busy weeks of budget preparation."""

    county_per_day: int
    prefecture_per_day: int


@dataclass
class Mail:
    """What was published, and what each measured node was sent."""

    messages: int = 0
    megabytes: float = 0.0
    addressed: dict[str, int] = field(default_factory=dict)


class Country:
    def __init__(self, traffic: Traffic, template: dict[str, Any]) -> None:
        self.traffic = traffic
        self.template = template
        self.registry: dict[str, Jurisdiction] = every_jurisdiction()
        self.own: dict[str, list[tuple[str, bytes]]] = {}  # the measured nodes' real ones

    def messages(self) -> Iterator[tuple[str, str, bytes]]:
        """(recipient, key, value) for a day of the country, a week around the measured nodes."""
        for code, place in self.registry.items():
            if place.parent is None:
                continue
            days = WEEK if {code, place.parent} & {COUNTY, CITY, PROVINCE} else 1
            per_day = (
                self.traffic.county_per_day
                if place.level == "county"
                else self.traffic.prefecture_per_day
            )
            yield from self._exchanges(code, place.parent, days * per_day)

    def _exchanges(self, child: str, parent: str, count: int) -> Iterator[tuple[str, str, bytes]]:
        own = self.own.get(child)
        for number in range(count):
            if own is not None:
                key, value = own[number]
            else:
                key, value = self._submission(child, parent)
            event_id = f"{child}/{key}/2"
            yield parent, key, value
            yield child, key, _receipt(event_id, parent, child, key)
            yield child, key, _decision(parent, child, key, number)
            yield parent, key, _receipt(f"{parent}/{key}/3", child, parent, key)

    def _submission(self, child: str, parent: str) -> tuple[str, bytes]:
        table_id = str(uuid.uuid4())
        document = {**self.template["document"], "id": table_id, "jurisdiction": child}
        actor = {**self.template["actor"], "jurisdiction": child}
        value = {
            **self.template,
            "event_id": f"{child}/{table_id}/2",
            "source": child,
            "target": parent,
            "table_id": table_id,
            "actor": actor,
            "document": document,
        }
        return table_id, orjson.dumps(value)


def _receipt(event_id: str, source: str, target: str, key: str) -> bytes:
    return encode_receipt(
        Receipt(
            receipt_of=event_id,
            source=source,
            target=target,
            table_id=uuid.UUID(key),
            outcome="applied",
            occurred_at=datetime.now(UTC),
        )
    )


def _decision(parent: str, child: str, key: str, number: int) -> bytes:
    returned = number % 5 == 4
    reviewer = ActorPart(id=f"{parent}-r", name="审核", role=Role.REVIEWER, jurisdiction=parent)
    return encode(
        Decision(
            event_id=f"{parent}/{uuid.uuid5(uuid.NAMESPACE_URL, key)}/1",
            source=parent,
            target=child,
            table_id=uuid.UUID(key),
            version=2,
            occurred_at=datetime.now(UTC),
            actor=reviewer,
            action="return" if returned else "approve",
            reason="请补充测算依据" if returned else "同意",
        )
    )


def measure(traffic: Traffic, url: str) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="jixiao-national-"))
    settings = Settings(data_dir=folder / "var", database_url=url)
    store = uuid.uuid4().hex[:6]
    nodes = {
        code: build_services(code, settings, store=f"n{store}") for code in (COUNTY, CITY, PROVINCE)
    }
    try:
        per_day = {COUNTY: traffic.county_per_day, CITY: traffic.prefecture_per_day}
        own = {code: _submitted(nodes[code], WEEK * per_day[code]) for code in per_day}
        country = Country(traffic, orjson.loads(own[CITY][0][1]))
        country.own = own
        with Broker(free_port()) as broker:
            results = _topics(broker, list(country.registry))
            mail = _publish(broker, country)
            results.update(_publish_figures(mail, len(country.registry), broker))
            for code, name in ((COUNTY, "county"), (CITY, "city"), (PROVINCE, "province")):
                results.update(_catch_up(nodes[code], name, broker, mail.addressed[code]))
        worst = max(results[f"sync_{name}_reads_per_applied"] for name in _NAMES)
        results["sync_reads_per_applied"] = worst
        return results
    finally:
        for services in nodes.values():
            services.close()


_NAMES = ("county", "city", "province")


def _submitted(node: NodeServices, count: int) -> list[tuple[str, bytes]]:
    """``count`` tables of the node submitted to its parent: the messages its relay sends."""
    for _ in generate(node.app, count, 1):
        pass
    editor = Actor("bench:editor", "基准编报", Role.EDITOR, node.place.code)
    for table_id in node.app.table_ids():
        node.app.edit(table_id, 1, lambda table: table.submit(editor, "请审核"))
    return [(key, value) for _, key, value in relay_all(node)]


def _topics(broker: Broker, codes: list[str]) -> dict[str, Any]:
    """Every node's inbox, as the relays and consumers create them; the broker's cost."""
    assert broker.process is not None
    before = peak_rss_mb(broker.process.pid)
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap, request_timeout_ms=60_000)
    started = time.perf_counter()
    try:
        for at in range(0, len(codes), 500):
            admin.create_topics(
                [NewTopic(inbox_topic(code), INBOX_PARTITIONS, 1) for code in codes[at : at + 500]]
            )
        topics = [name for name in admin.list_topics() if name.startswith("jixiao.")]
    finally:
        admin.close()
    seconds = time.perf_counter() - started
    partitions = len(topics) * INBOX_PARTITIONS
    replicas = partitions * REPLICATION
    return {
        "national_jurisdictions": len(codes),
        "broker_topics": len(topics),
        "broker_partitions": partitions,
        "broker_topic_create_seconds": round(seconds, 1),
        "broker_rss_mb_empty": round(before, 1),
        "broker_rss_mb_with_topics": round(peak_rss_mb(broker.process.pid), 1),
        "kafka_replicas_at_rf3": replicas,
        "kafka_brokers_needed_at_4000_replicas": -(-replicas // REPLICAS_PER_BROKER),
    }


def _publish(broker: Broker, country: Country) -> Mail:
    producer = KafkaProducer(
        bootstrap_servers=broker.bootstrap, acks="all", linger_ms=20, batch_size=1 << 20
    )
    mail = Mail(addressed=dict.fromkeys((COUNTY, CITY, PROVINCE), 0))
    size = 0
    for recipient, key, value in country.messages():
        producer.send(inbox_topic(recipient), key=key.encode(), value=value)
        mail.messages += 1
        size += len(value)
        if recipient in mail.addressed:
            mail.addressed[recipient] += 1
    producer.flush(timeout=600)
    producer.close()
    mail.megabytes = size / 1e6
    return mail


def _publish_figures(mail: Mail, nodes: int, broker: Broker) -> dict[str, Any]:
    assert broker.process is not None
    return {
        "national_messages": mail.messages,
        "national_megabytes": round(mail.megabytes, 1),
        "broker_rss_mb_after_traffic": round(peak_rss_mb(broker.process.pid), 1),
        # Release 1: every node read every message on the shared topics (computed, not run).
        "shared_topics_reads_per_applied_city": round(mail.messages / mail.addressed[CITY], 1),
    }


def _catch_up(node: NodeServices, name: str, broker: Broker, addressed: int) -> dict[str, Any]:
    """The node back after a week: its consumer reads its inbox until all of it is handled."""
    consumer = SyncConsumer(node.inbound, broker.bootstrap, lambda: None, node.relay.in_flight)
    stop = threading.Event()
    started = time.perf_counter()
    worker = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    worker.start()
    deadline = started + 1800  # the sent week, and the receipts the others sent since
    while consumer.reads.addressed < addressed and time.perf_counter() < deadline:
        time.sleep(0.05)
    consumed = time.perf_counter() - started
    stop.set()
    worker.join(timeout=30)
    projected = time.perf_counter()
    node.runner.catch_up()
    projections = time.perf_counter() - projected
    reads = consumer.reads
    decided = _decided(node)
    console.print(
        f"  {name} {node.place.code}: {reads.addressed} addressed ({addressed} published a "
        f"week before), read {reads.messages} "
        f"({reads.message_bytes / 1e6:.1f} MB), caught up in {consumed:.1f} s "
        f"+ {projections:.1f} s of projections"
    )
    return {
        f"sync_{name}_sent_during_week": addressed,
        f"sync_{name}_addressed": reads.addressed,
        f"sync_{name}_read": reads.messages,
        f"sync_{name}_decisions_applied": decided,
        f"sync_{name}_reads_per_applied": round(reads.messages / max(reads.addressed, 1), 3),
        f"sync_{name}_bytes_per_applied_byte": round(
            reads.message_bytes / max(reads.addressed_bytes, 1), 3
        ),
        f"sync_{name}_week_catch_up_seconds": round(consumed + projections, 1),
    }


def _decided(node: NodeServices) -> int:
    """The node's own tables a decision from above was applied to."""
    return sum(
        node.app.table(table_id).status is not Status.SUBMITTED for table_id in node.app.table_ids()
    )


QUICK = Traffic(county_per_day=1, prefecture_per_day=2)
FULL = Traffic(county_per_day=8, prefecture_per_day=12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    arguments = parser.parse_args()
    for key, value in measure(QUICK if arguments.quick else FULL, arguments.url).items():
        console.print(f"{key}: {value}")


if __name__ == "__main__":
    main()
