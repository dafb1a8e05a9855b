"""The trainings API: listing, staff creation and edits, registration and cancellation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.db import db
from consortium.users import services as user_services
from tests.factories import OrganisationFactory, UserFactory
from tests.trainings.factories import make_member, make_training
from trainings.models import Registration, RegistrationState, Training, TrainingState


def _auth(user) -> dict:
    _token, secret = user_services.create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_openapi_lists_the_training_endpoints(client):
    paths = set(client.get("/api/v1/openapi.json").get_json()["paths"])
    assert {
        "/api/v1/trainings",
        "/api/v1/trainings/{training_id}",
        "/api/v1/trainings/{training_id}/registrations",
        "/api/v1/registrations/{registration_id}",
        "/api/v1/me/registrations",
    } <= paths


def test_list_filters_and_hides_drafts(client, db):
    make_training(title={"en": "Payments"}, topics=["payments"], country="BR")
    make_training(title={"en": "Identity"}, topics=["digital_identity"])
    make_training(title={"en": "Draft"}, state=TrainingState.DRAFT)
    db.session.commit()
    titles = [t["title"] for t in client.get("/api/v1/trainings").get_json()]
    assert sorted(titles) == ["Identity", "Payments"]
    assert [t["title"] for t in client.get("/api/v1/trainings?topic=payments").get_json()] == ["Payments"]
    assert [t["title"] for t in client.get("/api/v1/trainings?country=BR").get_json()] == ["Payments"]


def test_get_one_shows_seats_and_sessions(client, training):
    body = client.get(f"/api/v1/trainings/{training.id}").get_json()
    assert body["seats_left"] == 10 and len(body["sessions"]) == 1 and body["state"] == "published"
    assert "online_url" not in body


def test_staff_creates_and_patches_a_training(client, db, staff):
    OrganisationFactory(is_consortium_member=True)
    headers = _auth(staff)
    response = client.post(
        "/api/v1/trainings",
        json={
            "title": "API training",
            "starts_at": "2030-05-01T14:00:00-05:00",
            "ends_at": "2030-05-01T16:00:00-05:00",
            "timezone": "America/Bogota",
            "capacity": 2,
            "modality": "online",
            "language": "en",
            "approval": "staff",
            "state": "published",
            "confirmed_count": 2,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["state"] == "published" and body["approval"] == "staff" and body["seats_left"] == 2
    assert body["starts_at"].startswith("2030-05-01T19:00:00")
    response = client.patch(
        f"/api/v1/trainings/{body['id']}", json={"capacity": 5, "title": "Renamed"}, headers=headers
    )
    assert response.status_code == 200 and response.get_json()["capacity"] == 5
    assert response.get_json()["titles"] == {"en": "Renamed"}


def test_members_cannot_create_trainings(client, db):
    headers = _auth(make_member())
    assert client.post("/api/v1/trainings", json={}, headers=headers).status_code == 403
    assert client.post("/api/v1/trainings", json={}).status_code in (400, 401)  # CSRF refuses first


def test_register_then_cancel_through_the_api(client, db, mail_outbox):
    training = make_training(capacity=1)
    first, second = make_member(), make_member()
    db.session.commit()
    h1, h2 = _auth(first), _auth(second)
    one = client.post(f"/api/v1/trainings/{training.id}/registrations", json={}, headers=h1)
    two = client.post(
        f"/api/v1/trainings/{training.id}/registrations", json={"state": "confirmed"}, headers=h2
    )
    assert (one.status_code, one.get_json()["state"]) == (201, "confirmed")
    assert (two.status_code, two.get_json()["state"]) == (201, "waitlisted")
    again = client.post(f"/api/v1/trainings/{training.id}/registrations", json={}, headers=h1)
    assert again.status_code == 409
    assert client.delete(f"/api/v1/registrations/{one.get_json()['id']}", headers=h2).status_code == 404
    cancelled = client.delete(f"/api/v1/registrations/{one.get_json()['id']}", headers=h1)
    assert cancelled.get_json()["state"] == "cancelled"
    mine = client.get("/api/v1/me/registrations", headers=h2).get_json()
    assert [r["state"] for r in mine] == ["confirmed"]


@pytest.mark.parametrize("capacity", [1, 0])  # a seat left, or straight to the waiting list
def test_a_registration_writes_its_row_once_and_reads_the_caller_in_one_statement(
    client, db, count_queries, mail_outbox, capacity
):
    """Every registration for a training waits for the one before it (the training's row is locked), so
    what runs under the lock bounds how many people a popular training can take per second (issue 14)."""
    training = make_training(capacity=capacity)
    headers = _auth(make_member())
    with count_queries() as statements:
        answer = client.post(f"/api/v1/trainings/{training.id}/registrations", json={}, headers=headers)
    assert answer.status_code == 201
    kinds = [" ".join(statement.split()[:3]) for statement in statements]
    assert kinds.count("INSERT INTO registrations") == 1
    assert not [kind for kind in kinds if kind.startswith("UPDATE registrations")], kinds
    token_query = next(statement for statement in statements if "FROM api_tokens" in statement)
    assert "JOIN users" in token_query and "memberships" in token_query
    assert not [s for s in statements if s.lstrip().startswith("SELECT") and "FROM memberships" in s[:400]]


def test_registration_outside_the_window_is_refused(client, db, mail_outbox):
    training = make_training(days_ahead=-1)
    headers = _auth(make_member())
    response = client.post(f"/api/v1/trainings/{training.id}/registrations", json={}, headers=headers)
    assert response.status_code == 422


@pytest.mark.parametrize(("who", "expected"), [("member", 403), ("staff", 200), ("admin", 200)])
def test_registration_list_is_for_staff(client, db, who, expected, mail_outbox):
    training = make_training()
    user = make_member() if who == "member" else UserFactory(**{who: True})
    db.session.add(Registration(training_id=training.id, user_id=user.id, state=RegistrationState.CONFIRMED))
    db.session.commit()
    response = client.get(f"/api/v1/trainings/{training.id}/registrations", headers=_auth(user))
    assert response.status_code == expected


def test_api_patch_cannot_set_counters(client, db, staff):
    training = make_training(capacity=4)
    db.session.commit()
    client.patch(f"/api/v1/trainings/{training.id}", json={"confirmed_count": 4}, headers=_auth(staff))
    db.session.expire_all()
    assert db.session.scalar(sa.select(Training.confirmed_count)) == 0


def test_api_cancelling_a_training_tells_registered_people(client, db, staff, mail_outbox):
    training = make_training()
    person = make_member()
    db.session.add(
        Registration(training_id=training.id, user_id=person.id, state=RegistrationState.CONFIRMED)
    )
    db.session.commit()
    response = client.patch(
        f"/api/v1/trainings/{training.id}", json={"state": "cancelled"}, headers=_auth(staff)
    )
    assert response.get_json()["state"] == "cancelled"
    assert [m.to_email for m in mail_outbox()] == [person.email]


def test_draft_is_not_found_through_the_api_except_for_staff(client, db, staff):
    draft = make_training(state=TrainingState.DRAFT)
    member = make_member()
    db.session.commit()
    assert client.get(f"/api/v1/trainings/{draft.id}").status_code == 404
    assert client.get(f"/api/v1/trainings/{draft.id}", headers=_auth(member)).status_code == 404
    assert client.get(f"/api/v1/trainings/{draft.id}", headers=_auth(staff)).status_code == 200


def test_organisation_admin_cancels_a_colleagues_registration_through_the_api(client, db, mail_outbox):
    training = make_training()
    organisation = OrganisationFactory()
    boss, colleague = make_member(organisation, admin=True), make_member(organisation)
    db.session.commit()
    registered = client.post(
        f"/api/v1/trainings/{training.id}/registrations", json={}, headers=_auth(colleague)
    )
    registration_id = registered.get_json()["id"]
    assert client.delete(f"/api/v1/registrations/{registration_id}", headers=_auth(boss)).status_code == 200
    assert db.session.get(Registration, registration_id).state is RegistrationState.CANCELLED


def _new_training(**changes) -> dict:
    return {
        "title": "API training",
        "starts_at": "2030-05-01T14:00:00-05:00",
        "ends_at": "2030-05-01T16:00:00-05:00",
        "timezone": "America/Bogota",
        "capacity": 2,
        "modality": "online",
        "language": "en",
        **changes,
    }


def test_the_api_refuses_a_session_in_the_past_as_the_form_does(client, db, staff):  # in staff's es
    OrganisationFactory(is_consortium_member=True)
    past = {"starts_at": "2020-05-01T14:00:00-05:00", "ends_at": "2020-05-01T16:00:00-05:00"}
    response = client.post("/api/v1/trainings", json=_new_training(**past), headers=_auth(staff))
    assert response.status_code == 422
    body = response.get_json()
    assert body["errors"]["json"]["starts_at"] == [
        "Una sesión nueva no puede empezar en el pasado: 2020-05-01 14:00-16:00"
    ]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Training)) == 0


def test_the_api_takes_several_sessions_and_refuses_overlapping_ones(client, db, staff):
    OrganisationFactory(is_consortium_member=True)
    headers = _auth(staff)
    overlapping = [
        {"starts_at": "2030-05-01T14:00:00-05:00", "ends_at": "2030-05-01T16:00:00-05:00"},
        {"starts_at": "2030-05-01T15:00:00-05:00", "ends_at": "2030-05-01T17:00:00-05:00"},
    ]
    fields = _new_training(sessions=overlapping)
    del fields["starts_at"], fields["ends_at"]
    response = client.post("/api/v1/trainings", json=fields, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["sessions"] == [
        "Estas sesiones se superponen o se repiten: 2030-05-01 14:00-16:00 y 2030-05-01 15:00-17:00"
    ]
    overlapping[1] = {"starts_at": "2030-05-08T14:00:00-05:00", "ends_at": "2030-05-08T16:00:00-05:00"}
    response = client.post("/api/v1/trainings", json=_new_training(sessions=overlapping), headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert len(body["sessions"]) == 2 and body["ends_at"].startswith("2030-05-08T21:00:00")


def test_the_api_keeps_a_held_session_when_editing_other_fields(client, db, staff):
    training = make_training(days_ahead=-1)
    db.session.commit()
    response = client.patch(f"/api/v1/trainings/{training.id}", json={"capacity": 30}, headers=_auth(staff))
    assert response.status_code == 200
