"""The kernel's own personal data: the account, its log-ins, memberships, mail and audit trail.

``export`` is the person's copy; ``erase`` turns the account row into a placeholder that certificates,
reach statistics and the audit log can still point at, without anything that names the person.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.db import db, utcnow
from consortium.mail import OutboxMessage
from consortium.organisations.models import Invitation, Membership
from consortium.users import sessions, unlock
from consortium.users.models import ApiToken, LoginUnlock, RecoveryCode, User, UserSession


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user: User) -> dict[str, Any]:
    def rows(model, *order):
        return db.session.scalars(sa.select(model).where(model.user_id == user.id).order_by(*order)).all()

    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "role": user.role.value,
            "locale": user.locale,
            "timezone": user.timezone,
            "created_at": _when(user.created_at),
            "email_verified_at": _when(user.email_verified_at),
            "two_factor": user.has_totp,
        },
        "memberships": [
            {
                "organisation": m.organisation.name,
                "slug": m.organisation.slug,
                "role": m.role.value,
                "since": _when(m.created_at),
            }
            for m in rows(Membership, Membership.created_at)
        ],
        "sessions": [
            {
                "started_at": _when(s.created_at),
                "last_seen_at": _when(s.last_seen_at),
                "user_agent": s.user_agent,
            }
            for s in rows(UserSession, UserSession.created_at)
        ],
        "api_tokens": [
            {
                "name": t.name,
                "starts_with": t.prefix,
                "created_at": _when(t.created_at),
                "last_used_at": _when(t.last_used_at),
                "revoked_at": _when(t.revoked_at),
            }
            for t in rows(ApiToken, ApiToken.created_at)
        ],
        # What the audit log holds about the person's own actions (others' data in the changes stays out).
        "activity": [
            {
                "at": _when(e.created_at),
                "action": e.action,
                "object": e.object_type,
                "id": e.object_id,
                "ip": e.ip,
            }
            for e in db.session.scalars(
                sa.select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
            )
        ],
    }


def label(user: User) -> str:
    """How the audit log names a deleted account (the id keeps its history readable as one person's)."""
    return f"deleted account {user.id}"


def _placeholder_email(user: User) -> str:
    return f"deleted-{user.id}@deleted.invalid"  # unique, and .invalid can never receive mail (RFC 2606)


def erase(user: User) -> None:
    """Erase the person from the kernel's tables; the row stays as a placeholder (see the module doc)."""
    email, name, placeholder = user.email, user.name, label(user)
    for model in (UserSession, ApiToken, RecoveryCode, LoginUnlock, Membership):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    pending = sa.and_(Invitation.email == email, Invitation.accepted_at.is_(None))
    db.session.execute(sa.delete(Invitation).where(pending))
    db.session.execute(
        sa.update(Invitation).where(Invitation.email == email).values(email=_placeholder_email(user))
    )
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.to_email == email))
    # A Core UPDATE: the audit recorder would otherwise write the old e-mail and name into a new row.
    db.session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .values(
            email=_placeholder_email(user),
            name="",
            password_hash="!",  # noqa: S106 - not a password: no Argon2 hash, so nothing matches it
            locale=None,
            timezone=None,
            email_verified_at=None,
            is_active=False,
            totp_secret=None,
            totp_enabled_at=None,
            totp_last_counter=None,
            deleted_at=utcnow(),
            version=User.version + 1,
        )
    )
    _anonymise_audit(user.id, email, name, placeholder)
    db.session.expire(user)


def _anonymise_audit(user_id: int, email: str, name: str, placeholder: str) -> None:
    """Keep every audit row, but let none of them name the person any more: not by the e-mail address,
    nor by any name the account has had (its own rows hold the earlier ones)."""
    db.session.execute(
        sa.update(AuditEvent).where(AuditEvent.actor_id == user_id).values(actor_label=placeholder)
    )
    about = sa.or_(
        AuditEvent.actor_id == user_id,
        sa.and_(AuditEvent.object_type == User.__tablename__, AuditEvent.object_id == str(user_id)),
        AuditEvent.summary.contains(email, autoescape=True),
        sa.cast(AuditEvent.changes, sa.Text).contains(email, autoescape=True),
    )
    rows = db.session.execute(
        sa.select(
            AuditEvent.id,
            AuditEvent.object_type,
            AuditEvent.object_id,
            AuditEvent.summary,
            AuditEvent.changes,
        ).where(about)
    ).all()
    emails, names = {email}, {name} - {""}
    for row in rows:
        changes = row.changes or {}
        if row.object_type == User.__tablename__ and user_id in (changes.get("id"), _int(row.object_id)):
            emails |= _values(changes.get("email"))
            names |= _values(changes.get("name"))
    for row in rows:
        summary, changes = (
            _scrub(row.summary, emails, names, placeholder),
            _scrub(row.changes, emails, names, placeholder),
        )
        if (summary, changes) != (row.summary, row.changes):
            db.session.execute(
                sa.update(AuditEvent).where(AuditEvent.id == row.id).values(summary=summary, changes=changes)
            )


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _values(value: Any) -> set[str]:
    values = value if isinstance(value, list) else [value]
    return {item for item in values if isinstance(item, str) and item}


def _scrub(value: Any, emails: set[str], names: set[str], placeholder: str) -> Any:
    if isinstance(value, str):
        if value in names:
            return placeholder
        for email in emails:
            value = value.replace(email, placeholder)
        return value
    if isinstance(value, list):
        return [_scrub(item, emails, names, placeholder) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, emails, names, placeholder) for key, item in value.items()}
    return value


def purge() -> int:
    """Expired sessions and spent or expired unlock links (their user agents and hashes)."""
    return sessions.purge_expired() + unlock.purge_expired()
