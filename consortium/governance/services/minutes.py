"""Minutes of a meeting: the convenor posts a draft with a review date, the attendees (the seats recorded
present, each told by e-mail) comment or object while the review is open, one short comment each (a
second one replaces the first), and once the review has closed the convenor approves the draft: it
becomes the published minutes, seen by everyone who sees the space. A corrected version goes through
the same review.

Each step locks the meeting's row and checks the window inside the lock, so a comment sent as the review
closes is either in before the approval or refused."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from consortium import transaction
from consortium.db import db, utcnow
from consortium.governance.activity import EventKind
from consortium.governance.models import Seat
from consortium.governance.records import Meeting, MeetingAttendance, MinutesComment
from consortium.governance.services import following
from consortium.governance.services.errors import GovernanceError
from consortium.i18n import lazy_gettext as _l
from consortium.mail import public_url, queue_email
from consortium.signals import state_changed
from consortium.users.models import User


def post_draft(
    meeting: Meeting, *, by, minutes: dict[str, str], review_until: datetime, now: datetime | None = None
) -> Meeting:
    now = now or utcnow()
    meeting = transaction.lock(Meeting, meeting.id)
    if meeting.is_cancelled:
        raise GovernanceError(_l("The meeting was cancelled."))
    if not meeting.has_ended(now):
        raise GovernanceError(_l("Minutes are written after the meeting has ended."))
    if review_until <= now:
        raise GovernanceError(_l("The review must end in the future."))
    texts = {code: text.strip() for code, text in minutes.items() if text and text.strip()}
    if not texts:
        raise GovernanceError(_l("Write the minutes in at least one language."))
    meeting.draft_minutes = texts
    meeting.review_until = review_until
    db.session.flush()
    state_changed.send(meeting, action="governance.minutes_drafted", by=by, summary=meeting.title[:80])
    _ask_attendees(meeting)
    return meeting


REVIEW_SUBJECT = _l("Draft minutes wait for your review")


def _ask_attendees(meeting: Meeting) -> None:
    """Tell each person recorded present, in their language, that the draft waits for their comments."""
    people = db.session.scalars(
        sa.select(User)
        .join(Seat, Seat.user_id == User.id)
        .join(MeetingAttendance, MeetingAttendance.seat_id == Seat.id)
        .where(MeetingAttendance.meeting_id == meeting.id, User.is_active, User.deleted_at.is_(None))
        .order_by(User.id)
    ).all()
    url = public_url("governance.meeting", meeting_id=meeting.id, _anchor="review") if people else ""
    for person in people:
        queue_email(
            person.email,
            "governance/minutes_review",
            REVIEW_SUBJECT,
            to_name=person.name,
            locale=person.locale,
            meeting=meeting,
            url=url,
        )


def attendee_seat(meeting: Meeting, user) -> Seat | None:
    """The person's seat recorded present at the meeting, if any."""
    if not user or not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(Seat)
        .join(MeetingAttendance, MeetingAttendance.seat_id == Seat.id)
        .where(MeetingAttendance.meeting_id == meeting.id, Seat.user_id == user.id)
    )


def comment(
    meeting: Meeting, *, by, body: str, is_objection: bool, now: datetime | None = None
) -> MinutesComment:
    now = now or utcnow()
    body = body.strip()
    if not body:
        raise GovernanceError(_l("Write your comment."))
    meeting = transaction.lock(Meeting, meeting.id)
    if not meeting.in_review(now):
        raise GovernanceError(_l("The minutes are not open for review."))
    seat = attendee_seat(meeting, by)
    if seat is None:
        raise GovernanceError(_l("Only the seats present at the meeting review its minutes."))
    found = db.session.scalar(
        sa.select(MinutesComment).where(
            MinutesComment.meeting_id == meeting.id, MinutesComment.seat_id == seat.id
        )
    )
    if found is None:
        found = MinutesComment(meeting_id=meeting.id, seat_id=seat.id, body=body)
        db.session.add(found)
    found.body, found.is_objection, found.created_at = body, is_objection, now
    db.session.flush()
    return found


def approve(meeting: Meeting, *, by, now: datetime | None = None) -> Meeting:
    """Publish the reviewed draft once its review has closed."""
    now = now or utcnow()
    meeting = transaction.lock(Meeting, meeting.id)
    if not meeting.draft_minutes:
        raise GovernanceError(_l("There is no draft of the minutes to approve."))
    if meeting.in_review(now):
        raise GovernanceError(_l("The attendees' review is still open."))
    meeting.minutes = meeting.draft_minutes
    meeting.draft_minutes = {}
    meeting.minutes_published_at = meeting.minutes_published_at or now
    db.session.flush()
    state_changed.send(meeting, action="governance.minutes_published", by=by, summary=meeting.title[:80])
    following.record_event(meeting.space, EventKind.MINUTES_PUBLISHED, meeting, meeting.title)
    return meeting
