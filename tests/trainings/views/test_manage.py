"""Staff managing trainings through HTTP: create, publish, edit, cancel, and the staff pages' access."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.mail import deliver_pending
from tests.factories import OrganisationFactory, UserFactory
from tests.trainings.factories import make_member, make_training, registration_of
from trainings.models import (
    RegistrationState,
    Training,
    TrainingState,
)
from trainings.schedule import session_line


def test_raising_capacity_promotes_waiting_people(client, db, register, login_as, staff, submit, mail_outbox):
    training = make_training(capacity=1)
    people = [make_member() for _ in range(3)]
    db.session.commit()
    for person in people:
        register(training, person)
    login_as(staff)
    page = client.get(f"/trainings/{training.id}/edit").get_data(as_text=True)
    assert "Formación" in page
    from tests.conftest import hidden_fields

    response = client.post(
        f"/trainings/{training.id}/edit",
        data={**hidden_fields(page, ""), **_form_data(training, capacity=3)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert [registration_of(training, p).state for p in people] == [RegistrationState.CONFIRMED] * 3


def _form_data(training, **overrides) -> dict:
    session = training.sessions[0]
    from zoneinfo import ZoneInfo

    local = session.starts_at.astimezone(ZoneInfo(training.timezone))
    end = session.ends_at.astimezone(ZoneInfo(training.timezone))
    data = {
        "language": "es",
        "title_es": training.title.get("es", "Formación"),
        "title_en": training.title.get("en", ""),
        "summary_es": "Resumen",
        "topics": ["dpi_basics"],
        "modality": training.modality.value,
        "timezone": training.timezone,
        "sessions": session_line(local, end),
        "instruction_language": "es",
        "capacity": training.capacity,
        "approval": training.approval.value,
        "organiser_id": training.organiser_id,
        "completion_percent": 75,
        "online_url": training.online_url,
        "country": training.country,
    }
    data.update(overrides)
    return data


def test_staff_creates_publishes_and_edits_a_training(client, db, login_as, staff, submit):
    organiser = OrganisationFactory(is_consortium_member=True, name="ILDA")
    db.session.commit()
    login_as(staff)
    response = submit(
        "/trainings/new",
        {
            "language": "en",
            "title_en": "Data exchange basics",
            "title_es": "Intercambio de datos",
            "topics": ["data_exchange"],
            "principles": ["O4", "O5"],
            "modality": "hybrid",
            "timezone": "America/Lima",
            "sessions": "2030-03-02 10:00-12:00\n2030-03-01 10:00-12:00",
            "instruction_language": "en",
            "capacity": "15",
            "approval": "automatic",
            "organiser_id": organiser.id,
            "completion_percent": "50",
            "country": "PE",
            "city": "Lima",
            "registration_closes_at": "2030-02-25T18:00",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    training = db.session.scalar(sa.select(Training))
    assert training.state is TrainingState.DRAFT and training.principles == ["O4", "O5"]
    assert [s.starts_at.isoformat() for s in training.sessions] == [
        "2030-03-01T15:00:00+00:00",
        "2030-03-02T15:00:00+00:00",
    ]
    assert training.registration_closes_at.isoformat() == "2030-02-25T23:00:00+00:00"
    assert client.get("/trainings/new").status_code == 200
    from tests.conftest import hidden_fields

    page = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    client.post(
        f"/trainings/{training.id}/publish", data=hidden_fields(page, f"/trainings/{training.id}/publish")
    )
    db.session.expire_all()
    assert db.session.get(Training, training.id).state is TrainingState.PUBLISHED


def test_bad_training_input_is_kept_with_a_translated_error(client, db, login_as, staff, submit):
    OrganisationFactory(is_consortium_member=True)
    db.session.commit()
    login_as(staff)
    response = submit(
        "/trainings/new",
        {"title_es": "Mi taller", "sessions": "mañana a las 10", "timezone": "America/Lima", "capacity": "5"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Mi taller" in html and "mañana a las 10" in html
    assert "2026-12-01 14:00-16:00" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Training)) == 0


def test_stale_edit_is_refused_and_keeps_what_was_typed(client, db, login_as, staff):
    training = make_training()
    db.session.commit()
    login_as(staff)
    from tests.conftest import hidden_fields

    page = client.get(f"/trainings/{training.id}/edit").get_data(as_text=True)
    fields = hidden_fields(page, "")
    training.capacity = 99  # someone else saves in between
    db.session.commit()
    response = client.post(
        f"/trainings/{training.id}/edit", data={**fields, **_form_data(training, title_es="Mi título nuevo")}
    )
    assert response.status_code == 409 and "Mi título nuevo" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Training, training.id).capacity == 99


def test_cancelling_a_training_tells_everyone(client, db, login_as, staff, register, smtp):
    training = make_training(capacity=1)
    first, second = make_member(), make_member()
    db.session.commit()
    register(training, first)
    register(training, second)
    deliver_pending()
    smtp.clear()
    login_as(staff)
    from tests.conftest import hidden_fields

    page = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    client.post(
        f"/trainings/{training.id}/cancel", data=hidden_fields(page, f"/trainings/{training.id}/cancel")
    )
    deliver_pending()
    assert sorted(m["To"].addresses[0].addr_spec for m in smtp) == sorted([first.email, second.email])
    assert all("The training was cancelled" in m["Subject"] for m in smtp)


def test_changing_the_dates_tells_registered_people(client, db, login_as, staff, register, mail_outbox):
    training = make_training()
    person = make_member()
    db.session.commit()
    register(training, person)
    login_as(staff)
    from tests.conftest import hidden_fields

    page = client.get(f"/trainings/{training.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/trainings/{training.id}/edit",
        data={**hidden_fields(page, ""), **_form_data(training, sessions="2031-01-10 09:00-11:00")},
    )
    assert response.status_code == 302
    assert any("The training changed" in m.subject for m in mail_outbox())


STAFF_PAGES = [
    "/trainings/new",
    "/trainings/{id}/edit",
    "/trainings/{id}/registrations",
    "/trainings/{id}/registrations.csv",
    "/trainings/{id}/sessions/{sid}/check-in",
    "/trainings/reach/staff",
]


@pytest.mark.parametrize("path", STAFF_PAGES)
@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("member", 403), ("staff", 200), ("admin", 200)]
)
def test_staff_pages_access_matrix(client, db, login_as, path, who, expected):
    training = make_training()
    db.session.commit()
    if who == "member":
        login_as(make_member())
    elif who in ("staff", "admin"):
        login_as(UserFactory(**{who: True}))
    response = client.get(path.format(id=training.id, sid=training.sessions[0].id))
    assert response.status_code == expected
