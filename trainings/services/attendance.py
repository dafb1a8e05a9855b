"""Attendance per session: marked from the session's start, corrected afterwards (audited).

Marking decides completion, and so the certificate (``certificates``), under the registration's row lock:
two phones marking the same person at once neither duplicate a row nor issue two certificates.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _

from consortium import signals, transaction
from consortium.db import db, utcnow
from consortium.users.models import User
from trainings.models import Attendance, Registration, TrainingSession
from trainings.services.certificates import update_completion


class AttendanceNotOpen(Exception):
    """Attendance for a session that has not started; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def set_attendance(
    registration: Registration,
    session: TrainingSession,
    present: bool,
    *,
    by: User,
    now: datetime | None = None,
) -> bool:
    """Mark ``registration`` present or absent at ``session``; returns whether anything changed."""
    now = now or utcnow()
    if now < session.starts_at:
        raise AttendanceNotOpen(
            _(
                "Attendance can be marked from the start of the session (%(when)s).",
                when=format_datetime(session.starts_at, "medium"),
            )
        )
    transaction.lock(Registration, registration.id)
    existing = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.registration_id == registration.id, Attendance.session_id == session.id
        )
    )
    changed = present != (existing is not None)
    if present and existing is None:
        db.session.add(Attendance(registration_id=registration.id, session_id=session.id, marked_by_id=by.id))
    elif not present and existing is not None:
        db.session.delete(existing)
    db.session.flush()
    if changed and now >= session.ends_at:  # after the session, a change is a correction: say so in the log
        signals.state_changed.send(
            registration,
            action="trainings.attendance_corrected",
            by=by,
            session_id=session.id,
            present=present,
        )
    update_completion(registration, now=now, by=by)
    return changed
