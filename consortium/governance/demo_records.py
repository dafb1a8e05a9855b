"""The demo's meeting and decision (``flask demo load``): a past plenary of the Pix space with its
attendance and minutes, and the validation it decided, answering the accepted contribution."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from consortium.db import db
from consortium.governance.contribution_models import (
    Contribution,
    Disposition,
    Response,
    response_contributions,
)
from consortium.governance.models import Consultation, Seat, Space
from consortium.governance.records import (
    DecisionKind,
    DecisionMethod,
    DecisionVote,
    Meeting,
    MeetingAttendance,
    Position,
    SpaceDecision,
)

MINUTES = {
    "pt_BR": "## Presentes\n\nConvenor, membros e observadora.\n\n## Deliberação\n\n"
    "O espaço validou a proposta de mostrar apenas o primeiro nome do recebedor nas chaves Pix.",
    "en": "## Present\n\nThe convenor, members and the observer.\n\n## Deliberation\n\n"
    "The space validated the proposal to show only the payee's first name on Pix keys.",
}


def load_records(slug: str = "pix-brasil") -> int:
    """Add the meeting and decision once (0 when the space is missing or already has them)."""
    space = db.session.scalar(sa.select(Space).where(Space.slug == slug))
    if space is None or db.session.scalar(sa.select(Meeting.id).where(Meeting.space_id == space.id)):
        return 0
    space.timezone = "America/Sao_Paulo"
    seats = db.session.scalars(sa.select(Seat).where(Seat.space_id == space.id).order_by(Seat.id)).all()
    # a fixed past afternoon in Brasília (14:00-16:00, UTC-3), a week before the data is loaded
    day = (datetime.now(UTC) - timedelta(days=7)).date()
    starts_at = datetime(day.year, day.month, day.day, 17, tzinfo=UTC)
    meeting = Meeting(
        space_id=space.id,
        title="Plenária: dados pessoais nas chaves Pix",
        agenda="1. Contribuições recebidas\n2. Validação da proposta sobre o nome do recebedor",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        online_url="https://meet.example.org/pix-plenaria",
        place="Brasília",
        minutes=MINUTES,
        minutes_published_at=starts_at + timedelta(days=1),
    )
    db.session.add(meeting)
    db.session.flush()
    db.session.add_all(MeetingAttendance(meeting_id=meeting.id, seat_id=seat.id) for seat in seats)
    answered = db.session.scalars(
        sa.select(Contribution)
        .join(response_contributions, response_contributions.c.contribution_id == Contribution.id)
        .join(Response, Response.id == response_contributions.c.response_id)
        .where(
            Response.consultation_id.in_(_consultations(space)), Response.disposition == Disposition.ACCEPTED
        )
    ).all()
    positions = [Position.SUPPORTED] * (len(seats) - 1) + [Position.ABSTAINED]
    db.session.add(
        SpaceDecision(
            space_id=space.id,
            meeting_id=meeting.id,
            kind=DecisionKind.VALIDATION,
            method=DecisionMethod.VOTE,
            text="Validar: o aplicativo mostrará apenas o primeiro nome do recebedor ao confirmar um Pix.",
            rationale="A contribuição aceita mostrou que o nome completo e parte do CPF expõem o recebedor.",
            language="pt_BR",
            principles=["F4", "O3"],
            decided_at=meeting.ends_at,
            votes=[
                DecisionVote(seat_id=s.id, organisation_id=s.organisation_id, sector=s.sector, position=p)
                for s, p in zip(seats, positions, strict=False)
            ],
            contributions=list(answered),
        )
    )
    db.session.flush()
    return 1


def _consultations(space: Space):
    return sa.select(Consultation.id).where(Consultation.space_id == space.id)
