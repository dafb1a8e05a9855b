"""Per-object answers for governance spaces, consultations and contributions.

Staff hold GOVERNANCE_MANAGE, GOVERNANCE_SEATS, GOVERNANCE_CONVENE and GOVERNANCE_VIEW everywhere (their
role). Everyone else is answered here from their seat in the space, when its term covers today:

- a space is seen by everyone once it is out of draft if it is public, by its seat holders if not;
- its convenors grant seats (any role but convenor, which staff give) and run its consultations;
- a consultation is seen with its space once it is out of draft; seat holders who take part (not
  observers) contribute while it is open; its space's convenors give the official responses.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import g, has_request_context

from consortium.db import db
from consortium.governance.models import (
    CONTRIBUTING_ROLES,
    Consultation,
    ConsultationState,
    Contribution,
    Seat,
    SeatRole,
    Space,
    SpaceState,
)
from consortium.permissions import Permission, can, role_grants, visible_or_404


def _seats() -> dict:
    return g.setdefault("governance_seats", {}) if has_request_context() else {}


def _remember(user, space_id: int, seat: Seat | None) -> Seat | None:
    current = seat if seat is not None and seat.is_current(date.today()) else None
    _seats()[(user.id, space_id)] = current
    return current


def seat_of(user, space_id: int) -> Seat | None:
    """The user's seat in the space if its term covers today (once per request and space)."""
    if not user or not user.is_authenticated:
        return None
    key = (user.id, space_id)
    if key in _seats():
        return _seats()[key]
    seat = db.session.scalar(sa.select(Seat).where(Seat.space_id == space_id, Seat.user_id == user.id))
    return _remember(user, space_id, seat)


def space_or_404(user, space_id: int) -> Space:
    """The space with the viewer's seat in one query (every space page asks about both), or 404."""
    if user and user.is_authenticated:
        row = db.session.execute(
            sa.select(Space, Seat)
            .outerjoin(Seat, sa.and_(Seat.space_id == Space.id, Seat.user_id == user.id))
            .where(Space.id == space_id)
        ).first()
        if row is not None:
            _remember(user, row.Space.id, row.Seat)
    return visible_or_404(Space, space_id, Permission.GOVERNANCE_VIEW)  # from the session, no query


def _is_convenor(user, space: Space) -> bool:
    seat = seat_of(user, space.id)
    return seat is not None and seat.role is SeatRole.CONVENOR and space.state is not SpaceState.ARCHIVED


def grantable_roles(user, space: Space) -> frozenset[SeatRole]:
    if role_grants(user, Permission.GOVERNANCE_MANAGE):
        return frozenset(SeatRole)
    if _is_convenor(user, space):
        return frozenset(SeatRole) - {SeatRole.CONVENOR}
    return frozenset()


def space_policy(user, permission: Permission, space: Space) -> bool:
    if permission is Permission.GOVERNANCE_VIEW:
        if space.state is SpaceState.DRAFT:
            return False
        return space.is_public or seat_of(user, space.id) is not None
    if permission in (Permission.GOVERNANCE_SEATS, Permission.GOVERNANCE_CONVENE):
        return _is_convenor(user, space)
    return False


def consultation_policy(user, permission: Permission, consultation: Consultation) -> bool:
    space = consultation.space
    if permission is Permission.GOVERNANCE_VIEW:
        if consultation.state is ConsultationState.DRAFT:
            return can(Permission.GOVERNANCE_CONVENE, space, user=user)
        return can(Permission.GOVERNANCE_VIEW, space, user=user)
    if permission is Permission.GOVERNANCE_CONVENE:
        return can(Permission.GOVERNANCE_CONVENE, space, user=user)
    if permission is Permission.GOVERNANCE_CONTRIBUTE:
        seat = seat_of(user, space.id)
        return (
            seat is not None
            and seat.role in CONTRIBUTING_ROLES
            and consultation.state is ConsultationState.OPEN
            and space.state is SpaceState.ACTIVE
        )
    return False


def contribution_policy(user, permission: Permission, contribution: Contribution) -> bool:
    if permission is Permission.GOVERNANCE_RESPOND:
        return _is_convenor(user, contribution.consultation.space)
    return False


def response_is_visible(user, contribution: Contribution) -> bool:
    """Responses are public once the consultation closes; before, for its author and those who answer."""
    if contribution.consultation.state is ConsultationState.CLOSED:
        return True
    if user and user.is_authenticated and contribution.author_id == user.id:
        return True
    return can(Permission.GOVERNANCE_RESPOND, contribution, user=user) or can(
        Permission.GOVERNANCE_CONVENE, contribution.consultation, user=user
    )
