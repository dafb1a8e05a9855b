"""Meetings: convenors schedule, change and cancel them in the space's time zone, readers see them in
theirs with an .ics file (its SEQUENCE and STATUS follow the changes), attendance is recorded per seat and
the page checks the balance of sectors present (the minutes' review is in ``test_minutes``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from consortium import transaction
from consortium.governance import services
from consortium.governance.activity import EventKind, SpaceEvent
from consortium.governance.models import Seat, SeatRole
from consortium.governance.records import Meeting, MeetingAttendance
from tests.conftest import field_error, hidden_fields
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


def _events(db) -> list[tuple]:
    db.session.expire_all()
    return [(e.kind, e.target_id) for e in db.session.scalars(sa.select(SpaceEvent).order_by(SpaceEvent.id))]


def test_a_convenor_changes_a_meeting_and_its_calendar_file_follows(
    client, login_as, space, convenor, submit, db
):
    login_as(convenor)
    assert submit(f"/governance/spaces/{space.id}/meetings/new", _meeting_data()).status_code == 302
    meeting = db.session.scalars(sa.select(Meeting)).one()
    assert _events(db) == [(EventKind.MEETING_SCHEDULED, meeting.id)]
    page = f"/governance/meetings/{meeting.id}/edit"
    html = client.get(page).get_data(as_text=True)
    assert 'value="2026-12-10T14:00"' in html  # in the space's zone
    assert "Modificar la reunión" in html
    changed = _meeting_data(starts_at="2026-12-11T09:00", ends_at="2026-12-11T11:00", place="Brasília")
    assert submit(page, changed).status_code == 302
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.starts_at == datetime(2026, 12, 11, 12, 0, tzinfo=UTC) and meeting.sequence == 1
    assert _events(db)[-1] == (EventKind.MEETING_CHANGED, meeting.id)
    body = client.get(f"/governance/meetings/{meeting.id}.ics").get_data(as_text=True)
    assert "SEQUENCE:1" in body and "DTSTART:20261211T120000Z" in body and "LOCATION:Brasília" in body
    assert "STATUS:CANCELLED" not in body
    bad = _meeting_data(ends_at="2026-12-10T13:00", title="Outra")
    assert submit(page, bad).status_code == 200  # refused, what was typed kept
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "Plenária de dezembro"


def test_a_convenor_cancels_a_meeting_with_a_reason(client, login_as, space, convenor, submit, db):
    meeting = _make_meeting(space, db, past=False)
    login_as(convenor)
    page = f"/governance/meetings/{meeting.id}/cancel"
    assert submit(page, {"reason": ""}).status_code == 200  # a reason is required
    assert submit(page, {"reason": "Feriado nacional."}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).is_cancelled
    assert _events(db)[-1] == (EventKind.MEETING_CANCELLED, meeting.id)
    anonymous = client.application.test_client()
    anonymous.set_cookie("lang", "en")
    html = anonymous.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert 'id="cancelled"' in html and "Feriado nacional." in html
    html = anonymous.get(f"/governance/spaces/{space.id}/meetings").get_data(as_text=True)
    assert "<strong>Cancelled</strong>" in html
    body = anonymous.get(f"/governance/meetings/{meeting.id}.ics").get_data(as_text=True)
    assert "STATUS:CANCELLED" in body and "SEQUENCE:1" in body
    # a cancelled meeting is neither cancelled again nor changed
    assert submit(page, {"reason": "Outra vez."}).status_code == 200
    edit = f"/governance/meetings/{meeting.id}/edit"
    assert submit(edit, _meeting_data()).status_code == 200
    assert [kind for kind, _id in _events(db)].count(EventKind.MEETING_CANCELLED) == 1


def test_a_past_meeting_cannot_be_cancelled(login_as, space, convenor, submit, db):
    meeting = _make_meeting(space, db, past=True)
    login_as(convenor)
    assert submit(f"/governance/meetings/{meeting.id}/cancel", {"reason": "Tarde."}).status_code == 200
    db.session.expire_all()
    assert not db.session.get(Meeting, meeting.id).is_cancelled


@pytest.mark.parametrize("role", [None, SeatRole.MEMBER])
def test_only_convenors_change_or_cancel_meetings(client, login_as, space, seat_in, db, role):
    meeting = _make_meeting(space, db, past=False)
    login_as(seat_in(space, role) if role else UserFactory())
    for step in ("edit", "cancel"):
        assert client.get(f"/governance/meetings/{meeting.id}/{step}").status_code == 403


def test_the_meeting_page_checks_the_balance_of_sectors_present(
    client, login_as, space, convenor, seat_in, submit, db
):
    meeting = _make_meeting(space, db)
    official = seat_in(space, SeatRole.FOCAL_POINT, sector="government")
    seat = db.session.scalars(sa.select(Seat).where(Seat.user_id == official.id)).one()
    reader = client.application.test_client()
    reader.set_cookie("lang", "en")
    html = reader.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert 'id="balance"' not in html  # nobody recorded yet: nothing to judge
    login_as(convenor)
    assert (
        submit(f"/governance/meetings/{meeting.id}/attendance", {"seats": [str(seat.id)]}).status_code == 302
    )
    html = reader.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert "No civil society seat present" in html and "No government seat present" not in html


def test_a_meeting_has_a_kind_and_a_format(client, login_as, space, convenor, submit, db):
    login_as(convenor)
    data = _meeting_data(kind="public_hearing", place="Brasília")
    assert submit(f"/governance/spaces/{space.id}/meetings/new", data).status_code == 302
    meeting = db.session.scalars(sa.select(Meeting)).one()
    assert meeting.kind.value == "public_hearing"
    html = client.get(f"/governance/meetings/{meeting.id}").get_data(as_text=True)
    assert "Audiencia pública · Híbrida" in html  # a link and a place
    listing = client.get(f"/governance/spaces/{space.id}/meetings").get_data(as_text=True)
    assert "Audiencia pública" in listing


def test_an_unknown_kind_of_meeting_is_refused_under_its_field(login_as, space, convenor, submit, db):
    login_as(convenor)
    response = submit(f"/governance/spaces/{space.id}/meetings/new", _meeting_data(kind="fiesta"))
    assert response.status_code in (200, 422) and field_error(response.get_data(as_text=True), "kind")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_a_change_on_an_outdated_page_is_shown_beside_the_saved_meeting(
    client, login_as, space, convenor, db
):
    """Two convenors change one meeting: the second sees the first's version beside what they typed,
    nothing is overwritten silently, and saving again overwrites it knowingly."""
    meeting = _make_meeting(space, db, past=False)
    login_as(convenor)
    page = f"/governance/meetings/{meeting.id}/edit"
    fields = hidden_fields(client.get(page).get_data(as_text=True), "")
    with transaction.writing():
        services.update_meeting(
            db.session.get(Meeting, meeting.id),
            by=None,
            title="Plenária movida por outra pessoa",
            agenda="Pauta",
            starts_at=meeting.starts_at + timedelta(days=1),
            ends_at=meeting.ends_at + timedelta(days=1),
            place="Recife",
        )
        db.session.commit()
    mine = {
        **fields,
        **_meeting_data(title="Minha plenária", starts_at="2030-01-10T14:00", ends_at="2030-01-10T16:00"),
    }
    response = client.post(page, data=mine)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Plenária movida por outra pessoa" in html and "Recife" in html  # as saved by the other
    assert 'value="Minha plenária"' in html  # what this person typed is kept
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "Plenária movida por outra pessoa"
    again = hidden_fields(html, "")
    assert client.post(page, data={**mine, **again}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "Minha plenária"


def test_a_change_racing_another_after_the_page_was_checked_is_refused(space, db):
    """The version is checked again once the meeting is locked, so a change saved in between is not lost."""
    meeting = _make_meeting(space, db, past=False)
    seen = meeting.version
    fields = {
        "by": None,
        "agenda": "Pauta",
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": "Brasília",
    }
    with transaction.writing():
        services.update_meeting(db.session.get(Meeting, meeting.id), title="Primeira", **fields)
        db.session.commit()
    with transaction.writing(), pytest.raises(StaleDataError):
        services.update_meeting(meeting, title="Segunda", expected_version=seen, **fields)
    db.session.rollback()
    assert db.session.get(Meeting, meeting.id).title == "Primeira"
