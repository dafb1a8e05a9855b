"""Trainings, their sessions, registrations, attendance, certificates and disseminators' reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.db import Timestamped, Versioned, db, enum_column, utcnow
from consortium.i18n import LANGUAGES, LabelledEnum
from consortium.i18n import lazy_gettext as _l
from consortium.organisations.models import Organisation
from consortium.users.models import User


class TrainingTopic(LabelledEnum):
    """What a training is about; stored by value in `trainings.topics` (the library's `Topic` is a table)."""

    DPI_BASICS = "dpi_basics"
    DIGITAL_IDENTITY = "digital_identity"
    PAYMENTS = "payments"
    DATA_EXCHANGE = "data_exchange"
    SAFEGUARDS = "safeguards"
    GOVERNANCE = "governance_participation"

    __labels__ = {
        "dpi_basics": _l("DPI basics"),
        "digital_identity": _l("Digital identity"),
        "payments": _l("Digital payments"),
        "data_exchange": _l("Data exchange"),
        "safeguards": _l("Safeguards"),
        "governance_participation": _l("Participation in DPI governance"),
    }


class Modality(LabelledEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"

    __labels__ = {"online": _l("Online"), "in_person": _l("In person"), "hybrid": _l("Hybrid")}


class ApprovalMode(LabelledEnum):
    AUTOMATIC = "automatic"
    STAFF = "staff"

    __labels__ = {"automatic": _l("Automatic"), "staff": _l("Staff approval")}


class TrainingState(LabelledEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"

    __labels__ = {"draft": _l("Draft"), "published": _l("Published"), "cancelled": _l("Cancelled")}


class RegistrationState(LabelledEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    __labels__ = {
        "pending": _l("Pending approval"),
        "confirmed": _l("Confirmed"),
        "waitlisted": _l("On the waiting list"),
        "rejected": _l("Not accepted"),
        "cancelled": _l("Cancelled"),
    }


class Revocation(LabelledEnum):
    """Why a certificate no longer holds: the attendance behind it was corrected, or staff revoked it."""

    ATTENDANCE_CORRECTED = "attendance_corrected"
    STAFF_DECISION = "staff_decision"

    __labels__ = {
        "attendance_corrected": _l("the attendance was corrected"),
        "staff_decision": _l("revoked by consortium staff"),
    }


class ReportStatus(LabelledEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"

    __labels__ = {
        "pending": _l("Awaiting verification"),
        "verified": _l("Verified"),
        "rejected": _l("Rejected"),
    }


ACTIVE_STATES = (RegistrationState.PENDING, RegistrationState.CONFIRMED, RegistrationState.WAITLISTED)


class AudienceKind(LabelledEnum):
    CSO = "cso"
    COMMUNITY = "community"
    GOVERNMENT = "government"
    ACADEMIA = "academia"
    MEDIA = "media"
    OTHER = "other"

    __labels__ = {
        "cso": _l("Civil-society organisations"),
        "community": _l("Community members"),
        "government": _l("Government officials"),
        "academia": _l("Students and academics"),
        "media": _l("Journalists"),
        "other": _l("Other"),
    }


class Training(Timestamped, Versioned, db.Model):
    __tablename__ = "trainings"
    __audit__ = {"exclude": {"confirmed_count"}}
    __table_args__ = (
        sa.CheckConstraint("confirmed_count >= 0", name="confirmed_not_negative"),
        sa.Index("ix_trainings_state_starts_at", "state", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(sa.String(8), default="es")  # the language it was written in
    title: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {language: text}
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    description: Mapped[dict[str, Any]] = mapped_column(default=dict)
    topics: Mapped[list[str]] = mapped_column(default=list)
    principles: Mapped[list[str]] = mapped_column(default=list)
    modality: Mapped[Modality] = mapped_column(enum_column(Modality), default=Modality.ONLINE)
    venue: Mapped[str] = mapped_column(sa.String(300), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="", index=True)
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")  # shown to confirmed people only
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/Bogota")
    instruction_language: Mapped[str] = mapped_column(sa.String(8), default="es", index=True)
    capacity: Mapped[int] = mapped_column(default=20)
    seats_per_organisation: Mapped[int | None]
    confirmed_count: Mapped[int] = mapped_column(default=0)  # changed only by atomic UPDATEs
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    approval: Mapped[ApprovalMode] = mapped_column(enum_column(ApprovalMode), default=ApprovalMode.AUTOMATIC)
    state: Mapped[TrainingState] = mapped_column(enum_column(TrainingState), default=TrainingState.DRAFT)
    organiser_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"))
    trainers: Mapped[str] = mapped_column(sa.String(500), default="")
    completion_percent: Mapped[int] = mapped_column(default=75)  # share of sessions attended to complete
    starts_at: Mapped[datetime | None]  # first session, kept in step by the services
    ends_at: Mapped[datetime | None]  # last session's end
    reminder_sent_at: Mapped[datetime | None]
    certificates_issued_at: Mapped[datetime | None]  # when the certificates due at the end went out
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    organiser: Mapped[Organisation] = relationship(lazy="joined")
    sessions: Mapped[list[TrainingSession]] = relationship(
        back_populates="training", cascade="all, delete-orphan", order_by="TrainingSession.starts_at"
    )

    def text(self, field: str, language: str) -> tuple[str, str]:
        """(text, language it is in): the reader's language, else the training's own, else any."""
        values = getattr(self, field) or {}
        for code in (language, self.language, *LANGUAGES):
            if values.get(code):
                return values[code], code
        return "", language

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def is_in_person(self) -> bool:
        return self.modality in (Modality.IN_PERSON, Modality.HYBRID)

    def registration_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return (
            self.state is TrainingState.PUBLISHED
            and (self.registration_opens_at is None or self.registration_opens_at <= now)
            and (self.registration_closes_at is None or now < self.registration_closes_at)
            and (self.starts_at is None or now < self.starts_at)
        )


class TrainingSession(db.Model):
    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(sa.ForeignKey("trainings.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    training: Mapped[Training] = relationship(back_populates="sessions")


class Registration(db.Model):
    __tablename__ = "registrations"
    # Health and personal circumstances: the audit log, which all staff read, says only that they changed.
    __audit__ = {"sensitive": {"motivation", "accessibility_needs", "dietary_needs"}}
    __table_args__ = (
        sa.UniqueConstraint("training_id", "user_id"),
        sa.Index("ix_registrations_training_state", "training_id", "state", "waitlisted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(sa.ForeignKey("trainings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[RegistrationState] = mapped_column(
        enum_column(RegistrationState), default=RegistrationState.PENDING
    )
    motivation: Mapped[str] = mapped_column(sa.Text, default="")
    accessibility_needs: Mapped[str] = mapped_column(sa.Text, default="")
    dietary_needs: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    waitlisted_at: Mapped[datetime | None]  # the queue order of the waiting list
    decided_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    # A confirmed seat given up is held this long for its person to undo; then it goes to the waiting list.
    seat_held_until: Mapped[datetime | None]

    training: Mapped[Training] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation | None] = relationship()
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )
    certificate: Mapped[Certificate | None] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class Attendance(db.Model):
    __tablename__ = "attendances"
    __table_args__ = (sa.UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    registration: Mapped[Registration] = relationship(back_populates="attendances")


class Certificate(db.Model):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A revoked certificate stays, so its public check says "revoked on ... (why)" instead of "not found".
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revocation: Mapped[Revocation | None] = mapped_column(enum_column(Revocation))
    revoked_reason: Mapped[str] = mapped_column(sa.String(500), default="")

    registration: Mapped[Registration] = relationship(back_populates="certificate")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class DisseminationReport(Timestamped, Versioned, db.Model):
    """A training that an organisation gave in turn, after its people completed one of ours."""

    __tablename__ = "dissemination_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    reported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    held_on: Mapped[date]
    country: Mapped[str] = mapped_column(sa.String(2))
    language: Mapped[str] = mapped_column(sa.String(8))
    audience_kind: Mapped[AudienceKind] = mapped_column(enum_column(AudienceKind))
    participants: Mapped[int]
    topics: Mapped[list[str]] = mapped_column(default=list)
    # [{"title": ..., "url": ...}] as the reporter gave them; the library is another feature.
    resources: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    rejected_at: Mapped[datetime | None]
    rejected_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    rejection_reason: Mapped[str] = mapped_column(sa.Text, default="")

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def status(self) -> ReportStatus:
        if self.verified_at is not None:
            return ReportStatus.VERIFIED
        return ReportStatus.REJECTED if self.rejected_at is not None else ReportStatus.PENDING
