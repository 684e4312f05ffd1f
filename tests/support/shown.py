"""Comparing what an old release showed with what today's code shows of the same store.

Today's views may say more than an old release's (new fields), never something else: every
field the old release showed must be there, with the same value.
"""

from __future__ import annotations

from typing import Any


def differences(shown: Any, found: Any, path: str = "") -> list[str]:
    """Where ``found`` does not show what ``shown`` did, as ``path: shown → found``."""
    if isinstance(shown, dict) and isinstance(found, dict):
        problems: list[str] = []
        for key, value in shown.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in found:
                problems.append(f"{where}: shown before, missing now")
            else:
                problems += differences(value, found[key], where)
        return problems
    if isinstance(shown, list) and isinstance(found, list):
        if len(shown) != len(found):
            return [f"{path}: {len(shown)} items before, {len(found)} now"]
        problems = []
        for index, (before, now) in enumerate(zip(shown, found, strict=True)):
            problems += differences(before, now, f"{path}[{index}]")
        return problems
    return [] if shown == found else [f"{path}: {shown!r} → {found!r}"]
