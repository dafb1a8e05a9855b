"""Open pages: the landing page, how scores work and the framework."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template
from flask_login import current_user
from sqlalchemy.orm import joinedload

from consortium.db import db
from consortium.permissions import public
from safeguards import framework as fw
from safeguards import services
from safeguards.models import PUBLIC, Assessment, AssessmentState, DpiSystem, Pilot
from safeguards.views import bp


@bp.route("/safeguards")
@public
def index():
    public_ = db.session.scalars(
        sa.select(Assessment)
        .where(Assessment.state.in_(PUBLIC))
        .options(joinedload(Assessment.pilot).joinedload(Pilot.system), joinedload(Assessment.framework))
        .order_by(Assessment.published_at.desc())
    ).all()
    published = [a for a in public_ if a.state is AssessmentState.PUBLISHED]
    systems = db.session.scalars(sa.select(DpiSystem).order_by(DpiSystem.name)).all()
    return render_template(
        "safeguards/index.html",
        published=published,
        withdrawn=[a for a in public_ if a.state is AssessmentState.WITHDRAWN],
        systems=systems,
        pilots=services.pilots_for(current_user),
        current_framework=fw.latest(),
    )


@bp.route("/safeguards/how-scores-work")
@public
def how_scores_work():
    return render_template("safeguards/how_scores_work.html", framework=fw.latest())


@bp.route("/safeguards/framework/<version>")
@public
def framework_page(version: str):
    framework = fw.by_version(version)
    if framework is None:
        abort(404)
    return render_template("safeguards/framework.html", idx=fw.index(framework.id))
