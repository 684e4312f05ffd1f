"""How the domain's value objects are stored inside events and snapshots."""

from __future__ import annotations

from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder, Transcoding, TranscodingNotRegisteredError
from pydantic import TypeAdapter

from domain.document import TableDocument
from domain.evaluation import EvaluationForm, EvaluationLine
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
    ValueBasis,
)
from domain.monitoring import MonitoringForm, MonitoringLine
from domain.received_report import ReceivedReportVersion, ReportDocument
from domain.reports import Basis, Target
from domain.scoring import EvaluationRules, Grade, MonitoringRules
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
    ValueBasis,
    ParkedMessage,
    ReceivedVersion,
    # monitoring and self-evaluation (issue 14)
    Basis,
    Target,
    MonitoringRules,
    MonitoringForm,
    MonitoringLine,
    EvaluationRules,
    EvaluationForm,
    EvaluationLine,
    Grade,
    ReportDocument,
    ReceivedReportVersion,
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


# Nineteen digits in a row may be an integer beyond 64 bits: looked for with every digit made
# "0" and a substring test, a tenth of the time a regular expression takes on a timestamp.
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_INTEGER = b"0" * 19
_SCALARS = frozenset({str, int, float, bool, type(None)})


class FastJSONTranscoder(JSONTranscoder):
    """eventsourcing's JSON transcoder, reading stored events with orjson.

    The standard decoder calls a Python hook on every JSON object, including each of the
    hundred-odd inside a table's content. Here only objects that carry a transcoding are
    visited (about 15 % less decoding time per event when replaying a log). The data of a
    ``DataclassAsDict`` is plain JSON that pydantic made, so it goes to its transcoding
    without being walked.
    Encoding is unchanged (orjson cannot mark UUIDs as eventsourcing does).
    """

    def decode(self, data: bytes) -> Any:
        # orjson reads integers beyond 64 bits as floats and refuses NaN, infinities and lone
        # surrogates, which the stock encoder writes: such events are read the stock way.
        if _LONG_INTEGER in data.translate(_DIGITS_TO_ZERO):
            return super().decode(data)
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError:
            return super().decode(data)
        return self._revive(parsed)

    def _revive(self, item: Any) -> Any:
        # orjson makes exactly these types; scalars are kept without a call for each.
        if type(item) is dict:
            if len(item) == 2 and "_type_" in item and "_data_" in item:
                return self._transcoded(item["_type_"], item["_data_"])
            return {
                key: value if type(value) in _SCALARS else self._revive(value)
                for key, value in item.items()
            }
        if type(item) is list:
            return [value if type(value) in _SCALARS else self._revive(value) for value in item]
        return item

    def _transcoded(self, name: str, data: Any) -> Any:
        try:
            transcoding = self.names[name]
        except KeyError:
            raise TranscodingNotRegisteredError(
                f"Data serialized with name {name!r} is not deserializable. "
                "Please register a custom transcoding for this type."
            ) from None
        if type(data) not in _SCALARS and not isinstance(transcoding, DataclassAsDict):
            data = self._revive(data)
        return transcoding.decode(data)


def new_transcoder() -> FastJSONTranscoder:
    """The transcoder of a node's store, with the domain's value objects registered."""
    transcoder = FastJSONTranscoder()
    register_domain_transcodings(transcoder)
    return transcoder
