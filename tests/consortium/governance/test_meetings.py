"""Meetings: convenors schedule them in the space's time zone, readers see them in theirs with an .ics
file, attendance is recorded per seat and minutes are published after the meeting, in three languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from consortium import transaction
from consortium.governance import services
from consortium.governance.models import Seat, SeatRole
from consortium.governance.records import Meeting, MeetingAttendance
from tests.factories import UserFactory


@pytest.fixture
def space(make_space):
    return make_space(timezone="America/Sao_Paulo")


def _meeting_data(**overrides) -> dict:
    return {
        "title": "Plenária de dezembro",
        "agenda": "1. Devoluções\n2. Dados pessoais",
        "starts_at": "2026-12-10T14:00",
        "ends_at": "2026-12-10T16:00",
        "online_url": "https://meet.example.org/pix",
        "place": "",
        **overrides,
    }


def _make_meeting(space, db, *, past=True) -> Meeting:
    now = datetime.now(UTC)
    start = now - timedelta(days=2) if past else now + timedelta(days=2)
    db.session.commit()
    with transaction.writing():
        meeting = services.schedule_meeting(
            space,
            by=None,
            title="Plenária",
            agenda="Pauta",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Brasília",
        )
        db.session.commit()
    return meeting


def test_a_convenor_schedules_a_meeting_in_the_spaces_time_zone(login_as, space, convenor, submit, db):
    login_as(convenor)
    response = submit(f"/governance/spaces/{space.id}/meetings/new", _meeting_data())
    assert response.status_code == 302
    meeting = db.session.scalars(sa.select(Meeting)).one()
    # 14:00 in São Paulo (UTC-3) is 17:00 UTC
    assert meeting.starts_at == datetime(2026, 12, 10, 17, 0, tzinfo=UTC)
    assert meeting.ends_at == datetime(2026, 12, 10, 19, 0, tzinfo=UTC)


def test_readers_see_the_meeting_in_their_own_zone_and_the_spaces(
    client, login_as, space, convenor, submit, db
):
    login_as(convenor)
    submit(f"/governance/spaces/{space.id}/meetings/new", _meeting_data())
    meeting = db.session.scalars(sa.select(Meeting)).one()
    reader = UserFactory(timezone="America/Lima", locale="en")
    db.session.commit()
    login_as(reader)
    html = client.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert "12:00" in html  # 17:00 UTC in Lima
    assert "2:00" in html and "Plenária de dezembro" in html  # and 2 PM in São Paulo beside it
    assert 'href="https://meet.example.org/pix"' in html


def test_the_meeting_has_an_ics_file_in_utc(client, space, db):
    meeting = _make_meeting(space, db, past=False)
    response = client.get(f"/governance/meetings/{meeting.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert "BEGIN:VEVENT" in body and f"governance-meeting-{meeting.id}@" in body
    assert meeting.starts_at.strftime("DTSTART:%Y%m%dT%H%M%SZ") in body
    assert "LOCATION:Brasília" in body


@pytest.mark.parametrize(
    "overrides",
    [
        {"ends_at": "2026-12-10T13:00"},  # ends before it starts
        {"online_url": "", "place": ""},  # neither link nor place
        {"online_url": "javascript:alert(1)"},
    ],
)
def test_a_wrong_meeting_is_refused_and_keeps_what_was_typed(
    login_as, space, convenor, submit, db, overrides
):
    login_as(convenor)
    response = submit(f"/governance/spaces/{space.id}/meetings/new", _meeting_data(**overrides))
    assert response.status_code == 200
    assert "Plenária de dezembro" in response.get_data(as_text=True)
    assert db.session.scalars(sa.select(Meeting)).all() == []


@pytest.mark.parametrize("role", [None, SeatRole.MEMBER, SeatRole.OBSERVER])
def test_only_convenors_schedule_meetings(client, login_as, space, seat_in, role):
    login_as(seat_in(space, role) if role else UserFactory())
    assert client.get(f"/governance/spaces/{space.id}/meetings/new").status_code == 403


def test_minutes_wait_for_the_end_of_the_meeting(login_as, space, convenor, submit, db):
    meeting = _make_meeting(space, db, past=False)
    login_as(convenor)
    response = submit(f"/governance/meetings/{meeting.id}/minutes", {"minutes_pt_BR": "Ata."})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).minutes_published_at is None


def test_published_minutes_show_in_the_readers_language_or_with_a_notice(
    client, login_as, space, convenor, submit, db
):
    meeting = _make_meeting(space, db)
    login_as(convenor)
    response = submit(f"/governance/meetings/{meeting.id}/minutes", {"minutes_pt_BR": "Ata aprovada."})
    assert response.status_code == 302
    reader = client.application.test_client()
    reader.set_cookie("lang", "pt_BR")
    html = reader.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert "Ata aprovada." in html and "minutes-fallback" not in html
    reader.set_cookie("lang", "en")
    html = reader.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert "Ata aprovada." in html and 'id="minutes-fallback"' in html


def test_attendance_is_recorded_per_seat_of_the_space(
    client, login_as, space, convenor, seat_in, submit, db, make_space
):
    meeting = _make_meeting(space, db)
    present = seat_in(space, SeatRole.MEMBER, sector="government")
    seat = db.session.scalars(sa.select(Seat).where(Seat.user_id == present.id)).one()
    login_as(convenor)
    response = submit(f"/governance/meetings/{meeting.id}/attendance", {"seats": [str(seat.id)]})
    assert response.status_code == 302
    assert db.session.scalars(sa.select(MeetingAttendance.seat_id)).all() == [seat.id]
    html = client.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert present.name in html and "(R1)" in html
    other_space = make_space(slug="bre-b")
    stranger = seat_in(other_space)
    foreign = db.session.scalars(sa.select(Seat).where(Seat.user_id == stranger.id)).one()
    response = submit(f"/governance/meetings/{meeting.id}/attendance", {"seats": [str(foreign.id)]})
    assert response.status_code == 200  # not a choice of this meeting: refused, nothing changed
    assert db.session.scalars(sa.select(MeetingAttendance.seat_id)).all() == [seat.id]


def test_a_members_only_spaces_meetings_are_hidden_from_others(client, make_space, db):
    hidden = make_space(slug="privado", is_public=False)
    meeting = _make_meeting(hidden, db)
    for path in (f"/governance/meetings/{meeting.id}", f"/governance/meetings/{meeting.id}.ics"):
        assert client.get(path).status_code == 404
    assert client.get(f"/governance/spaces/{hidden.id}/meetings").status_code == 404
