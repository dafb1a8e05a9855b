"""Per-object answers for governance spaces, consultations and contributions.

Staff hold GOVERNANCE_MANAGE, GOVERNANCE_SEATS, GOVERNANCE_CONVENE and GOVERNANCE_VIEW everywhere (their
role). Everyone else is answered here from their seat in the space, when its term covers today (the
space's date, in its time zone):

- a space is seen by everyone once it is out of draft if it is public, by its seat holders if not;
- its convenors grant seats (any role but convenor, which staff give) and run its consultations;
- a consultation is seen with its space once it is out of draft; those its eligibility names contribute
  while it is open (anyone signed in with a verified e-mail, people of a verified organisation, or the
  seat holders who take part, not observers), for themselves or for a verified organisation they belong
  to;
- its space's moderators and convenors (and staff) publish and hide contributions; a contribution waiting
  or hidden is seen only by them and its author;
- eligible people support published contributions, and a person of another verified organisation
  co-signs one for their organisation;
- once it closes, those who answer for the space (its government focal points, the seats of government
  and regulator organisations, its convenors) draft the official responses to published contributions,
  and another of them approves each draft; responses are public once the consultation publishes them.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, has_request_context

from consortium.db import db
from consortium.governance.contribution_models import Contribution, Response
from consortium.governance.models import (
    ANSWERING_STATES,
    CONTRIBUTING_ROLES,
    Consultation,
    ConsultationState,
    Eligibility,
    Seat,
    SeatRole,
    Sector,
    Space,
    SpaceState,
    today_in,
)
from consortium.i18n import lazy_gettext as _l
from consortium.permissions import Permission, can, role_grants, visible_or_404


def _seats() -> dict:
    return g.setdefault("governance_seats", {}) if has_request_context() else {}


def _remember(user, space_id: int, seat: Seat | None, zone: str | None) -> Seat | None:
    """``zone``: the space's, whose date the seat's term is checked against."""
    current = seat if seat is not None and seat.is_current(today_in(zone)) else None
    _seats()[(user.id, space_id)] = current
    return current


def seat_of(user, space_id: int) -> Seat | None:
    """The user's seat in the space if its term covers today (once per request and space)."""
    if not user or not user.is_authenticated:
        return None
    key = (user.id, space_id)
    if key in _seats():
        return _seats()[key]
    row = db.session.execute(
        sa.select(Seat, Space.timezone)
        .join(Space, Space.id == Seat.space_id)
        .where(Seat.space_id == space_id, Seat.user_id == user.id)
    ).first()
    seat, zone = row or (None, None)
    return _remember(user, space_id, seat, zone)


def space_or_404(user, space_id: int) -> Space:
    """The space with the viewer's seat in one query (every space page asks about both), or 404."""
    if user and user.is_authenticated:
        row = db.session.execute(
            sa.select(Space, Seat)
            .outerjoin(Seat, sa.and_(Seat.space_id == Space.id, Seat.user_id == user.id))
            .where(Space.id == space_id)
        ).first()
        if row is not None:
            _remember(user, row.Space.id, row.Seat, row.Space.timezone)
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
        return (
            consultation.state is ConsultationState.OPEN
            and space.state is SpaceState.ACTIVE
            and eligibility_refusal(user, consultation) is None
        )
    if permission is Permission.GOVERNANCE_MODERATE:
        seat = seat_of(user, space.id)
        return (
            seat is not None
            and seat.role in (SeatRole.MODERATOR, SeatRole.CONVENOR)
            and space.state is not SpaceState.ARCHIVED
        )
    return False


ANSWERING_ROLES = frozenset({SeatRole.CONVENOR, SeatRole.FOCAL_POINT})
ANSWERING_SECTORS = frozenset({Sector.GOVERNMENT, Sector.REGULATOR})


def answering_seat(user, space: Space) -> Seat | None:
    """The user's seat if it answers for the space: a focal point, a convenor, or a government or
    regulator seat that takes part (observers do not)."""
    seat = seat_of(user, space.id)
    if seat is None or space.state is SpaceState.ARCHIVED:
        return None
    if seat.role in ANSWERING_ROLES or (seat.sector in ANSWERING_SECTORS and seat.role in CONTRIBUTING_ROLES):
        return seat
    return None


SIGN_IN = _l("Sign in to take part.")
CONFIRM_EMAIL = _l("Confirm your e-mail address to take part.")
REFUSALS = {
    Eligibility.VERIFIED_ORGANISATIONS: _l(
        "Only people who belong to a verified organisation take part in this consultation."
    ),
    Eligibility.MEMBERS: _l(
        "Only the space's seat holders who take part (not observers) contribute to this consultation."
    ),
}


def eligibility_refusal(user, consultation: Consultation):
    """Why this person may not contribute to the consultation (a translated sentence), or None if they may."""
    if not user or not user.is_authenticated:
        return SIGN_IN
    if consultation.eligibility is Eligibility.MEMBERS:
        seat = seat_of(user, consultation.space_id)
        return None if seat is not None and seat.role in CONTRIBUTING_ROLES else REFUSALS[Eligibility.MEMBERS]
    if user.email_verified_at is None:
        return CONFIRM_EMAIL
    if consultation.eligibility is Eligibility.VERIFIED_ORGANISATIONS and not organisations_for(user):
        return REFUSALS[Eligibility.VERIFIED_ORGANISATIONS]
    return None


def organisations_for(user) -> list:
    """The verified organisations the person belongs to: the only ones they may act for."""
    if not user or not user.is_authenticated:
        return []
    return [m.organisation for m in user.memberships if m.organisation.is_verified]


def may_act_for(user, organisation_id: int | None) -> bool:
    """Personally (None), or for a verified organisation the person belongs to."""
    return organisation_id is None or organisation_id in {o.id for o in organisations_for(user)}


def cosigning_organisations(user, contribution: Contribution) -> list:
    """The person's organisations that may still co-sign: not the author's, not one that already did."""
    if not can(Permission.GOVERNANCE_CONTRIBUTE, contribution, user=user):
        return []
    taken = {contribution.organisation_id, *(c.organisation_id for c in contribution.cosignatures)}
    return [o for o in organisations_for(user) if o.id not in taken]


def contribution_policy(user, permission: Permission, contribution: Contribution) -> bool:
    if permission is Permission.GOVERNANCE_RESPOND:
        consultation = contribution.consultation
        return (
            contribution.is_published
            and consultation.state in ANSWERING_STATES
            and answering_seat(user, consultation.space) is not None
        )
    if permission is Permission.GOVERNANCE_VIEW:  # waiting or hidden: its author and the moderators
        if contribution.is_published:
            return True
        if user and user.is_authenticated and contribution.author_id == user.id:
            return True
        return can(Permission.GOVERNANCE_MODERATE, contribution.consultation, user=user)
    if permission is Permission.GOVERNANCE_CONTRIBUTE:  # supporting it, co-signing it
        return contribution.is_published and can(
            Permission.GOVERNANCE_CONTRIBUTE, contribution.consultation, user=user
        )
    if permission is Permission.GOVERNANCE_MODERATE:
        return can(Permission.GOVERNANCE_MODERATE, contribution.consultation, user=user)
    return False


def response_policy(user, permission: Permission, response: Response) -> bool:
    """GOVERNANCE_RESPOND on a response: editing its draft (approving it is ``may_approve``)."""
    if permission is Permission.GOVERNANCE_RESPOND:
        consultation = response.consultation
        return (
            not response.is_approved
            and consultation.state in ANSWERING_STATES
            and answering_seat(user, consultation.space) is not None
        )
    return False


def may_approve(user, response: Response) -> bool:
    return can(Permission.GOVERNANCE_RESPOND, response, user=user) and response.drafted_by_id != user.id


def sees_drafts(user, consultation: Consultation) -> bool:
    """Those who answer for the space and its convenors see responses before they are published."""
    return answering_seat(user, consultation.space) is not None or can(
        Permission.GOVERNANCE_CONVENE, consultation, user=user
    )


def response_is_visible(user, response: Response, *, author_id: int | None, drafts: bool) -> bool:
    """Public once published; before, approved ones for the contribution's author and every one for
    those who answer (``drafts``, from ``sees_drafts``, asked once per page)."""
    if response.published_at is not None or drafts:
        return True
    return response.is_approved and bool(user and user.is_authenticated and author_id == user.id)
