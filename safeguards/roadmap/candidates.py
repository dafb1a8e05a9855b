"""Which items of an approved assessment are roadmap candidates, in which order, and the priority matrix.

A candidate is an in-scope item whose value (the reviewed rating where the reviewers set one, else the
team's) is below 3 ("implemented"), "don't know" included (it counts as 0, as in ``scoring``). They are
sorted by severity (the lower value first), then by the highest exposure among the item's linked risks,
then red-flagged principles first, then in the framework's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguards import framework as fw
from safeguards import scoring, services
from safeguards.models import AnswerStatus, Assessment
from safeguards.roadmap.models import Priority, Roadmap

LOW_BELOW = 3
LEVELS = (1, 2, 3)  # urgency and feasibility: low, medium, high


@dataclass
class Candidate:
    item: services.Item
    value: int
    exposure: float | None
    red_flag: bool
    rating: Priority | None  # the team's urgency, feasibility, choice and rationale (None: not rated)

    @property
    def code(self) -> str:
        return self.item.process.code

    @property
    def is_unknown(self) -> bool:
        answer = self.item.answer
        return answer.status is AnswerStatus.UNKNOWN and answer.reviewed_rating is None


def item_value(item: services.Item) -> int | None:
    answer = item.answer
    if answer.reviewed_rating is not None:
        return answer.reviewed_rating
    return scoring.item_value(answer.status.value, answer.rating)


def candidates(assessment: Assessment, roadmap: Roadmap | None = None) -> list[Candidate]:
    """The sorted candidates of ``assessment``, each with its saved rating from ``roadmap``."""
    idx = fw.index(assessment.framework_id)
    items = services.items(assessment, idx)
    _self, reviewed = services.scores(idx, items)
    rated = {p.process_code: p for p in (roadmap.priorities if roadmap else [])}
    found = []
    for item in items:
        value = item_value(item) if item.in_scope else None
        if value is None or value >= LOW_BELOW:
            continue
        exposures = [e for code in item.process.risks if (e := reviewed.risks.get(code)) is not None]
        found.append(
            Candidate(
                item,
                value,
                max(exposures, default=None),
                item.process.principle in reviewed.red_flag_principles,
                rated.get(item.process.code),
            )
        )
    order = {p.code: n for n, p in enumerate(idx.processes)}
    found.sort(key=lambda c: (c.value, -(c.exposure or 0), not c.red_flag, order[c.code]))
    return found


def matrix(found: list[Candidate]) -> dict:
    """Rated candidates by (urgency, feasibility): the SVG's cells and the equivalent table's."""
    cells: dict[tuple[int, int], list[Candidate]] = {(u, f): [] for u in LEVELS for f in LEVELS}
    for candidate in found:
        rating = candidate.rating
        if rating is not None and rating.urgency in LEVELS and rating.feasibility in LEVELS:
            cells[(rating.urgency, rating.feasibility)].append(candidate)
    size = 110
    return {
        "cells": cells,
        "size": size,
        # urgency grows upwards, feasibility to the right: the top right cell is "do first"
        "boxes": [
            {
                "urgency": u,
                "feasibility": f,
                "x": 40 + (f - 1) * size,
                "y": 10 + (3 - u) * size,
                "items": cells[(u, f)],
            }
            for u in LEVELS
            for f in LEVELS
        ],
        "rated": sum(len(v) for v in cells.values()),
    }
