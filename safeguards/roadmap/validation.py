"""Validation of a roadmap by a governance decision: the roadmaps a space of their pilot's system may
validate (``consortium.validations``), and the receiver of ``validation_decided`` that validates one
with the service staff use, in the decision's transaction, its audit row naming the decision."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.i18n import lazy_gettext as _l
from consortium.validations import Validatable, ValidationRefused
from safeguards.models import Assessment, Pilot
from safeguards.roadmap import planning
from safeguards.roadmap.models import EDITABLE, Action, ActionState, Priority, Roadmap
from safeguards.services import InvalidTransition

PREFIX = "safeguards.roadmap:"


def _ready():
    """``planning.validate``'s conditions as SQL: editable, a priority, and something to validate."""
    chosen = sa.select(Priority.id).where(Priority.roadmap_id == Roadmap.id, Priority.is_selected.is_(True))
    proposed = sa.select(Action.id).where(
        Action.roadmap_id == Roadmap.id, Action.state == ActionState.PROPOSED
    )
    return sa.and_(
        Roadmap.state.in_(EDITABLE), chosen.exists(), sa.or_(proposed.exists(), Roadmap.number > 1)
    )


def validatable(system_id: int) -> list[Validatable]:
    rows = db.session.execute(
        sa.select(Roadmap.id, Pilot.title, Assessment.cycle)
        .join(Assessment, Assessment.id == Roadmap.assessment_id)
        .join(Pilot, Pilot.id == Roadmap.pilot_id)
        .where(Pilot.system_id == system_id, _ready())
        .order_by(Pilot.title, Assessment.cycle)
    ).all()
    return [
        Validatable(
            f"{PREFIX}{row.id}",
            str(_l("Roadmap of %(pilot)s, cycle %(cycle)s", pilot=row.title, cycle=row.cycle)),
        )
        for row in rows
    ]


def on_validation_decided(decision, subject: str, by=None, **_) -> bool | None:
    if not subject.startswith(PREFIX):
        return None
    roadmap = db.session.get(Roadmap, int(subject.removeprefix(PREFIX)))
    try:
        planning.validate(roadmap, by=by, note=f"governance decision #{decision.id}")
    except (planning.RoadmapLocked, InvalidTransition):
        raise ValidationRefused() from None
    return True
