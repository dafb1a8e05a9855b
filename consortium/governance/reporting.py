"""What a consultation owes and what it produced: the institutions' response debt and the "you said, we
did" report (page, CSV and API read the same rows)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from consortium.db import db, utcnow
from consortium.governance import policies
from consortium.governance.contribution_models import Contribution, Response, response_contributions
from consortium.governance.models import (
    CONTRIBUTING_ROLES,
    Consultation,
    ConsultationState,
    Seat,
    SeatRole,
    Section,
    Space,
    today_in,
)
from consortium.governance.services.responses import response_for
from consortium.organisations.models import Organisation

#: where a response is still owed (published consultations have one for every contribution)
OWING_STATES = (ConsultationState.OPEN, ConsultationState.CLOSED, ConsultationState.RESPONDING)


def response_debt(space: Space, *, consultation_id: int | None = None, now: datetime | None = None):
    """[(organisation name, contributions without an approved response past the due date)], largest
    first, in one query. A drafted response owes it to the drafter's organisation; a contribution nobody
    drafted for yet is owed by every organisation that answers for the space (its answering seats)."""
    now = now or utcnow()
    today = today_in(space.timezone, now)
    values = {"space_id": space.id, "now": now, "today": today, "consultation_id": consultation_id}
    query = _debt_query(for_one_consultation=consultation_id is not None)
    return [(name, owed) for name, owed in db.session.execute(query, values).all()]


@functools.cache
def _debt_query(*, for_one_consultation: bool) -> sa.Select:
    """Built once per worker, its values bound: building it (an aliased response, the answering seats'
    conditions) took longer than PostgreSQL took to run it, on every space and consultation page."""
    response = sa.orm.aliased(Response)
    today = sa.bindparam("today", type_=sa.Date)
    answering = sa.and_(
        response.id.is_(None),
        Seat.space_id == Consultation.space_id,
        Seat.term_starts_on <= today,
        sa.or_(Seat.term_ends_on.is_(None), Seat.term_ends_on >= today),
        sa.or_(
            Seat.role == SeatRole.FOCAL_POINT,
            sa.and_(
                Seat.sector.in_(list(policies.ANSWERING_SECTORS)), Seat.role.in_(list(CONTRIBUTING_ROLES))
            ),
        ),
    )
    owed_by = sa.case((response.id.is_not(None), response.organisation_id), else_=Seat.organisation_id)
    query = (
        sa.select(Organisation.name, sa.func.count(sa.distinct(Contribution.id)).label("owed"))
        .select_from(Contribution)
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .outerjoin(response_contributions, response_contributions.c.contribution_id == Contribution.id)
        .outerjoin(response, response.id == response_contributions.c.response_id)
        .outerjoin(Seat, answering)
        .join(Organisation, Organisation.id == owed_by)
        .where(
            Consultation.space_id == sa.bindparam("space_id"),
            Contribution.published_clause(),
            Consultation.state.in_(OWING_STATES),
            Consultation.responses_due_at < sa.bindparam("now"),
            response.approved_at.is_(None),
        )
        .group_by(Organisation.id, Organisation.name)
        .order_by(sa.desc("owed"), Organisation.name)
    )
    if for_one_consultation:
        query = query.where(Consultation.id == sa.bindparam("consultation_id"))
    return query


@dataclass(frozen=True)
class ReportRow:
    contribution: Contribution
    response: Response | None  # None when it has none the viewer may read

    @property
    def summary(self) -> str:
        body = " ".join(self.contribution.body.split())
        return body if len(body) <= 280 else body[:279] + "…"

    @property
    def kind(self):
        return self.contribution.kind


def report_rows(consultation: Consultation, viewer) -> list[ReportRow]:
    """Every published contribution in document order, with the response the viewer may read."""
    contributions = db.session.scalars(
        sa.select(Contribution)
        .join(Section, Section.id == Contribution.section_id)
        .where(Contribution.consultation_id == consultation.id, Contribution.published_clause())
        .options(
            joinedload(Contribution.author),
            joinedload(Contribution.organisation),
            joinedload(Contribution.section),
        )
        .order_by(Section.position, Contribution.id)
    ).all()
    responses = response_for(c.id for c in contributions)
    drafts = policies.sees_drafts(viewer, consultation)
    rows = []
    for contribution in contributions:
        response = responses.get(contribution.id)
        visible = response is not None and policies.response_is_visible(
            viewer, response, author_id=contribution.author_id, drafts=drafts
        )
        rows.append(ReportRow(contribution, response if visible else None))
    return rows
