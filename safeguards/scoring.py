"""How scores work, as pure functions (no Flask, no database): the "How scores work" page explains these.

- item value = the rating 0-4; "don't know" counts as 0 (and is flagged); "not applicable" and
  unanswered items have no value;
- principle score = 100 x mean(values) / 4 over the principle's in-scope items that have a value,
  rounded to one decimal; no score when fewer than half of its in-scope items are answered ("not
  applicable" and "don't know" count as answered) or when none has a value;
- foundational / operational / overall = the mean of the (rounded) scored F / O / all principles,
  rounded to one decimal; level from the overall score; red flag when any F principle is below 25;
- risk exposure = 100 - mean(25 x value) over in-scope items linked to the risk that have a value;
- reviewed scores use the reviewer's rating wherever one is set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

RATED = "rated"
NOT_APPLICABLE = "not_applicable"
UNKNOWN = "unknown"
UNANSWERED = "unanswered"

CRITICAL, EMERGING, DEVELOPING, ADVANCED = "critical", "emerging", "developing", "advanced"
RED_FLAG_BELOW = 25.0


@dataclass(frozen=True)
class Item:
    """One in-scope item as scoring sees it."""

    principle: str
    status: str = UNANSWERED
    rating: int | None = None
    reviewed_rating: int | None = None
    risks: tuple[str, ...] = ()
    process: str = ""

    def reviewed(self) -> Item:
        """The item with the reviewer's rating in place of the team's, where the reviewer set one."""
        if self.reviewed_rating is None:
            return self
        return Item(
            self.principle, RATED, self.reviewed_rating, self.reviewed_rating, self.risks, self.process
        )


@dataclass(frozen=True)
class Scores:
    overall: float | None
    foundational: float | None
    operational: float | None
    level: str | None
    red_flag: bool
    red_flag_principles: tuple[str, ...]
    principles: dict[str, float | None]
    risks: dict[str, float | None]
    item_counts: dict[str, int] = field(default_factory=dict)
    unknown_count: int = 0


def round1(value: float) -> float:
    """Half-up rounding to one decimal (12.25 → 12.3), the way people round by hand."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def item_value(status: str, rating: int | None) -> int | None:
    if status == RATED and rating is not None:
        return rating
    if status == UNKNOWN:
        return 0
    return None


def is_answered(status: str) -> bool:
    return status in (RATED, NOT_APPLICABLE, UNKNOWN)


def principle_score(items: Sequence[Item]) -> float | None:
    if not items:
        return None
    answered = sum(1 for item in items if is_answered(item.status))
    if answered * 2 < len(items):
        return None
    values = [v for item in items if (v := item_value(item.status, item.rating)) is not None]
    if not values:
        return None
    return round1(100 * mean(values) / 4)


def level(score: float | None) -> str | None:
    if score is None:
        return None
    if score < 25:
        return CRITICAL
    if score < 50:
        return EMERGING
    if score < 75:
        return DEVELOPING
    return ADVANCED


def risk_exposure(items: Iterable[Item]) -> float | None:
    values = [25 * v for item in items if (v := item_value(item.status, item.rating)) is not None]
    return None if not values else round1(100 - mean(values))


def _rounded_mean(values: list[float]) -> float | None:
    result = mean(values)
    return None if result is None else round1(result)


def score(items: Iterable[Item], principle_codes: Sequence[str], risk_codes: Sequence[str] = ()) -> Scores:
    """Scores for one assessment's in-scope items, for every principle and risk of its framework."""
    items = list(items)
    by_principle: dict[str, list[Item]] = {code: [] for code in principle_codes}
    for item in items:
        by_principle.setdefault(item.principle, []).append(item)
    principles = {code: principle_score(group) for code, group in by_principle.items()}
    scored = {code: value for code, value in principles.items() if value is not None}
    foundational = _rounded_mean([v for code, v in scored.items() if code.startswith("F")])
    operational = _rounded_mean([v for code, v in scored.items() if code.startswith("O")])
    overall = _rounded_mean(list(scored.values()))
    flagged = tuple(code for code, v in scored.items() if code.startswith("F") and v < RED_FLAG_BELOW)
    risks = {code: risk_exposure(item for item in items if code in item.risks) for code in risk_codes}
    return Scores(
        overall=overall,
        foundational=foundational,
        operational=operational,
        level=level(overall),
        red_flag=bool(flagged),
        red_flag_principles=flagged,
        principles=principles,
        risks=risks,
        item_counts={code: len(group) for code, group in by_principle.items()},
        unknown_count=sum(1 for item in items if item.status == UNKNOWN),
    )


def self_and_reviewed(
    items: Iterable[Item], principle_codes: Sequence[str], risk_codes: Sequence[str] = ()
) -> tuple[Scores, Scores]:
    items = list(items)
    return (
        score(items, principle_codes, risk_codes),
        score([item.reviewed() for item in items], principle_codes, risk_codes),
    )
