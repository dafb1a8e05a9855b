"""Meetings of a space: scheduled, changed (time, place, agenda) or cancelled by its convenors, with the
attendance recorded per seat. Each change adds one to the meeting's calendar SEQUENCE, so calendars that
imported the .ics replace their copy, and is kept as an event for the followers' digests.

Every change locks the meeting's row and checks its state inside the lock: a change and a cancellation
sent at once never leave a "changed" event after the cancellation, nor a second cancellation."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from consortium import transaction
from consortium.db import db, utcnow
from consortium.governance.activity import EventKind
from consortium.governance.models import Seat, Space, SpaceState
from consortium.governance.records import Meeting, MeetingAttendance, MeetingKind
from consortium.governance.services import following
from consortium.governance.services.errors import GovernanceError
from consortium.i18n import lazy_gettext as _l
from consortium.signals import state_changed


def _checked(space: Space, *, starts_at: datetime, ends_at: datetime, online_url: str, place: str) -> None:
    if space.state is SpaceState.ARCHIVED:
        raise GovernanceError(_l("The space is archived."))
    if ends_at <= starts_at:
        raise GovernanceError(_l("The meeting must end after it starts."))
    if not (online_url.strip() or place.strip()):
        raise GovernanceError(_l("Give the online link or the place of the meeting."))


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
    kind: MeetingKind = MeetingKind.PLENARY,
) -> Meeting:
    _checked(space, starts_at=starts_at, ends_at=ends_at, online_url=online_url, place=place)
    meeting = Meeting(
        space_id=space.id,
        title=title.strip(),
        kind=kind,
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
    following.record_event(space, EventKind.MEETING_SCHEDULED, meeting, meeting.title)
    return meeting


def update_meeting(
    meeting: Meeting,
    *,
    by,
    title: str,
    agenda: str,
    starts_at: datetime,
    ends_at: datetime,
    online_url: str = "",
    place: str = "",
    kind: MeetingKind = MeetingKind.PLENARY,
    expected_version: int | None = None,
) -> Meeting:
    """Change the meeting; a change of anything but the title is news for the followers and calendars.

    With ``expected_version`` (the version the editor's page showed), a change saved since is refused
    with ``StaleDataError`` once the row is locked, as the version counter refuses it at the flush.
    """
    meeting = transaction.lock(Meeting, meeting.id)
    if expected_version is not None and meeting.version != expected_version:
        raise StaleDataError(f"meeting {meeting.id} is at version {meeting.version}, not {expected_version}")
    if meeting.is_cancelled:
        raise GovernanceError(_l("The meeting was cancelled."))
    _checked(meeting.space, starts_at=starts_at, ends_at=ends_at, online_url=online_url, place=place)
    new = {
        "kind": kind,
        "agenda": agenda.strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "online_url": online_url.strip(),
        "place": place.strip(),
    }
    changed = any(getattr(meeting, name) != value for name, value in new.items())
    retitled = meeting.title != title.strip()
    for name, value in new.items():
        setattr(meeting, name, value)
    meeting.title = title.strip()
    if changed or retitled:
        meeting.sequence += 1
    db.session.flush()
    if changed:
        state_changed.send(meeting, action="governance.meeting_changed", by=by, summary=meeting.title[:80])
        following.record_event(meeting.space, EventKind.MEETING_CHANGED, meeting, meeting.title)
    return meeting


def cancel_meeting(meeting: Meeting, *, by, reason: str, now: datetime | None = None) -> Meeting:
    """Cancel a meeting that has not ended, with the reason the page and the followers are given."""
    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        raise GovernanceError(_l("Give the reason for the cancellation."))
    meeting = transaction.lock(Meeting, meeting.id)
    if meeting.is_cancelled:
        raise GovernanceError(_l("The meeting was cancelled."))
    if meeting.has_ended(now):
        raise GovernanceError(_l("The meeting has already taken place."))
    meeting.cancelled_at = now
    meeting.cancel_reason = reason
    meeting.sequence += 1
    db.session.flush()
    state_changed.send(meeting, action="governance.meeting_cancelled", by=by, summary=meeting.title[:80])
    following.record_event(meeting.space, EventKind.MEETING_CANCELLED, meeting, meeting.title)
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
