"""Attendance per session, and the completion (and certificate) that follows from it."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.users.models import User
from trainings.models import (
    Attendance,
    Certificate,
    Registration,
    TrainingSession,
)
from trainings.services.documents import new_certificate_code


def set_attendance(registration: Registration, session: TrainingSession, present: bool, *, by: User) -> None:
    existing = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.registration_id == registration.id, Attendance.session_id == session.id
        )
    )
    if present and existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    Attendance(registration_id=registration.id, session_id=session.id, marked_by_id=by.id)
                )
        except sa.exc.IntegrityError:
            pass  # marked at the same moment on another phone
    elif not present and existing is not None:
        db.session.delete(existing)
    db.session.flush()
    _update_completion(registration)


def _update_completion(registration: Registration) -> None:
    training = registration.training
    total = len(training.sessions)
    attended = db.session.scalar(
        sa.select(sa.func.count()).where(Attendance.registration_id == registration.id)
    )
    completed = total > 0 and attended * 100 >= training.completion_percent * total
    if completed and registration.completed_at is None:
        registration.completed_at = utcnow()
        if registration.certificate is None:
            registration.certificate = Certificate(code=new_certificate_code())
    elif not completed and registration.completed_at is not None:
        registration.completed_at = None
        registration.certificate = None
    db.session.flush()
