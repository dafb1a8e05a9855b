"""Races on a meeting from several server processes at once: cancelling twice, changing while it is
cancelled, approving the minutes twice. Each step locks the meeting's row and checks inside the lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consortium import transaction
from consortium.governance.activity import EventKind, SpaceEvent
from consortium.governance.models import SeatRole
from consortium.governance.records import Meeting
from consortium.governance.services import minutes
from tests.consortium.governance.conftest import meeting_in
from tests.consortium.governance.test_concurrency import _at_once, _job


@pytest.fixture
def workers(_workers):
    return _workers


def _kinds(db) -> list[EventKind]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(SpaceEvent.kind).order_by(SpaceEvent.id)))


@pytest.fixture
def two_convenors(app, login_as, space, convenor, seat_in):
    first, second = app.test_client(), app.test_client()
    login_as(convenor, on=first)
    login_as(seat_in(space, SeatRole.CONVENOR), on=second)
    return first, second


def test_cancelling_twice_at_once_cancels_once(workers, space, two_convenors, db):
    meeting = meeting_in(space, days=2)
    page = f"/governance/meetings/{meeting.id}/cancel"
    jobs = [_job(c, page, page, {"reason": f"Motivo {n}"}) for n, c in enumerate(two_convenors)]
    answers = _at_once(workers, db, jobs)
    assert sorted(status for status, _ in answers) == [200, 302], answers
    cancelled = db.session.get(Meeting, meeting.id)
    assert cancelled.is_cancelled and cancelled.sequence == 1
    assert _kinds(db).count(EventKind.MEETING_CANCELLED) == 1


def test_a_change_sent_as_the_meeting_is_cancelled_never_follows_the_cancellation(
    workers, space, two_convenors, db
):
    meeting = meeting_in(space, days=2)
    local = (meeting.starts_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    change = {
        "title": "Plenária",
        "agenda": "Nova pauta",
        "starts_at": local,
        "ends_at": (meeting.starts_at + timedelta(days=1, hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Recife",
        "online_url": "",
    }
    edit, cancel = f"/governance/meetings/{meeting.id}/edit", f"/governance/meetings/{meeting.id}/cancel"
    first, second = two_convenors
    jobs = [_job(first, edit, edit, change), _job(second, cancel, cancel, {"reason": "Feriado."})]
    answers = _at_once(workers, db, jobs)
    # the change is refused (200: cancelled; 409: the page it was made on is outdated) or came first
    assert answers[1][0] == 302 and answers[0][0] in (200, 302, 409), answers
    kinds = _kinds(db)
    assert kinds[-1] is EventKind.MEETING_CANCELLED, kinds  # a change, if any, came before
    assert db.session.get(Meeting, meeting.id).sequence == len(kinds) - 1  # one per change, after scheduling


def test_approving_the_minutes_twice_at_once_publishes_them_once(workers, app, space, two_convenors, db):
    meeting = meeting_in(space, days=-3)
    with app.test_request_context(), transaction.writing():
        minutes.post_draft(
            meeting,
            by=None,
            minutes={"pt_BR": "Ata."},
            review_until=meeting.ends_at + timedelta(days=1),
            now=meeting.ends_at,
        )
        db.session.commit()
    page = f"/governance/meetings/{meeting.id}"
    jobs = [_job(c, page, f"{page}/minutes/approve", {}) for c in two_convenors]
    answers = _at_once(workers, db, jobs)
    assert {status for status, _ in answers} == {302}, answers
    assert db.session.get(Meeting, meeting.id).minutes == {"pt_BR": "Ata."}
    assert _kinds(db).count(EventKind.MINUTES_PUBLISHED) == 1
