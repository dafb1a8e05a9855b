"""The public tracker's figures: actions by state, milestone progress, overdue actions per owner
organisation, and, once the pilot's next cycle is published, each principle's score change beside the
actions completed for it. Two queries whatever the roadmap's size (its actions, the next cycle), and
that cycle's scores when there is one."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from consortium.db import db
from consortium.organisations.models import Organisation
from safeguards import framework as fw
from safeguards import services
from safeguards.models import Assessment, AssessmentState
from safeguards.roadmap.models import Action, ActionState, Milestone, Roadmap

#: Finished actions are never overdue, whatever their due date.
FINISHED = (ActionState.COMPLETED, ActionState.DROPPED)


@dataclass(frozen=True)
class OwnerDelays:
    organisation: str
    overdue: int
    actions: int


@dataclass(frozen=True)
class PrincipleChange:
    code: str
    label: str
    before: float | None
    after: float | None
    completed: list[dict]

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)


def action_rows(roadmap_id: int) -> list[sa.Row]:
    """Each action's id, state, drop reason, due date, owner's name and milestones (done, in all), in one
    query: the tracker's states, progress bars and overdue counts all read these rows."""
    done = (
        sa.select(sa.func.count())
        .where(Milestone.action_id == Action.id, Milestone.is_done.is_(True))
        .scalar_subquery()
    )
    total = sa.select(sa.func.count()).where(Milestone.action_id == Action.id).scalar_subquery()
    return db.session.execute(
        sa.select(
            Action.id,
            Action.state,
            Action.drop_reason,
            Action.due_on,
            Organisation.name.label("owner"),
            done.label("done"),
            total.label("milestones"),
        )
        .join(Organisation, Organisation.id == Action.owner_id)
        .where(Action.roadmap_id == roadmap_id)
        .order_by(Action.id)
    ).all()


def state_counts(states: dict[int, ActionState]) -> list[tuple[ActionState, int]]:
    """How many actions are in each state, in the states' order, empty states left out."""
    counts = Counter(states.values())
    return [(state, counts[state]) for state in ActionState if counts[state]]


def milestone_progress(rows) -> dict[int, tuple[int, int]]:
    """Each action's (milestones done, milestones in all), by action id; actions without any are absent."""
    return {row.id: (row.done, row.milestones) for row in rows if row.milestones}


def overdue_by_owner(rows, today: date) -> list[OwnerDelays]:
    """Per owner organisation: its overdue actions (past due, not finished) beside all it owns, the most
    overdue first."""
    owned, late = Counter(), Counter()
    for row in rows:
        owned[row.owner] += 1
        if row.due_on is not None and row.due_on < today and row.state not in FINISHED:
            late[row.owner] += 1
    return sorted(
        (OwnerDelays(name, late[name], total) for name, total in owned.items()),
        key=lambda delays: (-delays.overdue, delays.organisation),
    )


def next_cycle(roadmap: Roadmap) -> Assessment | None:
    """The pilot's first published assessment after the one the roadmap was made from."""
    return db.session.scalar(
        sa.select(Assessment)
        .where(
            Assessment.pilot_id == roadmap.pilot_id,
            Assessment.cycle > roadmap.assessment.cycle,
            Assessment.state == AssessmentState.PUBLISHED,
        )
        .order_by(Assessment.cycle)
        .limit(1)
    )


def _principle_scores(assessment: Assessment, idx: fw.FrameworkIndex) -> dict[str, float | None]:
    self_, reviewed = services.scores(idx, services.items(assessment, idx))
    # the reviewed score where the review rated the principle, as the results page ranks them
    return {code: reviewed.principles.get(code) or self_.principles.get(code) for code in idx.principle_codes}


def principle_changes(
    roadmap: Roadmap, later: Assessment, plan: dict, states: dict[int, ActionState]
) -> list[PrincipleChange]:
    """Per principle: the score in the roadmap's cycle and in ``later``, with the completed actions that
    addressed it (named in the action, or through the processes it addresses)."""
    idx = fw.index(roadmap.assessment.framework_id)
    processes = idx.by_code()
    before = _principle_scores(roadmap.assessment, idx)
    later_idx = idx if later.framework_id == idx.framework.id else fw.index(later.framework_id)
    after = _principle_scores(later, later_idx)
    completed: dict[str, list[dict]] = {code: [] for code in idx.principle_codes}
    for action in plan.get("actions", []):
        if states.get(action["id"]) is not ActionState.COMPLETED:
            continue
        codes = set(action.get("principles") or [])
        for code in [action.get("priority"), *(action.get("processes") or [])]:
            if code in processes:
                codes.add(processes[code].principle)
        for code in codes & completed.keys():
            completed[code].append(action)
    return [
        PrincipleChange(p.code, p.label, before.get(p.code), after.get(p.code), completed[p.code])
        for p in idx.principles
    ]
