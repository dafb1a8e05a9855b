"""Following a space or one consultation, with a daily or weekly digest, and recording what happens.

One row per person and followed thing: the unique pair decides, so following twice at once (two tabs, a
double click reaching two workers) makes one row; following again changes the digest's frequency. An
event is a row in the action's own transaction (rolled back with it); the digests (``digests``) read them.
"""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.governance.activity import EventKind, SpaceEvent
from consortium.governance.models import Consultation, Space
from consortium.governance.records import ConsultationFollow, DigestFrequency, SpaceFollow


def _row(target: Space | Consultation, user) -> tuple[type, dict]:
    if isinstance(target, Space):
        return SpaceFollow, {"space_id": target.id, "user_id": user.id}
    return ConsultationFollow, {"consultation_id": target.id, "user_id": user.id}


def follow_of(user, target: Space | Consultation) -> SpaceFollow | ConsultationFollow | None:
    """The person's follow of the space or consultation, if any."""
    if not user or not user.is_authenticated:
        return None
    model, key = _row(target, user)
    return db.session.scalar(sa.select(model).filter_by(**key))


def is_following(user, target: Space | Consultation) -> bool:
    return follow_of(user, target) is not None


def follow(target: Space | Consultation, user, frequency: DigestFrequency = DigestFrequency.DAILY) -> bool:
    """True if this made the person a follower; a follower's digest frequency is updated."""
    found = follow_of(user, target)
    if found is not None:
        found.frequency = frequency
        db.session.flush()
        return False
    model, key = _row(target, user)
    try:
        with db.session.begin_nested():
            db.session.add(model(**key, frequency=frequency))
    except sa.exc.IntegrityError:
        return False  # the other request made the row first
    return True


def unfollow(target: Space | Consultation, user) -> None:
    model, key = _row(target, user)
    db.session.execute(sa.delete(model).filter_by(**key))
    db.session.flush()


def record_event(space: Space, kind: EventKind, target, title: str, *, consultation_id: int | None = None):
    """Keep what happened for the followers' next digest (``target`` is the thing its page shows)."""
    db.session.add(
        SpaceEvent(
            space_id=space.id,
            consultation_id=consultation_id,
            kind=kind,
            target_id=target.id,
            title=title.strip()[:300],
        )
    )
    db.session.flush()
