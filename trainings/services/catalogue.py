"""The trainings on offer: creating, editing, publishing and cancelling them, and listing them.

Changes that move seats (a raised capacity, a cancellation) lock the training's row first, as in
``registrations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa

from consortium import signals, transaction
from consortium.db import db, utcnow
from consortium.users.models import User
from trainings.models import (
    ACTIVE_STATES,
    ApprovalMode,
    Modality,
    Training,
    TrainingSession,
    TrainingState,
)
from trainings.services.notifications import notify
from trainings.services.registrations import fill_free_seats
from trainings.services.seats import registrations_in

Sessions = list[tuple[datetime, datetime]]

#: Text columns that hold "" rather than NULL when left empty.
TEXT_FIELDS = ("venue", "city", "country", "online_url", "trainers")
ENUM_FIELDS = {"modality": Modality, "approval": ApprovalMode}


def training_fields(values: Mapping) -> dict:
    """The one mapping from input (the staff form, an API body) to a training's columns.

    Only the names given are returned, so a partial API update changes nothing else.
    """
    fields = dict(values)
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = fields[name] or ""
    for name, enum in ENUM_FIELDS.items():
        if name in fields:
            fields[name] = enum(fields[name])
    return fields


def _set_sessions(training: Training, sessions: Sessions) -> bool:
    """Replace the sessions when they differ; returns whether they changed. Keeps attended sessions."""
    wanted = sorted(sessions)
    current = [(s.starts_at, s.ends_at) for s in training.sessions]
    if current == wanted:
        return False
    by_time = {(s.starts_at, s.ends_at): s for s in training.sessions}
    training.sessions = [
        by_time.get((start, end)) or TrainingSession(starts_at=start, ends_at=end) for start, end in wanted
    ]
    training.starts_at = wanted[0][0] if wanted else None
    training.ends_at = max(end for _, end in wanted) if wanted else None
    return True


def create_training(*, by: User | None, sessions: Sessions, **fields) -> Training:
    training = Training(created_by_id=by.id if by else None, **fields)
    _set_sessions(training, sessions)
    db.session.add(training)
    db.session.flush()
    signals.state_changed.send(training, action="trainings.training_created", by=by)
    return training


#: Changes that people who registered must hear about.
NOTIFY_ON = ("venue", "city", "country", "online_url", "modality", "timezone")


def update_training(training: Training, *, by: User | None, sessions: Sessions | None = None, **fields):
    """Apply edits; tell active registrants when dates or place changed; fill seats a raise freed."""
    changed = False
    for name, value in fields.items():
        if getattr(training, name) != value:
            changed = changed or name in NOTIFY_ON
            setattr(training, name, value)
    if sessions is not None:
        changed = _set_sessions(training, sessions) or changed
    db.session.flush()  # first, so the version counter still catches an edit saved in between
    training = transaction.lock(Training, training.id)
    promoted = fill_free_seats(training)
    if changed and training.state is TrainingState.PUBLISHED:
        for registration in registrations_in(training, ACTIVE_STATES):
            if registration not in promoted:
                notify(registration, "changed")
    signals.state_changed.send(training, action="trainings.training_updated", by=by)
    return training


def publish(training: Training, *, by: User | None) -> None:
    training = transaction.lock(Training, training.id)
    training.state = TrainingState.PUBLISHED
    db.session.flush()
    signals.state_changed.send(training, action="trainings.training_published", by=by)


def cancel_training(training: Training, *, by: User | None) -> int:
    """Cancel and tell everyone who registered and has not left. Returns how many were told."""
    training = transaction.lock(Training, training.id)  # registrations after this one are refused
    training.state = TrainingState.CANCELLED
    db.session.flush()
    told = 0
    for registration in registrations_in(training, ACTIVE_STATES):
        notify(registration, "training_cancelled")
        told += 1
    signals.state_changed.send(training, action="trainings.training_cancelled", by=by)
    return told


def catalogue_query(
    *,
    past: bool = False,
    topic: str | None = None,
    modality: str | None = None,
    country: str | None = None,
    language: str | None = None,
    include_drafts: bool = False,
):
    now = utcnow()
    query = sa.select(Training)
    if not include_drafts:
        query = query.where(Training.state != TrainingState.DRAFT)
    if past:
        query = query.where(Training.ends_at < now).order_by(Training.starts_at.desc(), Training.id.desc())
    else:
        query = query.where(sa.or_(Training.ends_at >= now, Training.ends_at.is_(None))).order_by(
            Training.starts_at, Training.id
        )
    if modality:
        query = query.where(Training.modality == modality)
    if country:
        query = query.where(Training.country == country)
    if language:
        query = query.where(Training.instruction_language == language)
    if topic:
        # JSON lists differ between databases; matching the quoted code in the text works on both.
        query = query.where(sa.cast(Training.topics, sa.String).like(f'%"{topic}"%'))
    return query
