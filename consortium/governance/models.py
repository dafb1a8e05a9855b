"""Governance spaces, their seats, and consultations on a sectioned document (what people send and what
is answered lives in ``contribution_models``)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.db import Timestamped, Versioned, db, enum_column, utcnow
from consortium.i18n import LANGUAGES, LabelledEnum, current_language
from consortium.i18n import lazy_gettext as _l
from consortium.organisations.models import Organisation
from consortium.reference.systems import DpiSystem
from consortium.users.models import User


class SpaceState(LabelledEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"

    __labels__ = {
        "draft": _l("Draft"),
        "active": _l("Active"),
        "paused": _l("Paused"),
        "archived": _l("Archived"),
    }


#: The moves staff may make; anything else is refused inside the row lock.
SPACE_TRANSITIONS: dict[SpaceState, frozenset[SpaceState]] = {
    SpaceState.DRAFT: frozenset({SpaceState.ACTIVE, SpaceState.ARCHIVED}),
    SpaceState.ACTIVE: frozenset({SpaceState.PAUSED, SpaceState.ARCHIVED}),
    SpaceState.PAUSED: frozenset({SpaceState.ACTIVE, SpaceState.ARCHIVED}),
    SpaceState.ARCHIVED: frozenset(),
}


class SpaceScope(LabelledEnum):
    SYSTEM = "system"
    PILOT = "pilot"

    __labels__ = {"system": _l("A DPI system"), "pilot": _l("A pilot")}


class LifecycleStage(LabelledEnum):
    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    L4 = "L4"
    L5 = "L5"

    __labels__ = {
        "L1": _l("L1 · Idea and design"),
        "L2": _l("L2 · Pilot"),
        "L3": _l("L3 · Launch"),
        "L4": _l("L4 · Scale"),
        "L5": _l("L5 · Mature operation"),
    }


class Sector(LabelledEnum):
    GOVERNMENT = "government"
    REGULATOR = "regulator"
    DONOR = "donor"
    TECHNOLOGY = "technology"
    ADVOCATES = "advocates"
    ACADEMIA = "academia"
    COMMUNITIES = "communities"

    __labels__ = {
        "government": _l("Government (R1)"),
        "regulator": _l("Regulator (R2)"),
        "donor": _l("Donor (R3)"),
        "technology": _l("Technology provider (R4)"),
        "advocates": _l("Advocates and civil society (R5)"),
        "academia": _l("Academia"),
        "communities": _l("Affected communities"),
    }


class SeatRole(LabelledEnum):
    CONVENOR = "convenor"
    FOCAL_POINT = "focal_point"
    MEMBER = "member"
    OBSERVER = "observer"
    MODERATOR = "moderator"

    __labels__ = {
        "convenor": _l("Convenor"),
        "focal_point": _l("Government focal point"),
        "member": _l("Member"),
        "observer": _l("Observer"),
        "moderator": _l("Moderator"),
    }


#: Roles whose holders write contributions (observers follow without taking part).
CONTRIBUTING_ROLES = frozenset({SeatRole.CONVENOR, SeatRole.FOCAL_POINT, SeatRole.MEMBER, SeatRole.MODERATOR})


class Space(Timestamped, Versioned, db.Model):
    __tablename__ = "governance_spaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    #: {language: text}, in any of es, pt_BR, en
    title: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    charter: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    scope: Mapped[SpaceScope] = mapped_column(enum_column(SpaceScope), default=SpaceScope.SYSTEM)
    system_id: Mapped[int] = mapped_column(sa.ForeignKey("dpi_systems.id", ondelete="RESTRICT"), index=True)
    countries: Mapped[list[str]] = mapped_column(default=list)
    #: the languages the space works in, the first one is its main language
    languages: Mapped[list[str]] = mapped_column(default=list)
    stage: Mapped[LifecycleStage] = mapped_column(enum_column(LifecycleStage))
    state: Mapped[SpaceState] = mapped_column(enum_column(SpaceState), default=SpaceState.DRAFT, index=True)
    state_changed_at: Mapped[datetime | None]
    is_public: Mapped[bool] = mapped_column(default=True)
    #: where its meetings happen: times are entered in this zone and shown in each reader's
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC", server_default="UTC")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    system: Mapped[DpiSystem] = relationship(lazy="joined")
    seats: Mapped[list[Seat]] = relationship(back_populates="space", cascade="all, delete-orphan")

    def today(self) -> date:
        """The date on the space's calendar. Seat terms are dates there: a seat ended at 22:00 in Mexico City
        stops counting then, not at the server's midnight six hours later."""
        return today_in(self.timezone)

    @property
    def main_language(self) -> str:
        return next((code for code in self.languages if code in LANGUAGES), "es")

    def text_in(self, field: str, language: str | None = None) -> tuple[str, str]:
        """(text, its language): the reader's language, else the space's main one, else any."""
        values = getattr(self, field) or {}
        language = language or current_language()
        for code in (language, self.main_language, *values):
            if values.get(code):
                return values[code], code
        return "", language

    @property
    def display_title(self) -> str:
        return self.text_in("title")[0] or self.slug

    def __str__(self) -> str:
        return self.display_title


class Seat(db.Model):
    __tablename__ = "governance_seats"
    __table_args__ = (sa.UniqueConstraint("space_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_spaces.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector))
    role: Mapped[SeatRole] = mapped_column(enum_column(SeatRole))
    term_starts_on: Mapped[date]
    term_ends_on: Mapped[date | None]
    #: what the person declared about conflicts of interest ("none" is a declaration too)
    interests: Mapped[str] = mapped_column(sa.Text)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    space: Mapped[Space] = relationship(back_populates="seats")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship()

    def is_current(self, today: date) -> bool:
        """``today``: the space's (``Space.today``)."""
        return term_covers(self.term_starts_on, self.term_ends_on, today)


def term_covers(starts_on: date, ends_on: date | None, day: date) -> bool:
    return starts_on <= day and (ends_on is None or day <= ends_on)


def today_in(zone: str, now: datetime | None = None) -> date:
    """The date in ``zone`` now (or at ``now``): seat terms are dates on a space's calendar."""
    return (now or utcnow()).astimezone(ZoneInfo(zone)).date()


class ConsultationState(LabelledEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    RESPONDING = "responding"
    PUBLISHED = "published"
    ARCHIVED = "archived"

    __labels__ = {
        "draft": _l("Draft"),
        "scheduled": _l("Scheduled"),
        "open": _l("Open"),
        "closed": _l("Closed"),
        "responding": _l("Responding"),
        "published": _l("Responses published"),
        "archived": _l("Archived"),
    }


#: The moves a consultation makes (by hand or by ``flask governance tick``), checked inside the row lock.
CONSULTATION_TRANSITIONS: dict[ConsultationState, frozenset[ConsultationState]] = {
    ConsultationState.DRAFT: frozenset({ConsultationState.SCHEDULED, ConsultationState.OPEN}),
    ConsultationState.SCHEDULED: frozenset({ConsultationState.DRAFT, ConsultationState.OPEN}),
    ConsultationState.OPEN: frozenset({ConsultationState.CLOSED}),
    ConsultationState.CLOSED: frozenset({ConsultationState.RESPONDING, ConsultationState.PUBLISHED}),
    ConsultationState.RESPONDING: frozenset({ConsultationState.PUBLISHED}),
    ConsultationState.PUBLISHED: frozenset({ConsultationState.ARCHIVED}),
    ConsultationState.ARCHIVED: frozenset(),
}

#: The document can change before and while it is read; contributions are closed afterwards.
EDITABLE_STATES = frozenset({ConsultationState.DRAFT, ConsultationState.SCHEDULED, ConsultationState.OPEN})
#: Official responses are drafted and approved once contributions are closed, until they are published.
ANSWERING_STATES = frozenset({ConsultationState.CLOSED, ConsultationState.RESPONDING})
#: Responses are public from then on.
PUBLISHED_STATES = frozenset({ConsultationState.PUBLISHED, ConsultationState.ARCHIVED})


class Eligibility(LabelledEnum):
    """Who may contribute to a consultation (``policies.eligibility_refusal`` applies it)."""

    PUBLIC = "public"
    VERIFIED_ORGANISATIONS = "verified_organisations"
    MEMBERS = "members"

    __labels__ = {
        "public": _l("Anyone signed in with a verified e-mail address"),
        "verified_organisations": _l("People who belong to a verified organisation"),
        "members": _l("The space's seat holders who take part (not observers)"),
    }


class Moderation(LabelledEnum):
    PRE = "pre"
    POST = "post"

    __labels__ = {
        "pre": _l("Before publication: a moderator publishes each contribution"),
        "post": _l("After publication: contributions appear at once and a moderator can hide one"),
    }


class Consultation(Timestamped, Versioned, db.Model):
    __tablename__ = "governance_consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_spaces.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    language: Mapped[str] = mapped_column(sa.String(8))
    state: Mapped[ConsultationState] = mapped_column(
        enum_column(ConsultationState), default=ConsultationState.DRAFT
    )
    #: the document's revision: a section edit makes a new one, contributions name the one they read
    revision: Mapped[int] = mapped_column(default=1)
    eligibility: Mapped[Eligibility] = mapped_column(
        enum_column(Eligibility), default=Eligibility.MEMBERS, server_default=Eligibility.MEMBERS.value
    )
    moderation: Mapped[Moderation] = mapped_column(
        enum_column(Moderation), default=Moderation.POST, server_default=Moderation.POST.value
    )
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    #: planned times (UTC, typed in the space's zone): ``flask governance tick`` opens and closes on them
    opens_at: Mapped[datetime | None] = mapped_column(index=True)
    closes_at: Mapped[datetime | None] = mapped_column(index=True)
    #: when every contribution should have its approved response (the institutions' "response debt")
    responses_due_at: Mapped[datetime | None]
    responses_published_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: the document it started from (``consortium.consultables``) as named then; "" when written here
    source_key: Mapped[str] = mapped_column(sa.String(80), default="", server_default="")
    source_title: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    source_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    space: Mapped[Space] = relationship()
    sections: Mapped[list[Section]] = relationship(
        back_populates="consultation", order_by="Section.position", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.state is ConsultationState.OPEN


class Section(Timestamped, Versioned, db.Model):
    __tablename__ = "governance_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_consultations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    heading: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")

    consultation: Mapped[Consultation] = relationship(back_populates="sections")
