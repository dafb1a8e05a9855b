"""What governance offers the kernel's registries: the contributions waiting for a convenor's official
response, on their /home ("waiting for you") and in the daily digest (``consortium.worklist``)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import url_for

from consortium.db import db
from consortium.governance.models import Consultation, ConsultationState, Contribution, Seat, SeatRole
from consortium.i18n import fast_gettext as _
from consortium.worklist import WorkItem


def responses_waiting(user) -> list[WorkItem]:
    """One query: per open consultation of a space where the user convenes now, its unanswered ones."""
    if not user or not user.is_authenticated:
        return []
    today = date.today()
    rows = db.session.execute(
        sa.select(Contribution.consultation_id, sa.func.count())
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .join(Seat, Seat.space_id == Consultation.space_id)
        .where(
            Seat.user_id == user.id,
            Seat.role == SeatRole.CONVENOR,
            Seat.term_starts_on <= today,
            sa.or_(Seat.term_ends_on.is_(None), Seat.term_ends_on >= today),
            Consultation.state == ConsultationState.OPEN,
            Contribution.answered_at.is_(None),
        )
        .group_by(Contribution.consultation_id)
        .order_by(Contribution.consultation_id)
    ).all()
    return [
        WorkItem(
            label=_("Contributions waiting for your official response"),
            count=count,
            url=url_for("governance.consultation", consultation_id=consultation_id),
            area=_("Governance spaces"),
        )
        for consultation_id, count in rows
    ]
