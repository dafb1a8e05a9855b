"""Impossible schedules are refused with a translated message that names the line, and nothing is lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consortium.db import db
from tests.conftest import field_error
from tests.factories import OrganisationFactory
from tests.trainings.factories import make_training
from tests.trainings.views.test_manage import _form_data
from trainings.models import Training
from trainings.schedule import session_line


@pytest.fixture
def staff():
    from tests.factories import UserFactory

    user = UserFactory(staff=True, locale="en")
    db.session.commit()
    return user


def _new(organiser, **fields) -> dict:
    return {
        "language": "es",
        "title_es": "Taller de calendario",
        "modality": "online",
        "timezone": "America/Lima",
        "sessions": "2030-03-01 10:00-12:00",
        "instruction_language": "es",
        "capacity": "15",
        "approval": "automatic",
        "organiser_id": organiser.id,
        "completion_percent": "75",
        **fields,
    }


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"sessions": "2030-03-01 10:00-12:00\n2030-03-01 10:00-12:00"}, "sessions", "overlap or repeat"),
        ({"sessions": "2030-03-01 10:00-12:00\n2030-03-01 11:00-13:00"}, "sessions", "overlap or repeat"),
        (
            {"sessions": "2020-03-01 10:00-12:00"},
            "sessions",
            "cannot start in the past: 2020-03-01 10:00-12:00",
        ),
        ({"sessions": "2030-03-01 12:00-10:00"}, "sessions", "ends before it starts: 2030-03-01 12:00-10:00"),
        ({"sessions": "2030-13-01 10:00-12:00"}, "sessions", "does not exist: 2030-13-01 10:00-12:00"),
        ({"sessions": "2030-03-01 25:00-26:00"}, "sessions", "does not exist"),
        ({"sessions": "mañana a las diez"}, "sessions", "Write each session as"),
        ({"registration_closes_at": "2030-03-02T09:00"}, "registration_closes_at", "first session starts"),
        (
            {"registration_opens_at": "2030-03-05T09:00"},
            "registration_opens_at",
            "open before the first session",
        ),
        (
            {"registration_closes_at": "2030-99-01T09:00"},
            "registration_closes_at",
            "Not a valid datetime value.",
        ),
    ],
)
def test_impossible_schedules_are_refused_with_the_reason(
    client, db, login_as, staff, submit, fields, field, message
):
    organiser = OrganisationFactory(is_consortium_member=True)
    db.session.commit()
    login_as(staff)
    response = submit("/trainings/new", _new(organiser, **fields))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in (field_error(html, field) or ""), field_error(html, field)
    assert "must be in" not in html  # no raw Python error ("month must be in 1..12")
    assert "Taller de calendario" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Training)) == 0


def test_the_messages_are_translated(client, db, login_as, submit):
    from tests.factories import UserFactory

    organiser = OrganisationFactory(is_consortium_member=True)
    staff = UserFactory(staff=True, locale="pt_BR")
    db.session.commit()
    login_as(staff)
    html = submit("/trainings/new", _new(organiser, sessions="2030-13-01 10:00-12:00")).get_data(as_text=True)
    error = field_error(html, "sessions")
    assert "2030-13-01 10:00-12:00" in error and "does not exist" not in error


def test_a_training_that_has_begun_keeps_its_past_sessions_when_edited(client, login_as, staff, submit):
    training = make_training(days_ahead=-1, sessions=2)
    db.session.commit()
    login_as(staff)
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(training.timezone)
    lines = "\n".join(
        session_line(s.starts_at.astimezone(zone), s.ends_at.astimezone(zone)) for s in training.sessions
    )
    response = submit(f"/trainings/{training.id}/edit", _form_data(training, sessions=lines, capacity=12))
    assert response.status_code == 302, field_error(response.get_data(as_text=True), "sessions")
    db.session.expire_all()
    assert db.session.get(Training, training.id).capacity == 12


def test_a_session_past_midnight_is_written_with_its_end_date_and_saves_again(
    client, login_as, staff, submit
):
    # A late session (23:00-01:00 in Lima, for people in Europe or Asia) must survive the edit form:
    # "2030-03-01 23:00-01:00" read as ending before it starts, so such a training could not be edited.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    lima = ZoneInfo("America/Lima")
    training = make_training(timezone="America/Lima")
    session = training.sessions[0]
    session.starts_at = datetime(2030, 3, 1, 23, 0, tzinfo=lima)
    session.ends_at = datetime(2030, 3, 2, 1, 0, tzinfo=lima)
    training.starts_at, training.ends_at = session.starts_at, session.ends_at
    db.session.commit()
    login_as(staff)
    page = client.get(f"/trainings/{training.id}/edit").get_data(as_text=True)
    assert "2030-03-01 23:00-2030-03-02 01:00" in page
    response = submit(f"/trainings/{training.id}/edit", _form_data(training, capacity=12))
    assert response.status_code == 302, field_error(response.get_data(as_text=True), "sessions")
    db.session.expire_all()
    saved = db.session.get(Training, training.id)
    assert saved.capacity == 12
    assert [(s.starts_at.astimezone(lima).hour, s.ends_at.astimezone(lima).day) for s in saved.sessions] == [
        (23, 2)
    ]


def test_a_new_session_may_end_the_next_day(client, db, login_as, staff, submit):
    organiser = OrganisationFactory(is_consortium_member=True)
    db.session.commit()
    login_as(staff)
    response = submit("/trainings/new", _new(organiser, sessions="2030-03-01 23:30 - 2030-03-02 00:45"))
    assert response.status_code == 302, field_error(response.get_data(as_text=True), "sessions")
    session = db.session.scalars(sa.select(Training)).one().sessions[0]
    assert session.ends_at - session.starts_at == timedelta(minutes=75)
