"""The weights (分值) of a self-evaluation's lines: how they are written, and the defaults
when a table gives none."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from domain import vocabulary
from domain.reports import Basis
from domain.scoring import CENT, EvaluationRules, ScoringInvalid
from domain.values import Bound

# A weight (分值) or a line's score: to the cent, as the form prints them, and below 1000.
# Weights to the cent add up exactly and score exactly, so a form that meets every target
# totals the full score.
POINTS = Bound(vocabulary.BOUND_NAMES["points"], integer_digits=3, decimals=2)


class Weighed(Protocol):
    """A line of a self-evaluation, as far as its weight goes."""

    @property
    def indicator_id(self) -> str: ...

    @property
    def weight(self) -> Decimal | None: ...


def check_points(field: str, points: Decimal | None) -> None:
    """The rule ``POINTS`` for a weight or a score given as ``field``."""
    problem = None if points is None else POINTS.problem(points)
    if problem is not None:
        raise ScoringInvalid(field, f"{field}: {problem}")


def default_weights(level1_codes: Sequence[str], rules: EvaluationRules) -> list[Decimal]:
    """Weights for indicators with level-1 ``level1_codes``, when a table gives none.

    Each group's default share is split evenly inside it, to the cent, the first lines taking
    any remaining cent. A group the table does not have gives its share to the others in
    proportion, so the weights always add up to the indicator weight.
    """
    shares = dict(rules.default_weights)
    groups = [_group_of(code, shares) for code in level1_codes]
    present = {group: shares[group] for group in dict.fromkeys(groups)}
    if not present:
        return []
    scale = rules.indicator_weight / sum(present.values())
    weights: list[Decimal] = [Decimal(0)] * len(groups)
    group_totals = _split(rules.indicator_weight, [present[group] * scale for group in present])
    for group, total in zip(present, group_totals, strict=True):
        members = [index for index, item in enumerate(groups) if item == group]
        for index, weight in zip(members, _split(total, [Decimal(1)] * len(members)), strict=True):
            weights[index] = weight
    return weights


def _group_of(code: str, shares: dict[str, Decimal]) -> str:
    if code in shares:
        return code
    return "output" if "output" in shares else next(iter(shares))


def _split(total: Decimal, parts: Sequence[Decimal]) -> list[Decimal]:
    """``total`` in cents shared in proportion to ``parts``; the first take any odd cents."""
    whole = sum(parts)
    floors = [(total * part / whole).quantize(CENT, rounding="ROUND_DOWN") for part in parts]
    left = int((total - sum(floors)) / CENT)
    return [floor + (CENT if index < left else 0) for index, floor in enumerate(floors)]


def weights_of(basis: Basis, lines: Sequence[Weighed], rules: EvaluationRules) -> list[Decimal]:
    """The weights the form gives (every indicator's, adding up) or the defaults."""
    given = {line.indicator_id: line.weight for line in lines if line.weight is not None}
    if not given:
        return default_weights([target.level1_code for target in basis.targets], rules)
    missing = [target.name for target in basis.targets if target.indicator_id not in given]
    if missing:
        raise ScoringInvalid(
            "lines.weight",
            "give a weight (分值) for every indicator or for none; missing: " + ", ".join(missing),
        )
    negative = [key for key, weight in given.items() if weight < 0]
    if negative:
        raise ScoringInvalid(f"lines.{negative[0]}.weight", "a weight cannot be negative")
    total = sum(given.values(), Decimal(0))
    if total != rules.indicator_weight:
        raise ScoringInvalid(
            "lines.weight",
            f"the indicator weights add up to {total}; they must add up to "
            f"{rules.indicator_weight}",
        )
    return [given[target.indicator_id] for target in basis.targets]
