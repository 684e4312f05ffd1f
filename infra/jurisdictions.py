"""The registry of jurisdictions by GB/T 2260 administrative code.

The table ships with the code (``infra/data/gbt2260.csv``: provinces, prefecture-level
divisions and counties, with their parents), so a node never needs the network to know
who its parent is.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
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


def named_in(text: str) -> list[Jurisdiction]:
    """The jurisdictions a name begins with, most specific first found: 江苏省生态环境厅 names
    江苏省, 江西省南昌市生态环境局 and 南昌市生态环境局 name 南昌市; a six-digit code names
    itself. Several where a name is shared; none for a name that names no place.

    A name starts from a province or a prefecture (a county's name alone, such as 城区 or
    矿区, is too often an ordinary word); counties are found under the place named before them.
    """
    text = text.strip()
    if text.isdigit() and text in _registry():
        return [_registry()[text]]
    found = _starting(text, _tops())
    while found:
        rest = text[len(found[0].name) :]
        deeper = _starting(rest, _children_by_name(tuple(item.code for item in found)))
        if not deeper:
            return found
        text, found = rest, deeper
    return []


def _starting(text: str, names: dict[str, list[Jurisdiction]]) -> list[Jurisdiction]:
    for length in range(min(len(text), _longest_name()), 1, -1):
        if text[:length] in names:
            return names[text[:length]]
    return []


@cache
def _longest_name() -> int:
    return max(len(item.name) for item in _registry().values())


@cache
def _tops() -> dict[str, list[Jurisdiction]]:
    return _by_name(item for item in _registry().values() if item.level != "county")


def _children_by_name(codes: tuple[str, ...]) -> dict[str, list[Jurisdiction]]:
    return _by_name(item for item in _registry().values() if item.parent in codes)


def _by_name(items: Iterable[Jurisdiction]) -> dict[str, list[Jurisdiction]]:
    names: dict[str, list[Jurisdiction]] = {}
    for item in items:
        names.setdefault(item.name, []).append(item)
    return names
