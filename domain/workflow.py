"""The lifecycle of a table: draft → submitted → approved, with returns and adjustments."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import TableLocked, TransitionRefused
from domain.model import Status


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    OPEN_ADJUSTMENT = "open an adjustment of"


EDITABLE = frozenset({Status.DRAFT, Status.RETURNED, Status.ADJUSTING})

TRANSITIONS: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.SUBMIT: (EDITABLE, Status.SUBMITTED),
    Action.RETURN: (frozenset({Status.SUBMITTED}), Status.RETURNED),
    Action.APPROVE: (frozenset({Status.SUBMITTED}), Status.APPROVED),
    Action.OPEN_ADJUSTMENT: (frozenset({Status.APPROVED}), Status.ADJUSTING),
}


def check_editable(status: Status) -> None:
    if status not in EDITABLE:
        raise TableLocked(status.value)


def next_status(status: Status, action: Action) -> Status:
    """The status ``action`` leads to from ``status``, or ``TransitionRefused``."""
    allowed_from, target = TRANSITIONS[action]
    if status not in allowed_from:
        raise TransitionRefused(action.value, status.value)
    return target
