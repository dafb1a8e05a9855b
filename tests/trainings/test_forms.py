"""What staff may type into a training: one-line titles, a meeting link a browser cannot run."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.db import db
from consortium.users import services as user_services
from tests.conftest import field_error
from tests.factories import OrganisationFactory
from tests.trainings.factories import make_member, make_training
from tests.trainings.views.test_manage import _form_data
from trainings.models import Registration, RegistrationState, Training


def _auth(user) -> dict:
    _token, secret = user_services.create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title_es", "Taller\r\nBcc: everyone@example.org"),
        ("venue", "Sala 1\tPiso 2"),
        ("summary_es", "Resumen\x00"),
        ("online_url", "javascript://meet.example.org/%0Aalert(document.cookie)"),
    ],
)
def test_training_form_refuses_control_characters_and_script_links(
    client, login_as, staff, submit, field, value
):
    training = make_training()
    db.session.commit()
    login_as(staff)
    response = submit(f"/trainings/{training.id}/edit", _form_data(training, **{field: value}))
    assert response.status_code == 200 and field_error(response.get_data(as_text=True), field)
    db.session.expire_all()
    assert db.session.get(Training, training.id).online_url == "https://meet.example.org/secret-room"


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Renamed\nBcc: x@example.org"},
        {"city": "Lima\x07"},
        {"online_url": "ftp://meet.example.org/room"},
    ],
)
def test_api_refuses_control_characters_and_non_web_links(client, staff, change):
    training = make_training()
    db.session.commit()
    response = client.patch(f"/api/v1/trainings/{training.id}", json=change, headers=_auth(staff))
    assert response.status_code == 422, response.get_json()


def test_a_stored_script_meeting_link_is_never_a_link(client, login_as):
    training = make_training(online_url="javascript://meet.example.org/%0Aalert(1)")
    person = make_member()
    db.session.add(
        Registration(training_id=training.id, user_id=person.id, state=RegistrationState.CONFIRMED)
    )
    db.session.commit()
    login_as(person)
    html = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert "Cancel my registration" in html and 'href="javascript' not in html.lower()


def test_registration_answers_refuse_nul(client, db, register, participant, training, mail_outbox):
    response = register(training, participant, motivation="Aprender\x00")
    assert response.status_code == 200 and field_error(response.get_data(as_text=True), "motivation")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_a_plain_edit_still_saves(client, login_as, staff, submit):
    training = make_training(organiser=OrganisationFactory(is_consortium_member=True, name="ILDA"))
    db.session.commit()
    login_as(staff)
    assert submit(f"/trainings/{training.id}/edit", _form_data(training)).status_code == 302
