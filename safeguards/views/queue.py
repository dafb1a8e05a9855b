"""The staff work queue: every assessment by state, oldest waiting first; and what waits for each person."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from consortium.db import db, utcnow
from consortium.pagination import paginate
from consortium.permissions import Permission, can, require
from consortium.reference.systems import DpiSystem
from consortium.users.models import User
from consortium.worklist import WorkItem, counting
from safeguards.forms import QueueFilterForm
from safeguards.models import Assessment, AssessmentState, Pilot, PilotMember, TeamRole
from safeguards.views import bp

PAGE_SIZE = 25


def _reviewing(user_id: int) -> sa.Select:
    """The pilots on which ``user_id`` is a reviewer."""
    return sa.select(PilotMember.pilot_id).where(
        PilotMember.user_id == user_id, PilotMember.role == TeamRole.REVIEWER
    )


def _filter_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    systems = db.session.execute(sa.select(DpiSystem.id, DpiSystem.name).order_by(DpiSystem.name)).all()
    reviewers = db.session.execute(
        sa.select(User.id, User.name)
        .where(User.id.in_(sa.select(PilotMember.user_id).where(PilotMember.role == TeamRole.REVIEWER)))
        .order_by(User.name)
    ).all()
    return [tuple(row) for row in systems], [tuple(row) for row in reviewers]


@bp.route("/safeguards/review")
@require(Permission.SAFEGUARDS_MANAGE)
def queue():
    systems, reviewers = _filter_choices()
    form = QueueFilterForm(request.args, systems=systems, reviewers=reviewers)
    form.validate()
    query = sa.select(Assessment).join(Assessment.pilot)
    if form.system.data:
        query = query.where(Pilot.system_id == form.system.data)
    if form.country.data:
        query = query.where(Pilot.country == form.country.data)
    if form.cycle.data:
        query = query.where(Assessment.cycle == form.cycle.data)
    if form.reviewer.data:
        query = query.where(Assessment.pilot_id.in_(_reviewing(form.reviewer.data)))
    if form.waiting.data:
        query = query.where(Assessment.state_changed_at < utcnow() - timedelta(days=form.waiting.data))
    # the counts per state follow every filter but the state, so each tab says what choosing it shows
    counts = dict(
        db.session.execute(
            query.with_only_columns(Assessment.state, sa.func.count()).group_by(Assessment.state)
        ).all()
    )
    if form.state.data:
        query = query.where(Assessment.state == AssessmentState(form.state.data))
    page = paginate(
        query.options(
            joinedload(Assessment.pilot).joinedload(Pilot.system),
            joinedload(Assessment.pilot).selectinload(Pilot.members).joinedload(PilotMember.user),
        ).order_by(Assessment.state_changed_at, Assessment.id),
        PAGE_SIZE,
    )
    return render_template(
        "safeguards/queue.html",
        form=form,
        page=page,
        counts=[(state, counts.get(state, 0)) for state in AssessmentState],
        now=utcnow(),
    )


def work_items(user) -> list[WorkItem]:
    """The worklist provider: submissions waiting for this reviewer, approvals waiting to be published."""
    if not getattr(user, "is_staff", False):  # reviewers are staff; nothing waits for anyone else here
        return []
    area = _("Safeguards")
    waiting = sa.select(Assessment.id).where(
        Assessment.state == AssessmentState.SUBMITTED, Assessment.pilot_id.in_(_reviewing(user.id))
    )
    items = [
        WorkItem(
            _("Submissions to review"),
            counting(waiting),
            url_for("safeguards.queue", state=AssessmentState.SUBMITTED.value, reviewer=user.id),
            area,
        )
    ]
    if can(Permission.SAFEGUARDS_MANAGE, user=user):
        approved = sa.select(Assessment.id).where(Assessment.state == AssessmentState.APPROVED)
        items.append(
            WorkItem(
                _("Approved assessments to publish"),
                counting(approved),
                url_for("safeguards.queue", state=AssessmentState.APPROVED.value),
                area,
            )
        )
    return items
