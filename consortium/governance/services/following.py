"""Following a space: one row per person and space, and one e-mail per event to each follower.

The unique (space, person) pair decides, so following twice at once (two tabs, a double click reaching
two workers) makes one row. Mail is an outbox row in the event's own transaction: it is sent only once
the event is committed, and never if it rolls back.
"""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.governance.models import Space
from consortium.governance.records import SpaceFollow
from consortium.mail import public_url, queue_email
from consortium.users.models import User


def is_following(user, space: Space) -> bool:
    if not user or not user.is_authenticated:
        return False
    return bool(
        db.session.scalar(
            sa.select(SpaceFollow.id).where(SpaceFollow.space_id == space.id, SpaceFollow.user_id == user.id)
        )
    )


def follow(space: Space, user) -> bool:
    """True if this made the person a follower, False if they already were."""
    if is_following(user, space):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(SpaceFollow(space_id=space.id, user_id=user.id))
    except sa.exc.IntegrityError:
        return False  # the other request made the row first
    return True


def unfollow(space: Space, user) -> None:
    db.session.execute(
        sa.delete(SpaceFollow).where(SpaceFollow.space_id == space.id, SpaceFollow.user_id == user.id)
    )
    db.session.flush()


def tell_followers(space: Space, template: str, subject, *, link: tuple[str, dict], **context) -> int:
    """Queue one message per follower who can still receive mail, each in their own language.

    ``link`` is the (endpoint, values) of the page the message points to."""
    people = db.session.scalars(
        sa.select(User)
        .join(SpaceFollow, SpaceFollow.user_id == User.id)
        .where(SpaceFollow.space_id == space.id, User.is_active, User.deleted_at.is_(None))
        .order_by(User.id)
    ).all()
    url = public_url(link[0], **link[1]) if people else ""
    for person in people:
        queue_email(
            person.email,
            template,
            subject,
            to_name=person.name,
            locale=person.locale,
            space=space,
            url=url,
            **context,
        )
    return len(people)
