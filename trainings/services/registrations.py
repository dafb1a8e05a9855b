"""Registering people, staff's decisions on them, cancelling, and promoting the waiting list.

Everything that decides seats or a registration's state first locks the training's row with
``transaction.lock`` and only then reads and checks: capacity, the per-organisation limit, whether the
person is already registered, the registration's current state. Concurrent requests for one training so
take their turn, on PostgreSQL (``SELECT … FOR UPDATE``) and on SQLite (one writer at a time).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from consortium import signals, transaction
from consortium.db import db, utcnow
from consortium.organisations.models import Organisation
from consortium.users.models import User
from trainings.models import (
    ACTIVE_STATES,
    ApprovalMode,
    Registration,
    RegistrationState,
    Training,
    TrainingState,
)
from trainings.services.notifications import notify
from trainings.services.seats import (
    confirm,
    end_hold,
    expired_holds,
    hold_seat,
    organisation_full,
    release_seat,
    seat_or_waitlist,
    take_seat,
)

#: How long a person who gave up a confirmed seat may take it back; the seat is held for them meanwhile.
UNDO_WINDOW = timedelta(minutes=10)

# Errors ----------------------------------------------------------------------------------------


class RegistrationError(Exception):
    """A registration that cannot be made; ``message`` is translated for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RegistrationNotOpen(RegistrationError):
    pass


class AlreadyRegistered(RegistrationError):
    pass


class NotAllowed(RegistrationError):
    pass


class TooLateToUndo(RegistrationError):
    pass


def release_expired_holds(training: Training, now: datetime | None = None) -> list[Registration]:
    """Seats held past their undo window go to the waiting list. Call with the training locked."""
    held = expired_holds(training, now or utcnow())
    for registration in held:
        end_hold(registration)
    if held:
        fill_free_seats(training)
    return held


def fill_free_seats(training: Training) -> list[Registration]:
    """Promote waiting people, first come first served, while seats are free. Returns the promoted.

    Someone whose organisation has used its seats keeps their place in the queue for a later seat.
    """
    promoted: list[Registration] = []
    skipped: set[int] = set()
    while True:
        query = (
            sa.select(Registration)
            .where(
                Registration.training_id == training.id,
                Registration.state == RegistrationState.WAITLISTED,
            )
            .order_by(Registration.waitlisted_at, Registration.id)
            .limit(1)
        )
        if skipped:
            query = query.where(Registration.id.not_in(skipped))
        candidate = db.session.scalar(query)
        if candidate is None:
            break
        if organisation_full(training, candidate.organisation_id):
            skipped.add(candidate.id)
            continue
        if not take_seat(training.id):
            break
        confirm(candidate)
        promoted.append(candidate)
        notify(candidate, "promoted")
        signals.state_changed.send(candidate, action="trainings.registration_promoted", by=None)
    return promoted


# Registration ----------------------------------------------------------------------------------


def may_register_for(user: User, person: User, organisation: Organisation | None) -> bool:
    """Members register themselves; an organisation's admin registers its people."""
    if person.id == user.id:
        return organisation is None or any(m.organisation_id == organisation.id for m in user.memberships)
    if organisation is None:
        return False
    is_admin = any(m.organisation_id == organisation.id and m.role.value == "admin" for m in user.memberships)
    return is_admin and any(m.organisation_id == organisation.id for m in person.memberships)


def register(
    training: Training,
    person: User,
    organisation: Organisation | None,
    *,
    by: User,
    motivation: str = "",
    accessibility_needs: str = "",
    dietary_needs: str = "",
) -> Registration:
    """Register ``person``: confirmed while seats last, then waitlisted; pending under staff approval."""
    training = transaction.lock(Training, training.id)
    now = utcnow()
    release_expired_holds(training, now)
    if training.state is not TrainingState.PUBLISHED:
        raise RegistrationNotOpen(_("This training is not open for registration."))
    if training.registration_opens_at and now < training.registration_opens_at:
        raise RegistrationNotOpen(_("Registration has not opened yet."))
    if (training.registration_closes_at and now >= training.registration_closes_at) or (
        training.starts_at and now >= training.starts_at
    ):
        raise RegistrationNotOpen(_("Registration for this training has closed."))
    if not may_register_for(by, person, organisation):
        raise NotAllowed(_("You can register yourself, or colleagues of an organisation you administer."))
    if organisation is not None and not organisation.is_verified:
        raise NotAllowed(
            _(
                "%(name)s is awaiting verification by consortium staff: until then, nobody can register "
                "on its behalf.",
                name=organisation.name,
            )
        )
    answers = {
        "organisation_id": organisation.id if organisation else None,
        "registered_by_id": by.id,
        "motivation": motivation or "",
        "accessibility_needs": accessibility_needs or "",
        "dietary_needs": (dietary_needs or "") if training.is_in_person else "",
    }
    registration = db.session.scalar(
        sa.select(Registration)
        .where(Registration.training_id == training.id, Registration.user_id == person.id)
        .execution_options(populate_existing=True)
    )
    if registration is not None:
        if registration.state is not RegistrationState.CANCELLED:
            raise AlreadyRegistered(_("%(name)s is already registered for this training.", name=person.name))
        if registration.seat_held_until is not None:  # registering again instead of undoing: same result
            end_hold(registration)
        for name, value in answers.items():  # a cancelled registration comes back, at the end of the queue
            setattr(registration, name, value)
        registration.state, registration.created_at = RegistrationState.PENDING, now
        registration.cancelled_at = registration.waitlisted_at = registration.decided_at = None
    else:
        registration = Registration(training_id=training.id, user_id=person.id, **answers)
        db.session.add(registration)
    registration.training, registration.user = training, person
    if training.approval is ApprovalMode.AUTOMATIC:
        # The seat is decided before the row is written: one INSERT instead of INSERT then UPDATE, inside
        # the training's lock, which every registration for it waits on.
        with db.session.no_autoflush:
            state = seat_or_waitlist(registration)
        notify(registration, "confirmed" if state is RegistrationState.CONFIRMED else "waitlisted")
    else:
        db.session.flush()
        notify(registration, "received")
    signals.state_changed.send(registration, action="trainings.registered", by=by)
    return registration


def _lock(registration: Registration) -> None:
    """Lock the registration's training, let expired holds go, then read the registration as it is now."""
    training = transaction.lock(Training, registration.training_id)
    release_expired_holds(training)
    db.session.refresh(registration)


def approve(registration: Registration, *, by: User) -> RegistrationState:
    _lock(registration)
    if registration.state is not RegistrationState.PENDING:
        return registration.state
    registration.decided_at = utcnow()
    state = seat_or_waitlist(registration)
    notify(registration, "confirmed" if state is RegistrationState.CONFIRMED else "waitlisted")
    signals.state_changed.send(registration, action="trainings.registration_approved", by=by)
    return state


def reject(registration: Registration, *, by: User) -> None:
    _leave(registration, RegistrationState.REJECTED, by=by)


def cancel_registration(registration: Registration, *, by: User, hold: bool = False) -> None:
    """Cancel; with ``hold`` a confirmed seat stays theirs for ``UNDO_WINDOW`` (see ``undo_cancel``)."""
    _leave(registration, RegistrationState.CANCELLED, by=by, hold=hold)


def undo_cancel(registration: Registration, *, by: User) -> bool:
    """Take back a seat given up less than ``UNDO_WINDOW`` ago; the waiting list never had it.

    Returns False when it is too late: the hold has ended and (committed with this action) the seat has
    gone to the next person in line.
    """
    _lock(registration)
    if registration.training.state is not TrainingState.PUBLISHED:
        raise TooLateToUndo(_("This training is not open for registration."))
    if registration.state is not RegistrationState.CANCELLED or registration.seat_held_until is None:
        return False
    registration.state = RegistrationState.CONFIRMED
    registration.seat_held_until = registration.cancelled_at = None
    db.session.flush()
    notify(registration, "confirmed")
    signals.state_changed.send(registration, action="trainings.cancellation_undone", by=by)
    return True


LEAVING = {
    RegistrationState.REJECTED: ("rejected", "trainings.registration_rejected"),
    RegistrationState.CANCELLED: ("cancelled", "trainings.registration_cancelled"),
}


def _leave(registration: Registration, state: RegistrationState, *, by: User, hold: bool = False) -> None:
    """End an active registration (rejected by staff, or cancelled) and give its seat to the next in line."""
    _lock(registration)
    if registration.state not in ACTIVE_STATES:
        return
    was_confirmed = registration.state is RegistrationState.CONFIRMED
    now = utcnow()
    registration.state = state
    registration.decided_at = now
    registration.cancelled_at = now if state is RegistrationState.CANCELLED else None
    registration.waitlisted_at = None
    db.session.flush()
    if was_confirmed and hold:
        hold_seat(registration, now + UNDO_WINDOW)
    elif was_confirmed:
        release_seat(registration.training_id)
    kind, action = LEAVING[state]
    notify(registration, kind)
    fill_free_seats(registration.training)
    signals.state_changed.send(registration, action=action, by=by)


BULK_ACTIONS = {"approve": approve, "reject": reject, "cancel": cancel_registration}


def decide(registrations: Iterable[Registration], action: str, *, by: User) -> None:
    """Staff's bulk action on registrations of one training, in the order given."""
    for registration in registrations:
        BULK_ACTIONS[action](registration, by=by)
