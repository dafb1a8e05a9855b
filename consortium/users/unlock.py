"""The e-mailed unlock link: guessing someone's password never locks its owner out.

When an account's log-in limit is hit, its owner is e-mailed a link (one at a time: no new one while one
is live) that works once and expires after ``LOGIN_UNLOCK_MAX_AGE`` seconds. Using it marks that browser's
signed session as unlocked for the account for as long again: the per-account limits of log-in and of the
second step then skip it, while the per-address limit still counts. The guesser, who cannot read the
mailbox, stays limited; the owner still needs the password (and the second factor).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, session

from consortium import signals, transaction
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.mail import public_url, queue_email
from consortium.users.models import LoginUnlock, User, digest

SESSION_KEY = "login_unlocked"


def _max_age() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_UNLOCK_MAX_AGE"])


def offer(user: User | None) -> None:
    """The account limit was hit: e-mail the owner an unlock link, unless one is already live."""
    if user is None or not user.is_active:
        return
    transaction.lock(User, user.id)  # attempts breaching together: the first sends, the others see it
    now = utcnow()
    live = db.session.scalar(
        sa.select(LoginUnlock.id).where(
            LoginUnlock.user_id == user.id, LoginUnlock.used_at.is_(None), LoginUnlock.expires_at > now
        )
    )
    if live is not None:
        return
    secret = secrets.token_urlsafe(32)
    db.session.add(
        LoginUnlock(user_id=user.id, token_hash=digest(secret), created_at=now, expires_at=now + _max_age())
    )
    queue_email(
        user.email,
        "login_unlock",
        _l("Log-in to your account was paused"),
        to_name=user.name,
        locale=user.locale,
        unlock_url=public_url("users.unlock_login", token=secret),
        minutes=current_app.config["LOGIN_UNLOCK_MAX_AGE"] // 60,
    )
    signals.state_changed.send(user, action="user.login_unlock_sent")


def find(secret: str) -> LoginUnlock | None:
    """The live, unused unlock behind ``secret``, or None."""
    return db.session.scalar(
        sa.select(LoginUnlock).where(
            LoginUnlock.token_hash == digest(secret),
            LoginUnlock.used_at.is_(None),
            LoginUnlock.expires_at > utcnow(),
        )
    )


def use(unlock: LoginUnlock) -> None:
    """Spend the link and unlock this browser for its account."""
    now = utcnow()
    unlock.used_at = now
    session[SESSION_KEY] = {"user": unlock.user_id, "until": (now + _max_age()).timestamp()}
    signals.state_changed.send(unlock, action="user.login_unlocked")


def unlocked_for(user_id: int | None) -> bool:
    marker = session.get(SESSION_KEY)
    return bool(
        marker
        and user_id is not None
        and marker.get("user") == user_id
        and marker.get("until", 0) > utcnow().timestamp()
    )


def has_marker() -> bool:
    """Cheap check first: most log-in attempts come from browsers that were never unlocked."""
    return SESSION_KEY in session


def forget() -> None:
    """After a successful log-in the unlock is spent: the next lock-out needs a new link."""
    session.pop(SESSION_KEY, None)


def purge_expired() -> int:
    """Delete links that expired or were used (``flask privacy purge``); returns how many."""
    return db.session.execute(
        sa.delete(LoginUnlock).where(
            sa.or_(LoginUnlock.expires_at <= utcnow(), LoginUnlock.used_at.is_not(None))
        )
    ).rowcount
