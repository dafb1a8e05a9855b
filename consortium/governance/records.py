"""What a space keeps beside its consultations: meetings (agenda, attendance by seat, minutes), decisions
(text, rationale, each seat's position, the contributions and framework codes they answer) and the people
who follow the space."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from consortium.db import Timestamped, Versioned, db, enum_column, utcnow
from consortium.governance.contribution_models import Contribution
from consortium.governance.models import Seat, Sector, Space
from consortium.i18n import LabelledEnum, current_language
from consortium.i18n import lazy_gettext as _l
from consortium.organisations.models import Organisation


class MeetingKind(LabelledEnum):
    PLENARY = "plenary"
    WORKING_GROUP = "working_group"
    PUBLIC_HEARING = "public_hearing"
    VALIDATION_WORKSHOP = "validation_workshop"

    __labels__ = {
        "plenary": _l("Plenary"),
        "working_group": _l("Working group"),
        "public_hearing": _l("Public hearing"),
        "validation_workshop": _l("Validation workshop"),
    }


class MeetingFormat(LabelledEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"

    __labels__ = {"online": _l("Online"), "in_person": _l("In person"), "hybrid": _l("Hybrid")}


class Meeting(Timestamped, Versioned, db.Model):
    __tablename__ = "governance_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_spaces.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[MeetingKind] = mapped_column(
        enum_column(MeetingKind), default=MeetingKind.PLENARY, server_default="plenary"
    )
    agenda: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    #: {language: text}; published once approved, after the attendees' review
    minutes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    minutes_published_at: Mapped[datetime | None]
    #: the draft the attendees review until ``review_until``; the convenor approves it after that
    draft_minutes: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default="{}")
    review_until: Mapped[datetime | None]
    #: the calendar's SEQUENCE: each change of time, place or agenda (and a cancellation) adds one
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    space: Mapped[Space] = relationship()

    def minutes_in(self, language: str | None = None) -> tuple[str, str]:
        """(text, its language): the reader's language, else the space's main one, else any."""
        values = self.minutes or {}
        language = language or current_language()
        for code in (language, self.space.main_language, *values):
            if values.get(code):
                return values[code], code
        return "", language

    def has_ended(self, now: datetime) -> bool:
        return self.ends_at <= now

    @property
    def format(self) -> MeetingFormat:
        """Where people take part, from what the meeting gives: a link, a place, or both."""
        if self.online_url and self.place:
            return MeetingFormat.HYBRID
        return MeetingFormat.ONLINE if self.online_url else MeetingFormat.IN_PERSON

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def in_review(self, now: datetime) -> bool:
        """A draft is posted and its review window has not closed."""
        return bool(self.draft_minutes) and self.review_until is not None and now < self.review_until


class MinutesComment(db.Model):
    """An attendee's comment (or objection) on the draft minutes: one per seat present, while in review."""

    __tablename__ = "governance_minutes_comments"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "seat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_meetings.id", ondelete="CASCADE"), index=True
    )
    seat_id: Mapped[int] = mapped_column(sa.ForeignKey("governance_seats.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.String(1000))
    is_objection: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    seat: Mapped[Seat] = relationship()


class MeetingAttendance(db.Model):
    __tablename__ = "governance_attendances"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "seat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_meetings.id", ondelete="CASCADE"), index=True
    )
    seat_id: Mapped[int] = mapped_column(sa.ForeignKey("governance_seats.id", ondelete="CASCADE"))

    seat: Mapped[Seat] = relationship()


class Position(LabelledEnum):
    SUPPORTED = "supported"
    OPPOSED = "opposed"
    ABSTAINED = "abstained"

    __labels__ = {"supported": _l("Supported"), "opposed": _l("Opposed"), "abstained": _l("Abstained")}


decision_contributions = sa.Table(
    "governance_decision_contributions",
    db.metadata,
    sa.Column("decision_id", sa.ForeignKey("governance_decisions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "contribution_id",
        sa.ForeignKey("governance_contributions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)


class DecisionKind(LabelledEnum):
    VALIDATION = "validation"
    RESOLUTION = "resolution"
    RECOMMENDATION = "recommendation"
    PRIORITY_RANKING = "priority_ranking"

    __labels__ = {
        "validation": _l("Validation"),
        "resolution": _l("Resolution"),
        "recommendation": _l("Recommendation"),
        "priority_ranking": _l("Priority ranking"),
    }


class DecisionMethod(LabelledEnum):
    CONSENSUS = "consensus"
    VOTE = "vote"

    __labels__ = {"consensus": _l("By consensus"), "vote": _l("By vote")}


class SpaceDecision(db.Model):
    __tablename__ = "governance_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_spaces.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("governance_meetings.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[DecisionKind] = mapped_column(
        enum_column(DecisionKind), default=DecisionKind.RESOLUTION, server_default="resolution"
    )
    method: Mapped[DecisionMethod] = mapped_column(
        enum_column(DecisionMethod), default=DecisionMethod.VOTE, server_default="vote"
    )
    text: Mapped[str] = mapped_column(sa.Text)
    rationale: Mapped[str] = mapped_column(sa.Text)
    #: the dissenting view, in the opposing seats' words, kept with the decision
    dissent: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    #: framework codes (``consortium.reference.principles``) the decision answers
    principles: Mapped[list[str]] = mapped_column(default=list)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    space: Mapped[Space] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    votes: Mapped[list[DecisionVote]] = relationship(cascade="all, delete-orphan", order_by="DecisionVote.id")
    contributions: Mapped[list[Contribution]] = relationship(
        secondary=decision_contributions, order_by=Contribution.id
    )

    def seats_by_position(self) -> dict[Position, list[DecisionVote]]:
        """Each position's votes (each with its ``organisation`` and ``sector``)."""
        tally: dict[Position, list[DecisionVote]] = {position: [] for position in Position}
        for vote in self.votes:
            tally[vote.position].append(vote)
        return tally

    def tally_by_sector(self) -> dict[Sector, dict[Position, int]]:
        """How many seats of each sector took each position (sectors without a vote left out)."""
        tally: dict[Sector, dict[Position, int]] = {}
        for vote in self.votes:
            counts = tally.setdefault(vote.sector, dict.fromkeys(Position, 0))
            counts[vote.position] += 1
        return dict(sorted(tally.items(), key=lambda item: list(Sector).index(item[0])))


class DecisionVote(db.Model):
    """A seat's position, with the organisation and sector it held then: the decision's record stays as
    it was when the seat ends or its holder deletes their account (the seat link then goes)."""

    __tablename__ = "governance_decision_votes"
    __table_args__ = (sa.UniqueConstraint("decision_id", "seat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_decisions.id", ondelete="CASCADE"), index=True
    )
    seat_id: Mapped[int | None] = mapped_column(sa.ForeignKey("governance_seats.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    sector: Mapped[Sector] = mapped_column(enum_column(Sector))
    position: Mapped[Position] = mapped_column(enum_column(Position))

    organisation: Mapped[Organisation | None] = relationship()


class DigestFrequency(LabelledEnum):
    DAILY = "daily"
    WEEKLY = "weekly"

    __labels__ = {"daily": _l("Daily digest"), "weekly": _l("Weekly digest")}


class SpaceFollow(db.Model):
    __tablename__ = "governance_follows"
    __table_args__ = (sa.UniqueConstraint("space_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_spaces.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    frequency: Mapped[DigestFrequency] = mapped_column(
        enum_column(DigestFrequency), default=DigestFrequency.DAILY, server_default="daily"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConsultationFollow(db.Model):
    """Following one consultation only (its opening and closing), without the rest of its space."""

    __tablename__ = "governance_consultation_follows"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_consultations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    frequency: Mapped[DigestFrequency] = mapped_column(
        enum_column(DigestFrequency), default=DigestFrequency.DAILY, server_default="daily"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# how many contributions a decision answers, read with the decision itself (the list page stays at 4 queries)
SpaceDecision.answer_count = column_property(
    sa.select(sa.func.count())
    .where(decision_contributions.c.decision_id == SpaceDecision.id)
    .correlate_except(decision_contributions)
    .scalar_subquery()
)
