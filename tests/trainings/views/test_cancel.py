"""Giving up a seat: a confirmation page first (no JavaScript needed), then an undo while the seat is held."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from consortium.db import utcnow
from tests.conftest import hidden_fields
from tests.trainings.factories import make_member, make_training, registration_of
from trainings.models import RegistrationState, Training
from trainings.services import UNDO_WINDOW


def _cancel(client, registration):
    url = f"/registrations/{registration.id}/cancel"
    return client.post(url, data=hidden_fields(client.get(url).get_data(as_text=True), ""))


def _undo(client, training, registration):
    page = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    action = f"/registrations/{registration.id}/undo-cancel"
    return client.post(action, data=hidden_fields(page, action), follow_redirects=True)


def test_cancel_asks_for_confirmation_on_a_page_and_the_button_is_a_link(
    client, db, login_as, register, mail_outbox
):
    training = make_training()
    person = make_member()
    db.session.commit()
    register(training, person)
    registration = registration_of(training, person)
    login_as(person)
    detail = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert f'href="/registrations/{registration.id}/cancel"' in detail  # a link: nothing happens yet
    page = client.get(f"/registrations/{registration.id}/cancel")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Cancel the registration?" in html and "10 minutes" in html
    assert registration_of(training, person).state is RegistrationState.CONFIRMED
    assert client.post(f"/registrations/{registration.id}/cancel", data={}).status_code == 400  # no CSRF
    assert registration_of(training, person).state is RegistrationState.CONFIRMED


def test_undo_within_the_window_gives_the_held_seat_back_not_to_the_waiting_list(
    client, db, login_as, register, mail_outbox
):
    training = make_training(capacity=1)
    first, waiting = make_member(), make_member()
    db.session.commit()
    register(training, first)
    register(training, waiting)
    login_as(first)
    registration = registration_of(training, first)
    assert _cancel(client, registration).status_code == 302
    cancelled = registration_of(training, first)
    assert cancelled.state is RegistrationState.CANCELLED and cancelled.seat_held_until is not None
    assert registration_of(training, waiting).state is RegistrationState.WAITLISTED
    with time_machine.travel(utcnow() + UNDO_WINDOW - timedelta(minutes=1)):
        login_as(first)
        html = _undo(client, training, registration).get_data(as_text=True)
    assert "Undone: your place is confirmed again." in html
    assert registration_of(training, first).state is RegistrationState.CONFIRMED
    assert registration_of(training, waiting).state is RegistrationState.WAITLISTED
    assert db.session.get(Training, training.id).confirmed_count == 1
    subjects = [m.subject for m in mail_outbox() if m.to_email == first.email]
    assert subjects[-2].startswith("Your registration was cancelled")
    assert subjects[-1].startswith("Your place is confirmed")


def test_after_the_window_the_seat_goes_to_the_waiting_list_and_undo_explains(
    client, db, login_as, register, mail_outbox
):
    training = make_training(capacity=1)
    first, waiting = make_member(), make_member()
    db.session.commit()
    register(training, first)
    register(training, waiting)
    login_as(first)
    registration = registration_of(training, first)
    page = client.get(f"/registrations/{registration.id}/cancel").get_data(as_text=True)  # a CSRF token
    _cancel(client, registration)
    action = f"/registrations/{registration.id}/undo-cancel"
    with time_machine.travel(utcnow() + UNDO_WINDOW + timedelta(seconds=5)):
        login_as(first)
        html = client.post(action, data=hidden_fields(page, ""), follow_redirects=True).get_data(as_text=True)
    assert "It is too late to undo" in html
    assert registration_of(training, first).state is RegistrationState.CANCELLED
    assert registration_of(training, waiting).state is RegistrationState.CONFIRMED
    assert db.session.get(Training, training.id).confirmed_count == 1


def test_the_held_seat_counts_against_the_organisation_limit(client, db, login_as, register, mail_outbox):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    training = make_training(capacity=5, seats_per_organisation=1)
    first, colleague = make_member(organisation), make_member(organisation)
    db.session.commit()
    register(training, first)
    login_as(first)
    _cancel(client, registration_of(training, first))
    register(training, colleague)  # during the hold: the colleague may not take the held place
    assert registration_of(training, colleague).state is RegistrationState.WAITLISTED
    login_as(first)
    _undo(client, training, registration_of(training, first))
    assert registration_of(training, first).state is RegistrationState.CONFIRMED
    assert registration_of(training, colleague).state is RegistrationState.WAITLISTED
