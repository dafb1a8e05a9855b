"""What /home shows a pilot team member: their pilots, each with its latest cycle and its state."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from consortium.db import db
from consortium.worklist import Entry, Section
from safeguards.models import Assessment, Pilot, PilotMember

HOME_LIMIT = 10  # the full list is on /safeguards


def my_pilots(user) -> Section | None:
    """One statement: the user's pilots joined to their latest cycle; nothing for someone in no pilot."""
    latest = (
        sa.select(Assessment.pilot_id, sa.func.max(Assessment.cycle).label("cycle"))
        .group_by(Assessment.pilot_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Pilot.id, Pilot.title, PilotMember.role, Assessment.id, Assessment.cycle, Assessment.state)
        .join(PilotMember, PilotMember.pilot_id == Pilot.id)
        .outerjoin(latest, latest.c.pilot_id == Pilot.id)
        .outerjoin(Assessment, (Assessment.pilot_id == Pilot.id) & (Assessment.cycle == latest.c.cycle))
        .where(PilotMember.user_id == user.id)
        .order_by(Pilot.title, Pilot.id)
        .limit(HOME_LIMIT)
    ).all()
    if not rows:
        return None
    entries = []
    for pilot_id, title, role, assessment_id, cycle, state in rows:
        if assessment_id is None:
            url, detail, badge = url_for("safeguards.pilot", pilot_id=pilot_id), role.label, ""
        else:
            url = url_for("safeguards.assessment", assessment_id=assessment_id)
            detail = " · ".join([_("Cycle %(n)s", n=cycle), role.label])
            badge = state.label
        entries.append(Entry(title=title, url=url, detail=detail, badge=badge))
    return Section(title=_("Your pilots"), entries=entries, more_url=url_for("safeguards.index"), order=30)
