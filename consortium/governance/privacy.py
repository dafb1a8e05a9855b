"""Governance's personal data for ``consortium.personal_data``: a person's seats (with their declaration),
their contributions, the contributions they support, the spaces and consultations they follow and their
digests. When the account is deleted the seats, supports, follows and digest records go (nobody holds them
any more, and the declaration is theirs) while contributions and co-signatures stay in the public record,
no longer linked to the person."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.governance.activity import DigestClaim
from consortium.governance.contribution_models import Contribution, Cosignature, Support
from consortium.governance.models import Seat
from consortium.governance.records import ConsultationFollow, SpaceFollow
from consortium.governance.services.responses import response_for
from consortium.personal_data import Keeper


def export(user) -> dict:
    seats = db.session.scalars(sa.select(Seat).where(Seat.user_id == user.id).order_by(Seat.id)).all()
    contributions = db.session.scalars(
        sa.select(Contribution).where(Contribution.author_id == user.id).order_by(Contribution.id)
    ).all()
    responses = response_for(c.id for c in contributions)
    follows = db.session.scalars(
        sa.select(SpaceFollow).where(SpaceFollow.user_id == user.id).order_by(SpaceFollow.id)
    ).all()
    supports = db.session.scalars(
        sa.select(Support.contribution_id).where(Support.user_id == user.id).order_by(Support.id)
    ).all()
    followed = db.session.scalars(
        sa.select(ConsultationFollow)
        .where(ConsultationFollow.user_id == user.id)
        .order_by(ConsultationFollow.id)
    ).all()
    return {
        "supports": [{"contribution_id": contribution_id} for contribution_id in supports],
        "follows": [
            {"space_id": f.space_id, "since": f.created_at.isoformat(), "digest": f.frequency.value}
            for f in follows
        ],
        "consultation_follows": [
            {
                "consultation_id": f.consultation_id,
                "since": f.created_at.isoformat(),
                "digest": f.frequency.value,
            }
            for f in followed
        ],
        "seats": [
            {
                "space": seat.space.slug,
                "sector": seat.sector.value,
                "role": seat.role.value,
                "term_starts_on": seat.term_starts_on.isoformat(),
                "term_ends_on": seat.term_ends_on.isoformat() if seat.term_ends_on else None,
                "interests": seat.interests,
            }
            for seat in seats
        ],
        "contributions": [
            {
                "consultation": c.consultation.title,
                "kind": c.kind.value,
                "language": c.language,
                "body": c.body,
                "created_at": c.created_at.isoformat(),
                "response": responses[c.id].disposition.value
                if c.id in responses and responses[c.id].published_at
                else None,
            }
            for c in contributions
        ],
    }


def erase(user) -> None:
    for model in (SpaceFollow, ConsultationFollow, DigestClaim):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    db.session.execute(sa.delete(Seat).where(Seat.user_id == user.id))
    db.session.execute(sa.delete(Support).where(Support.user_id == user.id))
    db.session.execute(sa.update(Cosignature).where(Cosignature.user_id == user.id).values(user_id=None))
    db.session.execute(
        sa.update(Contribution).where(Contribution.author_id == user.id).values(author_id=None)
    )
    db.session.flush()


keeper = Keeper(export=export, erase=erase)
