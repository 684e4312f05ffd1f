"""How the domain's value objects are stored inside events and snapshots."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding
from pydantic import TypeAdapter

from domain.document import TableDocument
from domain.findings import Finding
from domain.model import (
    Actor,
    Decision,
    EmptyCategory,
    Expenditure,
    Funds,
    Goals,
    Indicator,
    Project,
    TableContent,
)
from domain.submission import ReceivedVersion
from domain.sync import ParkedMessage
from domain.values import Value

STORED_TYPES: tuple[type, ...] = (
    Actor,
    Decision,
    EmptyCategory,
    Expenditure,
    Finding,
    Funds,
    Goals,
    Indicator,
    Project,
    TableContent,
    TableDocument,
    Value,
    ParkedMessage,
    ReceivedVersion,
)


class DataclassAsDict(Transcoding):
    """Stores a frozen dataclass as the JSON-ready dict pydantic makes of it."""

    def __init__(self, kind: type) -> None:
        self.type = kind
        self.name = f"jixiao.{kind.__name__}"
        self._adapter: TypeAdapter[Any] = TypeAdapter(kind)

    def encode(self, obj: Any) -> Any:
        return self._adapter.dump_python(obj, mode="json")

    def decode(self, data: Any) -> Any:
        return self._adapter.validate_python(data)


def register_domain_transcodings(transcoder: JSONTranscoder) -> None:
    for kind in STORED_TYPES:
        transcoder.register(DataclassAsDict(kind))
