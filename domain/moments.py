"""How a stored moment is shown: Beijing time, to the second, everywhere people read one.

Stored times are UTC ISO text; a time without a zone is taken as UTC, as the store writes them.
Where a time stands alone (CLI, replay sentences) it carries its label; pages and reports that
head a column or a caption with 北京时间 show the bare form.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from domain import vocabulary

SHOWN_ZONE = ZoneInfo("Asia/Shanghai")


def beijing_time(at: str | datetime) -> str:
    """``2026-12-08T01:30:00+00:00`` → ``2026-12-08 09:30:00``."""
    when = at if isinstance(at, datetime) else datetime.fromisoformat(at)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(SHOWN_ZONE).strftime("%Y-%m-%d %H:%M:%S")


def labelled_time(at: str | datetime) -> str:
    """``2026-12-08 09:30:00 北京时间``: a time that says which clock it is read on."""
    return f"{beijing_time(at)} {vocabulary.SHOWN_ZONE_LABEL}"
