"""Meetings of a space: scheduled by its convenors, attendance recorded per seat, minutes published once
the meeting has ended (in any of the three languages; readers see theirs or the fallback)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from consortium import transaction
from consortium.db import db, utcnow
from consortium.governance.models import Seat, Space, SpaceState
from consortium.governance.records import Meeting, MeetingAttendance
from consortium.governance.services.errors import GovernanceError
from consortium.i18n import lazy_gettext as _l
from consortium.signals import state_changed


def schedule_meeting(
    space: Space,
    *,
    by,
    title: str,
    agenda: str,
    starts_at: datetime,
    ends_at: datetime,
    online_url: str = "",
    place: str = "",
) -> Meeting:
    if space.state is SpaceState.ARCHIVED:
        raise GovernanceError(_l("The space is archived."))
    if ends_at <= starts_at:
        raise GovernanceError(_l("The meeting must end after it starts."))
    if not (online_url.strip() or place.strip()):
        raise GovernanceError(_l("Give the online link or the place of the meeting."))
    meeting = Meeting(
        space_id=space.id,
        title=title.strip(),
        agenda=agenda.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        online_url=online_url.strip(),
        place=place.strip(),
        created_by_id=by.id if by else None,
    )
    db.session.add(meeting)
    db.session.flush()
    state_changed.send(meeting, action="governance.meeting_scheduled", by=by, summary=title[:80])
    return meeting


def record_attendance(meeting: Meeting, *, by, seat_ids: set[int]) -> list[MeetingAttendance]:
    """Replace the meeting's attendance with these seats of its space (others are refused)."""
    meeting = transaction.lock(Meeting, meeting.id)
    known = set(db.session.scalars(sa.select(Seat.id).where(Seat.space_id == meeting.space_id)))
    if not seat_ids <= known:
        raise GovernanceError(_l("Only seats of this space can attend its meetings."))
    db.session.execute(sa.delete(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id))
    rows = [MeetingAttendance(meeting_id=meeting.id, seat_id=seat_id) for seat_id in sorted(seat_ids)]
    db.session.add_all(rows)
    db.session.flush()
    state_changed.send(meeting, action="governance.attendance_recorded", by=by, summary=str(len(rows)))
    return rows


def publish_minutes(meeting: Meeting, *, by, minutes: dict[str, str], now: datetime | None = None) -> Meeting:
    """Publish (or correct) the minutes; only once the meeting has ended, in at least one language."""
    now = now or utcnow()
    meeting = transaction.lock(Meeting, meeting.id)
    if not meeting.has_ended(now):
        raise GovernanceError(_l("Minutes are published after the meeting has ended."))
    texts = {code: text.strip() for code, text in minutes.items() if text and text.strip()}
    if not texts:
        raise GovernanceError(_l("Write the minutes in at least one language."))
    meeting.minutes = texts
    meeting.minutes_published_at = meeting.minutes_published_at or now
    db.session.flush()
    state_changed.send(meeting, action="governance.minutes_published", by=by, summary=meeting.title[:80])
    return meeting
