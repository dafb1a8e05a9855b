from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.db import Timestamped, Versioned, db, enum_column, utcnow
from consortium.i18n import N_, LabelledEnum


class OrganisationKind(LabelledEnum):
    DIGITAL_RIGHTS = "digital_rights"
    OPEN_DATA = "open_data"
    OPEN_GOVERNMENT = "open_government"
    COMMUNITY = "community"
    ACADEMIA = "academia"
    MEDIA = "media"
    OTHER = "other"

    __labels__ = {
        "digital_rights": N_("Digital rights"),
        "open_data": N_("Open data"),
        "open_government": N_("Open government"),
        "community": N_("Community organisation"),
        "academia": N_("Academia"),
        "media": N_("Media"),
        "other": N_("Other"),
    }


class FocusArea(LabelledEnum):
    DIGITAL_IDENTITY = "digital_identity"
    PAYMENTS = "payments"
    DATA_EXCHANGE = "data_exchange"
    DATA_PROTECTION = "data_protection"
    INCLUSION = "inclusion"
    GOVERNANCE = "governance"

    __labels__ = {
        "digital_identity": N_("Digital identity"),
        "payments": N_("Digital payments"),
        "data_exchange": N_("Data exchange"),
        "data_protection": N_("Data protection and privacy"),
        "inclusion": N_("Digital inclusion"),
        "governance": N_("DPI governance"),
    }


class OrganisationRole(LabelledEnum):
    ADMIN = "admin"
    MEMBER = "member"

    __labels__ = {"admin": N_("Organisation admin"), "member": N_("Member")}


class Organisation(Timestamped, Versioned, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    country: Mapped[str] = mapped_column(sa.String(2), index=True)
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    focus_areas: Mapped[list[str]] = mapped_column(default=list)
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    is_consortium_member: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def role_of(self, user) -> OrganisationRole | None:
        if not user or not user.is_authenticated:
            return None
        return next((m.role for m in user.memberships if m.organisation_id == self.id), None)

    def focus_area_labels(self) -> list[str]:
        return [FocusArea(code).label for code in self.focus_areas if code in FocusArea._value2member_map_]


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[OrganisationRole] = mapped_column(
        enum_column(OrganisationRole), default=OrganisationRole.MEMBER
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")  # noqa: F821
    organisation: Mapped[Organisation] = relationship(back_populates="memberships", lazy="joined")


class Invitation(db.Model):
    __tablename__ = "invitations"
    __audit__ = {"exclude": {"token_hash"}}

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[OrganisationRole] = mapped_column(enum_column(OrganisationRole))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
