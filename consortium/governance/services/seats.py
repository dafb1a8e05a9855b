"""Granting seats: people acting for a verified organisation they belong to, one seat per space."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from consortium.db import db
from consortium.governance import policies
from consortium.governance.models import Seat, SeatRole, Sector, Space, SpaceState
from consortium.governance.services.errors import SeatRefused
from consortium.i18n import lazy_gettext as _l
from consortium.mail import public_url, queue_email
from consortium.organisations.models import Membership, Organisation
from consortium.signals import state_changed
from consortium.users.models import User


def grant_seat(
    space: Space,
    *,
    by,
    email: str,
    organisation_id: int,
    sector: Sector,
    role: SeatRole,
    term_starts_on: date,
    term_ends_on: date | None,
    interests: str,
) -> Seat:
    if role not in policies.grantable_roles(by, space):
        raise SeatRefused(_l("You may not give this role."))
    if space.state is SpaceState.ARCHIVED:
        raise SeatRefused(_l("The space is archived."))
    if term_ends_on is not None and term_ends_on < term_starts_on:
        raise SeatRefused(_l("The term cannot end before it starts."))
    person = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))
    if person is None or not person.is_active or person.is_deleted:
        raise SeatRefused(_l("Nobody with this e-mail address has an account."))
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not organisation.is_verified:
        raise SeatRefused(_l("Seats are for verified organisations."))
    is_member = db.session.scalar(
        sa.select(Membership.id).where(
            Membership.user_id == person.id, Membership.organisation_id == organisation.id
        )
    )
    if not is_member:
        raise SeatRefused(_l("This person does not act for this organisation."))
    seat = Seat(
        space_id=space.id,
        user_id=person.id,
        organisation_id=organisation.id,
        sector=sector,
        role=role,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        interests=interests.strip(),
        granted_by_id=by.id if by else None,
    )
    try:
        # the unique (space, person) pair decides, also when two convenors seat the same person at once
        with db.session.begin_nested():
            db.session.add(seat)
    except sa.exc.IntegrityError:
        raise SeatRefused(_l("This person already holds a seat in this space.")) from None
    state_changed.send(seat, action="governance.seat_granted", by=by, summary=f"{space.slug}: {role.value}")
    _tell(person, seat, "governance/seat_granted", SEAT_GRANTED)
    return seat


SEAT_GRANTED = _l("You have a seat in a governance space")
SEAT_ENDED = _l("Your seat's term in a governance space has ended")


def _tell(person: User, seat: Seat, template: str, subject) -> None:
    # an outbox row in this transaction: sent only once the seat is committed, in the person's language
    if person.is_active and not person.is_deleted:
        queue_email(
            person.email,
            template,
            subject,
            to_name=person.name,
            locale=person.locale,
            seat=seat,
            space=seat.space,
            url=public_url("governance.space", space_id=seat.space_id),
        )


def end_seat(seat: Seat, *, by, today: date) -> Seat:
    """End the term yesterday, so it no longer counts today (the roster keeps the seat, with its dates)."""
    yesterday = today - timedelta(days=1)
    if seat.term_ends_on is None or seat.term_ends_on > yesterday:
        seat.term_ends_on = yesterday
        seat.term_starts_on = min(seat.term_starts_on, yesterday)
        db.session.flush()
        state_changed.send(seat, action="governance.seat_ended", by=by, summary=seat.space.slug)
        _tell(seat.user, seat, "governance/seat_ended", SEAT_ENDED)
    return seat
