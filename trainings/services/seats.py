"""Seats and the waiting list: the counters that stop overbooking, and each person's place in the queue.

A confirmed seat that its person gives up is held for them for a few minutes (``hold_seat``), still
counted, so they can undo; when the hold ends the seat goes to the waiting list as any freed seat.

Everything that changes a seat runs with the training's row locked (``transaction.lock``) by its caller in
``registrations`` or ``catalogue``. Seats are counted in ``trainings.confirmed_count``, changed by
conditional UPDATEs (``... WHERE confirmed_count < capacity``) that bypass the training's version counter,
so taking a seat never makes a staff edit look stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from consortium.db import db, utcnow
from trainings.models import (
    Registration,
    RegistrationState,
    Training,
)


def registrations_in(training: Training, states: Iterable[RegistrationState]) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.training_id == training.id, Registration.state.in_(list(states)))
            .options(sa.orm.joinedload(Registration.user))
            .order_by(Registration.id)
        )
    )


def take_seat(training_id: int) -> bool:
    """Take one seat; False when the training is full."""
    result = db.session.execute(
        sa.update(Training)
        .where(Training.id == training_id, Training.confirmed_count < Training.capacity)
        .values(confirmed_count=Training.confirmed_count + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release_seat(training_id: int) -> None:
    db.session.execute(
        sa.update(Training)
        .where(Training.id == training_id, Training.confirmed_count > 0)
        .values(confirmed_count=Training.confirmed_count - 1)
        .execution_options(synchronize_session=False)
    )


def organisation_full(training: Training, organisation_id: int | None) -> bool:
    """The organisation's confirmed seats, and those held for someone who may still undo, reach its limit."""
    if not training.seats_per_organisation or organisation_id is None:
        return False
    confirmed = db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.training_id == training.id,
            Registration.organisation_id == organisation_id,
            sa.or_(
                Registration.state == RegistrationState.CONFIRMED, Registration.seat_held_until.is_not(None)
            ),
        )
    )
    return confirmed >= training.seats_per_organisation


def hold_seat(registration: Registration, until: datetime) -> None:
    """Keep a given-up seat counted for its person until ``until`` (they may undo until then)."""
    registration.seat_held_until = until
    db.session.flush()


def end_hold(registration: Registration) -> None:
    """The person will not undo: the held seat is free again (the caller fills it from the waiting list)."""
    registration.seat_held_until = None
    db.session.flush()
    release_seat(registration.training_id)


def expired_holds(training: Training, now: datetime) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration).where(
                Registration.training_id == training.id,
                Registration.seat_held_until.is_not(None),
                Registration.seat_held_until <= now,
            )
        )
    )


def confirm(registration: Registration) -> None:
    registration.state = RegistrationState.CONFIRMED
    registration.confirmed_at = utcnow()
    registration.waitlisted_at = None
    db.session.flush()


def seat_or_waitlist(registration: Registration) -> RegistrationState:
    training = registration.training
    if not organisation_full(training, registration.organisation_id) and take_seat(training.id):
        confirm(registration)
    else:
        registration.state = RegistrationState.WAITLISTED
        registration.waitlisted_at = registration.waitlisted_at or utcnow()
        db.session.flush()
    return registration.state


def waitlist_position(registration: Registration) -> int | None:
    if registration.state is not RegistrationState.WAITLISTED:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.training_id == registration.training_id,
            Registration.state == RegistrationState.WAITLISTED,
            sa.or_(
                Registration.waitlisted_at < registration.waitlisted_at,
                sa.and_(
                    Registration.waitlisted_at == registration.waitlisted_at,
                    Registration.id < registration.id,
                ),
            ),
        )
    )
    return ahead + 1


def claim_training_once(training_id: int, column, now) -> bool:
    """Set a training's "done at" ``column`` (e.g. ``Training.reminder_sent_at``) if nobody has yet.

    One atomic UPDATE decides, so two cron runs at once never send the same batch twice.
    """
    return bool(
        db.session.execute(
            sa.update(Training)
            .where(Training.id == training_id, column.is_(None))
            .values({column: now})
            .execution_options(synchronize_session=False)
        ).rowcount
    )
