"""Registering through HTTP: confirmed places, the waiting list, refusals, cancelling, certificates."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from icalendar import Calendar

from consortium.db import db, utcnow
from consortium.mail import deliver_pending
from tests.factories import OrganisationFactory
from tests.trainings.factories import make_member, make_training, registration_of
from trainings.models import (
    Registration,
    RegistrationState,
    Training,
)
from trainings.services import UNDO_WINDOW


def test_member_registers_and_gets_a_confirmed_place(client, training, participant, register, mail_outbox):
    response = register(training, participant, accessibility_needs="Subtítulos")
    assert response.status_code == 302
    registration = registration_of(training, participant)
    assert registration.state is RegistrationState.CONFIRMED
    assert registration.accessibility_needs == "Subtítulos"
    assert registration.organisation_id == participant.memberships[0].organisation_id
    assert db.session.get(Training, training.id).confirmed_count == 1
    assert [m.template for m in mail_outbox()] == ["trainings/notice"]


def test_online_link_is_shown_only_to_confirmed_participants(
    client, training, participant, login_as, submit, mail_outbox
):
    other = make_member()
    db.session.commit()
    assert "secret-room" not in client.get(f"/trainings/{training.id}").get_data(as_text=True)
    login_as(participant)
    submit(f"/trainings/{training.id}/register", {"motivation": ""})
    assert "secret-room" in client.get(f"/trainings/{training.id}").get_data(as_text=True)
    login_as(other)
    assert "secret-room" not in client.get(f"/trainings/{training.id}").get_data(as_text=True)


def test_full_training_offers_waitlist(client, db, register, mail_outbox):
    training = make_training(capacity=1)
    first, second = make_member(), make_member()
    db.session.commit()
    register(training, first)
    html = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert "0 seats left" in html
    register(training, second)
    assert registration_of(training, first).state is RegistrationState.CONFIRMED
    assert registration_of(training, second).state is RegistrationState.WAITLISTED


def test_nobody_registers_twice(client, training, participant, register, mail_outbox):
    register(training, participant)
    response = register(training, participant)
    assert response.status_code == 200
    assert "is already registered for this training" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"registration_opens_at": utcnow() + timedelta(days=2)}, "not open"),
        ({"registration_closes_at": utcnow() - timedelta(hours=1)}, "not open"),
    ],
)
def test_registration_is_refused_outside_its_window(client, db, login_as, fields, message):
    training = make_training(**fields)
    person = make_member(locale="en")
    db.session.commit()
    login_as(person)
    response = client.get(f"/trainings/{training.id}/register", follow_redirects=True)
    assert "Registration for this training is not open." in response.get_data(as_text=True)
    assert (
        "Register"
        not in client.get(f"/trainings/{training.id}")
        .get_data(as_text=True)
        .split("Registration</h2>")[1][:200]
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_page_says_when_registration_opens(client, db):
    training = make_training(registration_opens_at=utcnow() + timedelta(days=3))
    db.session.commit()
    html = client.get(f"/trainings/{training.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Registration opens on" in html


def test_organisation_admin_registers_a_colleague(client, db, login_as, submit, mail_outbox):
    organisation = OrganisationFactory()
    admin = make_member(organisation, admin=True)
    colleague = make_member(organisation, name="Colega Uno")
    training = make_training()
    db.session.commit()
    login_as(admin)
    response = submit(
        f"/trainings/{training.id}/register",
        {"person_id": colleague.id, "organisation_id": organisation.id, "motivation": "x"},
    )
    assert response.status_code == 302
    registration = registration_of(training, colleague)
    assert registration.state is RegistrationState.CONFIRMED and registration.registered_by_id == admin.id
    assert mail_outbox()[0].to_email == colleague.email


def test_refused_registration_leaves_its_form_usable(client, db, login_as, register, mail_outbox):
    """A refusal rolls back the form's double-submission key too, so the corrected form then works."""
    from consortium.forms import FormSubmission
    from tests.conftest import hidden_fields

    organisation = OrganisationFactory()
    admin = make_member(organisation, admin=True)
    registered, colleague = make_member(organisation), make_member(organisation)
    training = make_training()
    db.session.commit()
    register(training, registered)
    login_as(admin)
    page = f"/trainings/{training.id}/register"
    fields = hidden_fields(client.get(page).get_data(as_text=True), page)
    answers = {**fields, "organisation_id": organisation.id, "motivation": "x"}

    refused = client.post(page, data={**answers, "person_id": registered.id})

    assert refused.status_code == 200
    assert "is already registered for this training" in refused.get_data(as_text=True)
    assert hidden_fields(refused.get_data(as_text=True), page)["submission_key"] == fields["submission_key"]
    assert db.session.get(FormSubmission, fields["submission_key"]) is None
    corrected = client.post(page, data={**answers, "person_id": colleague.id})
    assert corrected.status_code == 302
    assert registration_of(training, colleague).state is RegistrationState.CONFIRMED


@pytest.fixture
def failing_after_registration(app, monkeypatch):
    """Make the next registration fail after its e-mail was queued, as an unexpected error would."""
    from consortium import signals

    def fail(sender, action, **extra):
        if action == "trainings.registered":
            raise RuntimeError("unexpected failure after queueing mail")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # answer 500, as in production
    signals.state_changed.connect(fail)
    yield lambda: signals.state_changed.disconnect(fail)
    signals.state_changed.disconnect(fail)


def test_request_failing_after_queueing_mail_leaves_no_mail_and_no_half_registration(
    client, db, login_as, participant, training, mail_outbox, failing_after_registration
):
    from consortium.forms import FormSubmission
    from tests.conftest import hidden_fields

    login_as(participant)
    page = f"/trainings/{training.id}/register"
    data = {**hidden_fields(client.get(page).get_data(as_text=True), page), "motivation": "Aprender"}

    assert client.post(page, data=data).status_code == 500

    db.session.rollback()
    assert mail_outbox() == []
    assert registration_of(training, participant) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FormSubmission)) == 0
    assert db.session.get(Training, training.id).confirmed_count == 0
    failing_after_registration()  # the failure is gone: sending the same form again registers
    assert client.post(page, data=data).status_code == 302
    assert registration_of(training, participant).state is RegistrationState.CONFIRMED
    assert [m.to_email for m in mail_outbox()] == [participant.email]


def test_api_registration_failing_after_queueing_mail_leaves_nothing_behind(
    client, db, participant, training, mail_outbox, failing_after_registration
):
    from consortium.users.services import create_api_token

    headers = {"Authorization": f"Bearer {create_api_token(participant, 'test')[1]}"}
    db.session.commit()
    path = f"/api/v1/trainings/{training.id}/registrations"

    assert client.post(path, json={}, headers=headers).status_code == 500

    db.session.rollback()
    assert mail_outbox() == []
    assert registration_of(training, participant) is None
    assert db.session.get(Training, training.id).confirmed_count == 0
    failing_after_registration()
    assert client.post(path, json={}, headers=headers).status_code == 201
    assert len(mail_outbox()) == 1


def test_member_cannot_register_someone_else(client, db, login_as, submit):
    organisation = OrganisationFactory()
    person = make_member(organisation)
    colleague = make_member(organisation)
    training = make_training()
    db.session.commit()
    login_as(person)
    response = submit(f"/trainings/{training.id}/register", {"person_id": colleague.id})
    assert response.status_code == 200  # not a choice they are offered
    assert registration_of(training, colleague) is None


def test_waitlisted_people_see_their_position(client, db, register, login_as, mail_outbox):
    training = make_training(capacity=1)
    people = [make_member() for _ in range(3)]
    db.session.commit()
    for person in people:
        register(training, person)
    login_as(people[2])
    html = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert "You are number 2 on the waiting list." in html
    waitlisted_mail = next(m for m in mail_outbox() if m.to_email == people[2].email)
    assert "number 2" in waitlisted_mail.body_text


def test_confirmation_email_carries_the_calendar_with_the_private_link(client, db, register, smtp):
    training = make_training(title={"en": "Workshop"})
    person = make_member()
    db.session.commit()
    register(training, person)
    deliver_pending()
    attachment = next(smtp[0].iter_attachments())
    calendar = Calendar.from_ical(attachment.get_payload(decode=True))
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["summary"]) == "Workshop" and "secret-room" in str(event["description"])
    assert "secret-room" in smtp[0].get_body(("plain",)).get_content()


def test_cancelled_registration_can_register_again_at_the_end_of_the_queue(
    client, db, register, login_as, mail_outbox
):
    from tests.conftest import hidden_fields

    training = make_training(capacity=1)
    first, second = make_member(), make_member()
    db.session.commit()
    register(training, first)
    register(training, second)
    login_as(first)
    action = f"/registrations/{registration_of(training, first).id}/cancel"
    page = client.get(action).get_data(as_text=True)
    assert client.post(action, data=hidden_fields(page, "")).status_code == 302
    with time_machine.travel(utcnow() + UNDO_WINDOW + timedelta(minutes=1)):  # the hold has ended
        register(training, first)
    assert registration_of(training, first).state is RegistrationState.WAITLISTED
    assert registration_of(training, second).state is RegistrationState.CONFIRMED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 2
