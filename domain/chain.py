"""Tamper evidence: each table's stored events form a hash chain.

Link n is SHA-256 over link n-1 and event n exactly as stored (aggregate id, version, topic
and the stored bytes, which include the event's time). A changed, removed or reordered event
breaks every link from it on. The chain is recomputed from the event store; the links recorded
when each event was first projected (the ``chain`` read model) and the heads a parent received
with each submission are what it is checked against.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


class StoredEvent(Protocol):
    """An event exactly as the store holds it."""

    @property
    def originator_id(self) -> UUID | str: ...
    @property
    def originator_version(self) -> int: ...
    @property
    def topic(self) -> str: ...
    @property
    def state(self) -> bytes: ...


GENESIS = "jixiao-chain-1"


def link(previous: str, stored: StoredEvent) -> str:
    digest = hashlib.sha256()
    for part in (
        previous.encode(),
        str(stored.originator_id).encode(),
        str(stored.originator_version).encode(),
        stored.topic.encode(),
        _bytes(stored.state),
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return "sha256:" + digest.hexdigest()


def _bytes(state: object) -> bytes:
    """The stored state as bytes, whatever a tampered database hands back (text, memoryview)."""
    if isinstance(state, bytes):
        return state
    if isinstance(state, memoryview | bytearray):
        return bytes(state)
    return str(state).encode()


def links(events: Iterable[StoredEvent]) -> list[str]:
    """The chain over ``events`` in the order given, starting from the genesis value."""
    found: list[str] = []
    previous = GENESIS
    for stored in events:
        previous = link(previous, stored)
        found.append(previous)
    return found


@dataclass(frozen=True)
class Break:
    """Where a recomputed chain first disagrees with the recorded one, and how."""

    version: int
    problem: str


def first_break(stored: Sequence[StoredEvent], recorded: Sequence[str]) -> Break | None:
    """Compare the events as stored now with the links recorded when they were first seen."""
    previous = GENESIS
    for index, expected in enumerate(recorded):
        version = index + 1
        if index >= len(stored):
            return Break(version, f"version {version} was recorded but is no longer stored")
        event = stored[index]
        if event.originator_version != version:
            return Break(
                version,
                f"version {version} is missing (the next stored event is version "
                f"{event.originator_version})",
            )
        previous = link(previous, event)
        if previous != expected:
            return Break(version, f"version {version} was altered, removed or reordered")
    if len(stored) > len(recorded):
        return Break(len(recorded) + 1, "events were stored without being recorded in the chain")
    return None
