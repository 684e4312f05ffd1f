"""The registry of jurisdictions by GB/T 2260 administrative code.

The table ships with the code (``infra/data/gbt2260.csv``: provinces, prefecture-level
divisions and counties, with their parents), so a node never needs the network to know
who its parent is.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from domain.model import Jurisdiction


class UnknownJurisdiction(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"unknown jurisdiction code {code!r}: expected a GB/T 2260 code such as "
            "320000 (江苏省), 360000 (江西省) or 360100 (南昌市)"
        )
        self.code = code


@cache
def _registry() -> dict[str, Jurisdiction]:
    text = resources.files("infra").joinpath("data/gbt2260.csv").read_text(encoding="utf-8")
    return {
        row["code"]: Jurisdiction(row["code"], row["name"], row["level"], row["parent"] or None)
        for row in csv.DictReader(text.splitlines())
    }


def jurisdiction(code: str) -> Jurisdiction:
    try:
        return _registry()[code.strip()]
    except KeyError:
        raise UnknownJurisdiction(code) from None


def every_jurisdiction() -> dict[str, Jurisdiction]:
    """The whole registry, by code."""
    return dict(_registry())


def children_of(code: str) -> list[Jurisdiction]:
    return [item for item in _registry().values() if item.parent == code]


def ancestors_of(code: str) -> list[Jurisdiction]:
    """The jurisdictions above ``code``, nearest first."""
    found: list[Jurisdiction] = []
    parent = jurisdiction(code).parent
    while parent is not None:
        found.append(jurisdiction(parent))
        parent = found[-1].parent
    return found
