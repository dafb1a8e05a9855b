"""Nobody registers on behalf of an organisation that consortium staff have not verified yet."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.users import services as user_services
from tests.factories import MembershipFactory, OrganisationFactory
from tests.trainings.factories import make_member, make_training
from trainings.models import Registration

REFUSAL = "is awaiting verification by consortium staff"


def _registrations() -> list[Registration]:
    db.session.expire_all()
    return db.session.scalars(sa.select(Registration)).all()


def _member_of_verified_and_pending():
    verified = OrganisationFactory(name="Red Verificada")
    pending = OrganisationFactory(name="Red Pendiente", verified_at=None)
    person = make_member(verified)
    MembershipFactory(user=person, organisation=pending)
    training = make_training()
    db.session.commit()
    db.session.refresh(person)
    return person, pending, training


def test_registering_on_behalf_of_an_unverified_organisation_is_refused(
    client, login_as, submit, mail_outbox
):
    person, pending, training = _member_of_verified_and_pending()
    login_as(person)
    page = client.get(f"/trainings/{training.id}/register").get_data(as_text=True)
    assert "Red Pendiente (awaiting verification)" in page
    response = submit(
        f"/trainings/{training.id}/register", {"organisation_id": pending.id, "motivation": "x"}
    )
    assert response.status_code == 200
    assert f"Red Pendiente {REFUSAL}" in response.get_data(as_text=True)
    assert _registrations() == []


def test_member_of_only_an_unverified_organisation_registers_on_their_own(
    client, login_as, submit, mail_outbox
):
    pending = OrganisationFactory(verified_at=None)
    person = make_member(pending)
    training = make_training()
    db.session.commit()
    login_as(person)
    response = submit(f"/trainings/{training.id}/register", {"motivation": "x"})
    assert response.status_code == 302
    [registration] = _registrations()
    assert registration.user_id == person.id and registration.organisation_id is None


def _auth(user) -> dict:
    _token, secret = user_services.create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_api_refuses_registering_on_behalf_of_an_unverified_organisation(client, mail_outbox):
    person, pending, training = _member_of_verified_and_pending()
    response = client.post(
        f"/api/v1/trainings/{training.id}/registrations",
        json={"organisation_id": pending.id},
        headers=_auth(person),
    )
    assert response.status_code == 422
    assert REFUSAL in response.get_json()["message"]
    assert _registrations() == []


def test_api_does_not_pick_an_unverified_organisation_by_itself(client, mail_outbox):
    pending = OrganisationFactory(verified_at=None)
    person = make_member(pending)
    training = make_training()
    db.session.commit()
    response = client.post(f"/api/v1/trainings/{training.id}/registrations", json={}, headers=_auth(person))
    assert response.status_code == 201
    assert [r.organisation_id for r in _registrations()] == [None]


def test_admin_of_an_unverified_organisation_is_not_offered_its_people(client, login_as):
    pending = OrganisationFactory(verified_at=None)
    admin = make_member(pending, admin=True)
    make_member(pending, name="Colega Pendiente")
    training = make_training()
    db.session.commit()
    login_as(admin)
    assert "Colega Pendiente" not in client.get(f"/trainings/{training.id}/register").get_data(as_text=True)
