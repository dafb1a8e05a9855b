"""Minutes go through the attendees' review: the convenor posts a draft with a review date, the seats
present comment or object while it is open (others are refused), then the convenor approves it and the
minutes are published for everyone who sees the space, in their language or with a notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from consortium.governance.activity import EventKind, SpaceEvent
from consortium.governance.models import Seat, SeatRole
from consortium.governance.records import Meeting, MeetingAttendance, MinutesComment
from tests.conftest import hidden_fields
from tests.consortium.governance.conftest import meeting_in

ZONE = "America/Sao_Paulo"


@pytest.fixture
def space(make_space):
    return make_space(timezone=ZONE)


def _present(meeting, user, db) -> Seat:
    seat = db.session.scalars(sa.select(Seat).where(Seat.user_id == user.id)).one()
    db.session.add(MeetingAttendance(meeting_id=meeting.id, seat_id=seat.id))
    db.session.commit()
    return seat


def _local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M")


def _draft(submit, meeting, text="Ata provisória.", hours=2):
    until = datetime.now(UTC) + timedelta(hours=hours)
    data = {"minutes_pt_BR": text, "review_until": _local(until)}
    return submit(f"/governance/meetings/{meeting.id}/minutes", data)


def _comment(client, meeting, body, **extra):
    page = f"/governance/meetings/{meeting.id}"
    fields = hidden_fields(client.get(page).get_data(as_text=True), f"{page}/minutes/comments")
    return client.post(f"{page}/minutes/comments", data={**fields, "body": body, **extra})


def _approve(client, meeting):
    """POST the approval with the page's CSRF token (its button shows only once the review closed)."""
    page = f"/governance/meetings/{meeting.id}"
    fields = hidden_fields(client.get(page).get_data(as_text=True), "/logout")
    return client.post(f"{page}/minutes/approve", data=fields)


def test_attendees_review_the_draft_and_the_convenor_then_publishes_it(
    app, client, login_as, space, convenor, seat_in, submit, mail_outbox, db
):
    meeting = meeting_in(space, days=-2)
    attendee = seat_in(space, SeatRole.MEMBER, sector="government")
    _present(meeting, attendee, db)
    _present(meeting, convenor, db)
    login_as(convenor)
    assert _draft(submit, meeting).status_code == 302
    # each person recorded present is asked, in their language, with a link to the draft
    asked = sorted(mail_outbox(), key=lambda m: m.to_email)
    assert sorted(m.to_email for m in asked) == sorted([attendee.email, convenor.email])
    assert {m.template for m in asked} == {"governance/minutes_review"}
    assert all(f"/governance/meetings/{meeting.id}#review" in m.body_text for m in asked)
    assert all("America/Sao_Paulo" in m.body_text and "Plenária" not in m.subject for m in asked)
    anonymous = app.test_client()
    html = anonymous.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert "Ata provisória." not in html  # a draft is for the attendees and convenors only
    assert 'id="review"' in client.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    # the review is open: approving now is refused
    assert _approve(client, meeting).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).minutes_published_at is None

    reviewer = app.test_client()
    login_as(attendee, on=reviewer)
    assert "Ata provisória." in reviewer.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert _comment(reviewer, meeting, "Falta o ponto 2.", is_objection="y").status_code == 302
    assert _comment(reviewer, meeting, "Falta o ponto 2, e o 3.").status_code == 302  # replaces the first
    db.session.expire_all()
    (kept,) = db.session.scalars(sa.select(MinutesComment)).all()
    assert (kept.body, kept.is_objection) == ("Falta o ponto 2, e o 3.", False)
    assert "Falta o ponto 2, e o 3." in client.get(f"/governance/meetings/{meeting.id}").get_data(
        as_text=True
    )

    with time_machine.travel(datetime.now(UTC) + timedelta(hours=3)):
        fields = hidden_fields(
            reviewer.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True), "/logout"
        )
        late = {**fields, "body": "Tarde demais."}  # the window closed: the form is gone, a POST is refused
        assert (
            reviewer.post(f"/governance/meetings/{meeting.id}/minutes/comments", data=late).status_code == 302
        )
        page = client.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
        assert f"/governance/meetings/{meeting.id}/minutes/approve" in page
        assert _approve(client, meeting).status_code == 302
    db.session.expire_all()
    published = db.session.get(Meeting, meeting.id)
    assert published.minutes == {"pt_BR": "Ata provisória."} and published.minutes_published_at is not None
    assert published.draft_minutes == {}
    assert db.session.scalars(sa.select(MinutesComment.body)).all() == ["Falta o ponto 2, e o 3."]
    kinds = db.session.scalars(sa.select(SpaceEvent.kind)).all()
    assert kinds.count(EventKind.MINUTES_PUBLISHED) == 1
    anonymous.set_cookie("lang", "en")
    html = anonymous.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert "Ata provisória." in html and 'id="minutes-fallback"' in html
    anonymous.set_cookie("lang", "pt_BR")
    html = anonymous.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert "Ata provisória." in html and "minutes-fallback" not in html


def test_a_seat_holder_who_was_not_present_cannot_comment(
    app, login_as, space, convenor, seat_in, submit, db
):
    meeting = meeting_in(space, days=-2)
    absent = seat_in(space, SeatRole.MEMBER)
    login_as(convenor)
    assert _draft(submit, meeting).status_code == 302
    other = app.test_client()
    login_as(absent, on=other)
    html = other.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert "Ata provisória." not in html and "/minutes/comments" not in html
    fields = hidden_fields(html, "/logout")
    response = other.post(
        f"/governance/meetings/{meeting.id}/minutes/comments", data={**fields, "body": "Eu"}
    )
    assert response.status_code == 403
    assert db.session.scalars(sa.select(MinutesComment)).all() == []


def test_the_draft_waits_for_the_end_of_the_meeting_and_a_future_review_date(
    login_as, space, convenor, submit, db
):
    upcoming = meeting_in(space, days=2)
    login_as(convenor)
    assert _draft(submit, upcoming).status_code == 200
    past = meeting_in(space, days=-2)
    response = _draft(submit, past, hours=-1)
    assert response.status_code == 200 and "Ata provisória." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, past.id).draft_minutes == {}
    assert db.session.get(Meeting, upcoming.id).draft_minutes == {}


@pytest.mark.parametrize("role", [SeatRole.MEMBER, None])
def test_only_convenors_draft_and_approve_minutes(client, login_as, space, seat_in, db, role):
    from tests.factories import UserFactory

    meeting = meeting_in(space, days=-2)
    login_as(seat_in(space, role) if role else UserFactory())
    assert client.get(f"/governance/meetings/{meeting.id}/minutes").status_code == 403
