"""What happened in the spaces, kept for the followers' digests: one event row per thing that happened
(a consultation opened, a meeting moved...), and one claim row per person and digest period, which makes
the digest go once however many hosts (or reruns) send it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.db import db, enum_column, utcnow
from consortium.governance.models import Space
from consortium.governance.records import DigestFrequency
from consortium.i18n import LabelledEnum
from consortium.i18n import lazy_gettext as _l


class EventKind(LabelledEnum):
    CONSULTATION_OPENED = "consultation_opened"
    CONSULTATION_CLOSED = "consultation_closed"
    RESPONSES_PUBLISHED = "responses_published"
    DECISION_PUBLISHED = "decision_published"
    MEETING_SCHEDULED = "meeting_scheduled"
    MEETING_CHANGED = "meeting_changed"
    MEETING_CANCELLED = "meeting_cancelled"
    MINUTES_PUBLISHED = "minutes_published"

    __labels__ = {
        "consultation_opened": _l("Consultation opened"),
        "consultation_closed": _l("Consultation closed; its official responses are being prepared"),
        "responses_published": _l("Official responses published"),
        "decision_published": _l("Decision published"),
        "meeting_scheduled": _l("Meeting scheduled"),
        "meeting_changed": _l("Meeting changed"),
        "meeting_cancelled": _l("Meeting cancelled"),
        "minutes_published": _l("Minutes published"),
    }


#: the page each kind of event links to, and the id it takes
EVENT_PAGES = {
    EventKind.CONSULTATION_OPENED: ("governance.consultation", "consultation_id"),
    EventKind.CONSULTATION_CLOSED: ("governance.consultation", "consultation_id"),
    EventKind.RESPONSES_PUBLISHED: ("governance.report", "consultation_id"),
    EventKind.DECISION_PUBLISHED: ("governance.decision", "decision_id"),
    EventKind.MEETING_SCHEDULED: ("governance.meeting", "meeting_id"),
    EventKind.MEETING_CHANGED: ("governance.meeting", "meeting_id"),
    EventKind.MEETING_CANCELLED: ("governance.meeting", "meeting_id"),
    EventKind.MINUTES_PUBLISHED: ("governance.meeting", "meeting_id"),
}


class SpaceEvent(db.Model):
    __tablename__ = "governance_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        sa.ForeignKey("governance_spaces.id", ondelete="CASCADE"), index=True
    )
    #: set for a consultation's events, which its own followers get too
    consultation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("governance_consultations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    #: the consultation, meeting or decision the event is about (its page: ``EVENT_PAGES``)
    target_id: Mapped[int]
    #: its title (or the decision's opening words) when it happened, in its own language
    title: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    space: Mapped[Space] = relationship()


class DigestClaim(db.Model):
    """One person's digest of one period (a day, an ISO week): the unique row is the claim to send it."""

    __tablename__ = "governance_digest_claims"
    __table_args__ = (sa.UniqueConstraint("user_id", "frequency", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    frequency: Mapped[DigestFrequency] = mapped_column(enum_column(DigestFrequency))
    period: Mapped[str] = mapped_column(sa.String(10))  # "2026-12-01" or "2026-W49"
    #: the events up to this moment are in it; the next digest starts after it
    covered_until: Mapped[datetime]
    event_count: Mapped[int]
