"""Download, delete and purge: the kernel's account data first, then every feature's through the registry."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from consortium import personal_data, signals
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.permissions import Role
from consortium.privacy import account
from consortium.users.models import User


class PrivacyError(Exception):
    """A domain error whose message is already translated for the user."""


def export(user: User) -> dict[str, Any]:
    signals.state_changed.send(user, action="user.data_exported", by=user)
    return {"exported_at": utcnow().isoformat(), **account.export(user), **personal_data.export(user)}


def delete_account(user: User) -> None:
    """Erase the person's personal data everywhere; what others rely on stays, naming nobody."""
    if user.role is Role.ADMIN and _active_admins() <= 1:
        raise PrivacyError(_l("You are the only administrator. Make someone else an administrator first."))
    signals.state_changed.send(user, action="user.deleted", by=user)
    db.session.flush()  # the record above is anonymised with the others below
    personal_data.erase(user)
    account.erase(user)


def _active_admins() -> int:
    return (
        db.session.scalar(sa.select(sa.func.count()).where(User.role == Role.ADMIN, User.is_active.is_(True)))
        or 0
    )


def purge() -> dict[str, int]:
    """Erase what has outlived its retention period (``flask privacy purge``, run daily by cron)."""
    counts = {**personal_data.purge(), "sessions": account.purge()}
    signals.state_changed.send(None, action="privacy.purged", **counts)
    return counts
