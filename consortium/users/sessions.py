"""Server-side log-in sessions: the cookie holds a random token, the database decides whether it still works.

A session ends when it is deleted (log-out, password change or reset, account deletion), after
``SESSION_IDLE_TIMEOUT`` seconds without a request, and ``SESSION_ABSOLUTE_LIFETIME`` seconds after
log-in however active it was. Both limits are checked in the query that loads the user, so a copied
cookie stops working on the server even while its signature is still valid.
"""

from __future__ import annotations

import functools
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g
from sqlalchemy.orm import joinedload

from consortium import signals, transaction
from consortium.db import db, utcnow
from consortium.users.models import ApiToken, User, UserSession, digest

#: Seen-at stamps are refreshed at most this often: a write per request would cost more than it tells.
TOUCH_EVERY = timedelta(minutes=1)


def _cutoffs() -> tuple:
    now = utcnow()
    config = current_app.config
    return (
        now,
        now - timedelta(seconds=config["SESSION_ABSOLUTE_LIFETIME"]),
        now - timedelta(seconds=config["SESSION_IDLE_TIMEOUT"]),
    )


def _expired(born_before, idle_before):
    return sa.or_(UserSession.created_at <= born_before, UserSession.last_seen_at <= idle_before)


def start_session(user: User, user_agent: str = "") -> str:
    """Create a server-side session; its random token is what Flask-Login keeps in the cookie."""
    now, born_before, idle_before = _cutoffs()
    # The person's expired sessions go now, so the table keeps only the ones that still work.
    db.session.execute(
        sa.delete(UserSession).where(UserSession.user_id == user.id, _expired(born_before, idle_before))
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=digest(token),
            user_agent=user_agent[:255],
            created_at=now,
            last_seen_at=now,
        )
    )
    user.session_token = token
    return token


@functools.cache
def _session_query() -> sa.Select:
    """Built once: it runs on every signed-in request, and building it cost as much as running it.

    The person's memberships (with their organisations) come in the same statement: every page's layout
    needs the viewer's time zone, which falls back to their organisation's, and most pages check what the
    viewer may do for their organisations; loaded lazily they were a second statement on every page.
    """
    return (
        sa.select(User, UserSession.id, UserSession.last_seen_at)
        .join(UserSession, UserSession.user_id == User.id)
        .options(joinedload(User.memberships))
        .where(
            UserSession.token_hash == sa.bindparam("token_hash"),
            UserSession.created_at > sa.bindparam("born_after"),
            UserSession.last_seen_at > sa.bindparam("seen_after"),
            User.is_active.is_(True),
        )
    )


def load_session(token: str | None) -> User | None:
    if not token:
        return None
    now, born_before, idle_before = _cutoffs()
    row = (
        db.session.execute(
            _session_query(),
            {"token_hash": digest(token), "born_after": born_before, "seen_after": idle_before},
        )
        .unique()
        .one_or_none()
    )
    if row is None:
        return None
    user, session_id, last_seen_at = row
    user.session_token = token
    if now - last_seen_at > TOUCH_EVERY:
        g.session_seen = session_id  # stamped once the request is over (see ``record_use``)
    return user


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(sa.delete(UserSession).where(UserSession.token_hash == digest(token)))


def log_in(user: User, how: str, user_agent: str = "") -> str:
    """Start the session of a person who proved who they are, and record how they did."""
    token = start_session(user, user_agent)
    signals.user_logged_in.send(user, how=how)
    return token


def log_out(user: User) -> None:
    end_session(user.session_token)
    signals.user_logged_out.send(user)


def end_other_sessions(user: User) -> None:
    """Every other browser is signed out (all of them when this request has no session of its own)."""
    keep = digest(user.session_token) if user.session_token else ""
    db.session.execute(
        sa.delete(UserSession).where(UserSession.user_id == user.id, UserSession.token_hash != keep)
    )


def session_count(user: User) -> int:
    _now, born_before, idle_before = _cutoffs()
    return (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                UserSession.user_id == user.id, sa.not_(_expired(born_before, idle_before))
            )
        )
        or 0
    )


def purge_expired() -> int:
    """Delete every expired session (``flask privacy purge``); returns how many."""
    _now, born_before, idle_before = _cutoffs()
    return db.session.execute(sa.delete(UserSession).where(_expired(born_before, idle_before))).rowcount


def record_use() -> None:
    """Teardown: stamp the session or API token the request used.

    In its own transaction once the request is over: the loader must not commit the request's work (it
    can run in the middle of a flush), and a second connection writing while the request holds SQLite's
    write lock would wait for itself.
    """
    session_id = g.pop("session_seen", None)
    token_id = g.pop("api_token_used", None)
    if session_id is None and token_id is None:
        return
    transaction.rollback()  # the request is over: end its transaction and release its lock first
    now = utcnow()
    with transaction.writing(), db.engine.begin() as connection:
        if session_id is not None:
            connection.execute(
                sa.update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now)
            )
        if token_id is not None:
            connection.execute(sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
