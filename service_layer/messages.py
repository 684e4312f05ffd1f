"""Integration messages between nodes: JSON envelopes with a schema version.

Incoming messages are validated as strictly as any other input: a malformed one is parked
with the reason, never half-applied.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from domain.document import TableDocument
from domain.model import Actor, Role
from domain.received_report import ReportDocument
from domain.reports import Stage

INBOX_PREFIX = "jixiao.inbox.v2."
# The shared topics of release 1, read by every node: still followed while a broker holds them,
# so what was published there before the upgrade arrives; nothing new is published there.
SUBMISSIONS = "jixiao.submissions.v1"
DECISIONS = "jixiao.decisions.v1"
RECEIPTS = "jixiao.receipts.v1"
SHARED_TOPICS = (SUBMISSIONS, DECISIONS, RECEIPTS)


def inbox_topic(code: str) -> str:
    """The topic a node reads: everything addressed to it, and nothing else.

    Submissions from its children, decisions from its parent and receipts for what it sent
    all go to the recipient's own topic, so a node's reads grow with its own traffic, never
    with the country's.
    """
    return f"{INBOX_PREFIX}{code}"


class MessageInvalid(ValueError):
    pass


class ActorPart(BaseModel):
    id: str
    name: str
    role: Role
    jurisdiction: str

    def actor(self) -> Actor:
        return Actor(self.id, self.name, self.role, self.jurisdiction)

    @classmethod
    def of(cls, actor: Actor) -> ActorPart:
        return cls(id=actor.id, name=actor.name, role=actor.role, jurisdiction=actor.jurisdiction)


class Envelope(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")

    schema_version: Literal[1] = Field(default=1, alias="schema")
    event_id: str = Field(min_length=1, max_length=200)
    source: str = Field(pattern=r"^\d{6}$")
    target: str = Field(pattern=r"^\d{6}$")
    table_id: UUID
    version: int = Field(ge=1)
    occurred_at: datetime
    actor: ActorPart


class Submission(Envelope):
    type: Literal["submission"] = "submission"
    document: TableDocument
    chain_head: str = Field(min_length=1, max_length=200)
    chain: list[str] = Field(min_length=1, description="every link of the table's hash chain")
    # Added after release 1: envelopes without them (older senders) still apply.
    submit_reason: str | None = Field(
        default=None, max_length=20_000, description="the clerk's 提交说明"
    )
    adjustment_reason: str | None = Field(
        default=None,
        max_length=20_000,
        description="the 申请调整 reason when this version adjusts an approved table",
    )


class Decision(Envelope):
    type: Literal["decision"] = "decision"
    action: Literal["approve", "return"]
    reason: str | None = Field(default=None, max_length=20_000)
    indicator_comments: dict[str, str] = Field(default_factory=dict)


class ReportSubmission(Envelope):
    """A monitoring round or self-evaluation going up; ``version`` is the report's version."""

    type: Literal["report"] = "report"
    stage: Stage
    report_id: UUID
    document: ReportDocument


class ReportDecision(Envelope):
    """The parent's decision on a report going down; ``version`` is the version decided on."""

    type: Literal["report_decision"] = "report_decision"
    stage: Stage
    report_id: UUID
    action: Literal["approve", "return", "recheck"]
    reason: str | None = Field(default=None, max_length=20_000)
    score: Decimal | None = Field(default=None, ge=0, le=1000)
    line_comments: dict[str, str] = Field(default_factory=dict)


AnyMessage = Submission | Decision | ReportSubmission | ReportDecision
Message = Annotated[AnyMessage, Field(discriminator="type")]
_MESSAGE: TypeAdapter[AnyMessage] = TypeAdapter(Message)
_OBJECT: TypeAdapter[dict[str, Any]] = TypeAdapter(dict[str, Any])


def encode(message: AnyMessage) -> bytes:
    return message.model_dump_json(by_alias=True).encode()


def text_field(value: bytes | str, name: str) -> str | None:
    """One top-level text field (``target``, ``event_id``) of what may be no valid message.

    Read by the parser ``decode`` uses, with its limits: anything that is no JSON object,
    however broken or deeply nested, has no such field.
    """
    try:
        found = _OBJECT.validate_json(value).get(name)
    except ValidationError:
        return None
    return found if isinstance(found, str) else None


def decode(value: bytes | str) -> AnyMessage:
    try:
        return _MESSAGE.validate_json(value)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
            for issue in error.errors()[:5]
        )
        raise MessageInvalid(f"not a valid jixiao message: {problems}") from None


class Receipt(BaseModel):
    """The receiver's word that it took a message in: what it did with it, and why.

    Sent back for every submission and decision a node handled, so the sender can stop
    sending it again. A lost receipt costs one more send, which the receiver absorbs.
    """

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    schema_version: Literal[1] = Field(default=1, alias="schema")
    type: Literal["receipt"] = "receipt"
    receipt_of: str = Field(min_length=1, max_length=200, description="the message's event_id")
    source: str = Field(pattern=r"^\d{6}$", description="the node that received it")
    target: str = Field(pattern=r"^\d{6}$", description="the node that sent it")
    table_id: UUID
    outcome: str = Field(pattern=r"^(applied|duplicate|refused|parked)$")
    reason: str | None = Field(default=None, max_length=20_000)
    occurred_at: datetime


def encode_receipt(receipt: Receipt) -> bytes:
    return receipt.model_dump_json(by_alias=True).encode()


def decode_receipt(value: bytes | str) -> Receipt:
    try:
        return Receipt.model_validate_json(value)
    except ValidationError as error:
        raise MessageInvalid(f"not a valid jixiao receipt: {error.errors()[0]['msg']}") from None
