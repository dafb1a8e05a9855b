"""Trainings' personal data for ``consortium.personal_data``: export, erasure on account deletion, purge.

Registrations, attendance and certificates outlive an account (reach statistics and certificate checks
need them); the answers a person gave when registering do not, and are purged after the training.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from consortium.db import db, utcnow
from consortium.personal_data import Keeper
from trainings.models import DisseminationReport, Registration, Training, TrainingSession
from trainings.services.documents import certificate_url

SENSITIVE = ("motivation", "accessibility_needs", "dietary_needs")


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user) -> dict:
    registrations = db.session.scalars(
        sa.select(Registration)
        .where(Registration.user_id == user.id)
        .options(
            sa.orm.joinedload(Registration.training),
            sa.orm.selectinload(Registration.attendances),
            sa.orm.selectinload(Registration.certificate),
        )
        .order_by(Registration.created_at)
    ).all()
    session_starts = dict(
        db.session.execute(
            sa.select(TrainingSession.id, TrainingSession.starts_at).where(
                TrainingSession.training_id.in_({r.training_id for r in registrations})
            )
        ).all()
    )
    reports = db.session.scalars(
        sa.select(DisseminationReport)
        .where(DisseminationReport.reported_by_id == user.id)
        .order_by(DisseminationReport.held_on)
    ).all()
    return {
        "registrations": [
            {
                "training": r.training.text("title", r.training.language)[0],
                "training_starts_at": _when(r.training.starts_at),
                "training_ends_at": _when(r.training.ends_at),
                "organisation": r.organisation.name if r.organisation else None,
                "state": r.state.value,
                "registered_at": _when(r.created_at),
                "confirmed_at": _when(r.confirmed_at),
                "cancelled_at": _when(r.cancelled_at),
                "completed_at": _when(r.completed_at),
                **{field: getattr(r, field) for field in SENSITIVE},
                "attended_sessions": sorted(_when(session_starts.get(a.session_id)) for a in r.attendances),
                "certificate": {
                    "code": r.certificate.code,
                    "issued_at": _when(r.certificate.issued_at),
                    "url": certificate_url(r.certificate),
                }
                if r.certificate
                else None,
            }
            for r in registrations
        ],
        "reports": [
            {
                "organisation": report.organisation.name,
                "held_on": report.held_on.isoformat(),
                "country": report.country,
                "language": report.language,
                "audience": report.audience_kind.value,
                "participants": report.participants,
                "topics": report.topics,
                "resources": report.resources,
                "notes": report.notes,
            }
            for report in reports
        ],
    }


def _erase_answers(*where) -> int:
    # Core UPDATE: the audit log needs no row per erased answer; the caller records one event for all.
    has_answers = sa.or_(*(getattr(Registration, field) != "" for field in SENSITIVE))
    return db.session.execute(
        sa.update(Registration).where(has_answers, *where).values(dict.fromkeys(SENSITIVE, ""))
    ).rowcount


def erase(user) -> None:
    """The person's answers go; their registrations stay for reach and certificate checks."""
    _erase_answers(Registration.user_id == user.id)


def purge() -> int:
    """Answers of trainings that ended more than ``PRIVACY_PURGE_AFTER_DAYS`` ago; how many registrations."""
    cutoff = utcnow() - timedelta(days=current_app.config["PRIVACY_PURGE_AFTER_DAYS"])
    ended = sa.select(Training.id).where(Training.ends_at < cutoff)
    return _erase_answers(Registration.training_id.in_(ended))


keeper = Keeper(export=export, erase=erase, purge=purge)
