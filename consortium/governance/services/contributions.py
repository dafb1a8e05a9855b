"""What happens to a contribution once it is written: moderation, supports and co-signatures.

Moderation moves a contribution between pending, published and hidden; the contribution's row is locked
first, so two moderators acting at once make one move and one audit record. Nothing is deleted: hidden
contributions stay for the audit and for their author, who sees the reason.

Supports and co-signatures are decided by their unique pairs (contribution, person) and (contribution,
organisation): two tabs or a double click reaching two workers make one row, and the second answers as
"already done" instead of failing.
"""

from __future__ import annotations

import sqlalchemy as sa

from consortium import transaction
from consortium.db import db, utcnow
from consortium.governance.contribution_models import Contribution, Cosignature, Support, Visibility
from consortium.governance.models import ConsultationState
from consortium.governance.services.errors import ConsultationLocked, ModerationRefused, ReasonMissing
from consortium.signals import state_changed

#: the moves a moderator may make: publish what waits or was hidden, hide what waits or is published
MODERATION_MOVES: dict[Visibility, frozenset[Visibility]] = {
    Visibility.PENDING: frozenset({Visibility.PUBLISHED, Visibility.HIDDEN}),
    Visibility.PUBLISHED: frozenset({Visibility.HIDDEN}),
    Visibility.HIDDEN: frozenset({Visibility.PUBLISHED}),
}


def moderate(contribution: Contribution, *, by, to: Visibility, reason: str = "") -> Contribution:
    """Publish or hide a contribution; hiding needs a reason, which its author then reads."""
    reason = reason.strip()
    if to is Visibility.HIDDEN and not reason:
        raise ReasonMissing()
    contribution = transaction.lock(Contribution, contribution.id)
    before = contribution.visibility
    if to not in MODERATION_MOVES[before]:
        raise ModerationRefused()
    contribution.visibility = to
    contribution.moderation_reason = reason if to is Visibility.HIDDEN else ""
    contribution.moderated_at = utcnow()
    contribution.moderated_by_id = by.id if by else None
    db.session.flush()
    state_changed.send(
        contribution,
        action=f"governance.contribution_{to.value}",
        by=by,
        summary=f"{before.value} → {to.value}" + (f": {reason[:200]}" if reason else ""),
    )
    return contribution


def _open(contribution: Contribution) -> None:
    if contribution.consultation.state is not ConsultationState.OPEN or not contribution.is_published:
        raise ConsultationLocked()


def has_supported(contribution: Contribution, user) -> bool:
    return bool(
        db.session.scalar(
            sa.select(Support.id).where(
                Support.contribution_id == contribution.id, Support.user_id == user.id
            )
        )
    )


def support(contribution: Contribution, user) -> bool:
    """True if this added the person's support, False if they had already given it."""
    _open(contribution)
    if has_supported(contribution, user):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Support(contribution_id=contribution.id, user_id=user.id))
    except sa.exc.IntegrityError:
        return False  # the other request made the row first
    return True


def withdraw_support(contribution: Contribution, user) -> None:
    _open(contribution)
    db.session.execute(
        sa.delete(Support).where(Support.contribution_id == contribution.id, Support.user_id == user.id)
    )
    db.session.flush()


def supports(user, contribution_ids) -> tuple[dict[int, int], set[int]]:
    """({contribution id: number of supports}, the ids among them that ``user`` supports), in one query."""
    ids = list(contribution_ids)
    if not ids:
        return {}, set()
    signed_in = user is not None and user.is_authenticated
    theirs = sa.func.max(sa.case((Support.user_id == user.id, 1), else_=0)) if signed_in else sa.literal(0)
    rows = db.session.execute(
        sa.select(Support.contribution_id, sa.func.count(), theirs)
        .where(Support.contribution_id.in_(ids))
        .group_by(Support.contribution_id)
    ).all()
    return {id_: count for id_, count, _theirs in rows}, {id_ for id_, _count, mine in rows if mine}


def cosign(contribution: Contribution, *, by, organisation_id: int) -> bool:
    """True if the organisation now co-signs, False if it already did (someone else of it, perhaps)."""
    _open(contribution)
    try:
        with db.session.begin_nested():
            db.session.add(
                Cosignature(contribution_id=contribution.id, organisation_id=organisation_id, user_id=by.id)
            )
    except sa.exc.IntegrityError:
        return False
    db.session.expire(contribution, ["cosignatures"])
    return True
