from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.db import Timestamped, Versioned, db, enum_column, utcnow
from consortium.permissions import Role


def digest(secret: str) -> str:
    """Session ids, API tokens and recovery codes are random and long, so SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


class User(Timestamped, Versioned, db.Model):
    __tablename__ = "users"
    __audit__ = {"exclude": {"password_hash", "totp_secret"}}

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.MEMBER)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    email_verified_at: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_counter: Mapped[int | None]  # the last accepted time step, so a code works only once
    deleted_at: Mapped[datetime | None]  # the person deleted their account: personal fields are erased

    memberships: Mapped[list[Membership]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login protocol. get_id() is the *session* token, set by login_user in services.
    is_anonymous = False
    session_token = None  # set per request, never stored

    @property
    def is_authenticated(self) -> bool:
        return True

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def has_totp(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def needs_totp(self) -> bool:
        """Staff and admins must use two-factor log-in; members may."""
        return self.is_staff and not self.has_totp

    @property
    def effective_timezone(self) -> str:
        if self.timezone:
            return self.timezone
        org_zone = next((m.organisation.timezone for m in self.memberships if m.organisation.timezone), None)
        return org_zone or "UTC"

    @property
    def primary_organisation(self):
        return self.memberships[0].organisation if self.memberships else None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserSession(db.Model):
    """A signed-in browser. Deleting the row ends that session even if its cookie was copied; it also
    ends by itself after an idle period and an absolute lifetime (``consortium.users.sessions``)."""

    __tablename__ = "user_sessions"
    __audit__ = {"exclude": {"token_hash"}}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(sa.String(255), default="")

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __audit__ = {"exclude": {"token_hash"}}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"
    __audit__ = {"skip": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None]


class LoginUnlock(db.Model):
    """A one-time link e-mailed to the owner of an account whose log-in limit was hit: it lets the
    browser that uses it past that limit, so guessing someone's password never locks them out."""

    __tablename__ = "login_unlocks"
    __audit__ = {"exclude": {"token_hash"}}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
