"""Across roadmaps: an owner's actions (and the roadmaps a person reviews independently) and the staff's
list of roadmaps (a fixed number of queries each)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consortium.db import db
from consortium.permissions import Permission, require
from safeguards.models import Assessment, Pilot
from safeguards.roadmap.models import Action, Roadmap, RoadmapReviewer
from safeguards.roadmap.worklist import owned_by
from safeguards.views import bp

LIMIT = 200


@bp.route("/safeguards/roadmaps/mine")
@require()
def my_actions():
    """The actions that the signed-in person's organisations own or co-own, soonest due first."""
    rows = db.session.scalars(
        sa.select(Action)
        .where(owned_by(current_user))
        .options(joinedload(Action.owner))
        .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
        .limit(LIMIT)
    ).all()
    reviewing = db.session.scalars(
        sa.select(Roadmap)
        .join(RoadmapReviewer, RoadmapReviewer.roadmap_id == Roadmap.id)
        .where(RoadmapReviewer.user_id == current_user.id)
        .options(joinedload(Roadmap.assessment).joinedload(Assessment.pilot))
        .order_by(Roadmap.id)
        .limit(LIMIT)
    ).all()
    return render_template("safeguards/roadmap/mine.html", actions=rows, reviewing=reviewing)


@bp.route("/safeguards/roadmaps")
@require(Permission.SAFEGUARDS_ROADMAP_VALIDATE)
def roadmaps():
    """Every roadmap with its pilot, cycle and state, for the staff who validate them."""
    rows = db.session.scalars(
        sa.select(Roadmap)
        .options(joinedload(Roadmap.assessment).joinedload(Assessment.pilot).joinedload(Pilot.system))
        .order_by(Roadmap.updated_at.desc())
        .limit(LIMIT)
    ).all()
    return render_template("safeguards/roadmap/list.html", roadmaps=rows)
