"""Attendance from a session's start, certificates after the last session, revocations that stay public."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from consortium.audit.models import AuditEvent
from consortium.db import db, utcnow
from tests.conftest import field_error, hidden_fields
from tests.trainings.factories import make_member, make_training, registration_of
from trainings.models import Attendance, Certificate, Registration, RegistrationState
from trainings.services.documents import certificate_text


@pytest.fixture
def staff():
    from tests.factories import UserFactory

    user = UserFactory(staff=True, locale="en")
    db.session.commit()
    return user


def _check_in(client, training, session, registration, present=True):
    url = f"/trainings/{training.id}/sessions/{session.id}/check-in"
    page = client.get(url).get_data(as_text=True)
    return client.post(
        f"{url}/{registration.id}",
        data={"csrf_token": _token(page), "present": "1" if present else "0"},
        follow_redirects=True,
    )


def _token(page: str) -> str:
    import re

    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def _confirmed(training, person) -> Registration:
    registration = Registration(
        training_id=training.id,
        user_id=person.id,
        organisation_id=person.memberships[0].organisation_id,
        state=RegistrationState.CONFIRMED,
    )
    training.confirmed_count += 1
    db.session.add(registration)
    db.session.commit()
    return registration


def _certificate(registration) -> Certificate | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Certificate).where(Certificate.registration_id == registration.id))


def test_attendance_for_a_training_ten_days_away_is_refused_and_issues_nothing(
    client, db, login_as, staff, register, mail_outbox
):
    training = make_training(days_ahead=10, sessions=3)
    person = make_member(name="Ana Adelantada")
    db.session.commit()
    register(training, person)
    registration = registration_of(training, person)
    login_as(staff)
    for session in training.sessions:
        page = _check_in(client, training, session, registration).get_data(as_text=True)
        assert "Attendance can be marked from the start of the session" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0
    assert _certificate(registration) is None
    assert registration_of(training, person).completed_at is None


def test_certificate_waits_for_the_end_of_the_last_session(app, client, db, login_as, staff, mail_outbox):
    training = make_training(days_ahead=1, sessions=3, title={"es": "Taller", "pt_BR": "Oficina"})
    person = make_member(locale="pt_BR")
    db.session.commit()
    registration = _confirmed(training, person)
    for session in training.sessions:
        with time_machine.travel(session.starts_at + timedelta(minutes=30), tick=False):
            login_as(staff)
            _check_in(client, training, session, registration)
            assert _certificate(registration) is None  # not even during the last session
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 3
    after = training.ends_at + timedelta(hours=1)
    with time_machine.travel(after, tick=False):
        output = app.test_cli_runner().invoke(args=["trainings", "certificates"]).output
        assert "Issued 1 certificates" in output
        assert (
            "Issued 0 certificates" in app.test_cli_runner().invoke(args=["trainings", "certificates"]).output
        )
    certificate = _certificate(registration)
    assert certificate.issued_at == after and not certificate.is_revoked
    (message,) = [m for m in mail_outbox() if m.template == "trainings/certificate"]
    assert message.to_email == person.email and message.locale == "pt_BR" and "Oficina" in message.subject
    (attachment,) = message.attachments
    assert attachment["mime"] == "application/pdf" and attachment["filename"].endswith(".pdf")
    assert f"/certificates/{certificate.code}" in message.body_text


def test_marking_after_the_end_issues_at_once_and_unmarking_revokes_publicly(
    client, db, login_as, staff, mail_outbox
):
    training = make_training(days_ahead=-30, sessions=2, completion_percent=100)
    person = make_member(name="Rosa Revocada")
    db.session.commit()
    registration = _confirmed(training, person)
    login_as(staff)
    _check_in(client, training, training.sessions[0], registration)
    assert _certificate(registration) is None  # one of two sessions: the rule does not hold
    _check_in(client, training, training.sessions[1], registration)
    certificate = _certificate(registration)
    assert certificate is not None and certificate.issued_at.date() == utcnow().date()
    anonymous = client.application.test_client()
    assert "This certificate is genuine" in anonymous.get(f"/certificates/{certificate.code}").get_data(
        as_text=True
    )

    _check_in(client, training, training.sessions[1], registration, present=False)
    response = anonymous.get(f"/certificates/{certificate.code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This certificate was revoked on" in html and "the attendance was corrected" in html
    assert "genuine" not in html
    corrections = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "trainings.attendance_corrected")
    ).all()
    assert len(corrections) == 3 and {e.actor_id for e in corrections} == {staff.id}

    _check_in(client, training, training.sessions[1], registration)  # corrected back: the same code holds
    again = _certificate(registration)
    assert again.code == certificate.code and not again.is_revoked


def test_staff_revoke_with_a_reason_that_the_check_page_shows(
    client, db, login_as, staff, member, mail_outbox
):
    training = make_training(days_ahead=-10, sessions=1)
    person = make_member()
    db.session.commit()
    registration = _confirmed(training, person)
    login_as(staff)
    _check_in(client, training, training.sessions[0], registration)
    code = _certificate(registration).code
    url = f"/certificates/{code}"
    page = client.get(url).get_data(as_text=True)
    action = f"/certificates/{code}/revoke"
    refused = client.post(action, data={**hidden_fields(page, action), "reason": ""})
    assert refused.status_code == 422 and field_error(refused.get_data(as_text=True), "reason")
    client.post(action, data={**hidden_fields(page, action), "reason": "Identidad suplantada"})
    html = client.application.test_client().get(url).get_data(as_text=True)
    assert "(Identidad suplantada)" in html
    _check_in(client, training, training.sessions[0], registration, present=False)
    _check_in(client, training, training.sessions[0], registration)
    assert _certificate(registration).is_revoked  # staff's decision stands against attendance
    login_as(member)
    assert client.post(action, data={"reason": "x"}).status_code in (400, 403)
    login_as(person)
    assert client.get(f"/registrations/{registration.id}/certificate.pdf").status_code == 404


def test_certificate_names_hours_organiser_and_a_signature(app, client, db, login_as, staff, mail_outbox):
    training = make_training(days_ahead=-20, sessions=3, trainers="Lucía Formadora")
    person = make_member(locale="es")
    db.session.commit()
    registration = _confirmed(training, person)
    login_as(staff)
    for session in training.sessions:
        _check_in(client, training, session, registration)
    certificate = _certificate(registration)
    with app.test_request_context():
        text = certificate_text(certificate)
    assert text["hours"] in ("6 horas de formación", "6 hours of training")
    assert training.organiser.name in text["organiser"] and text["signer"] == "Lucía Formadora"
    assert training.organiser.name in text["signature"]
    login_as(person)
    pdf = client.get(f"/registrations/{registration.id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_revoked_certificate_is_mailed_to_its_holder_with_the_reason(
    client, db, login_as, staff, mail_outbox
):
    training = make_training(days_ahead=-30, sessions=1)
    person = make_member(locale="pt_BR")
    db.session.commit()
    registration = _confirmed(training, person)
    login_as(staff)
    _check_in(client, training, training.sessions[0], registration)
    code = _certificate(registration).code
    _check_in(client, training, training.sessions[0], registration, present=False)
    revoked = [message for message in mail_outbox() if message.template == "trainings/certificate_revoked"]
    assert len(revoked) == 1
    (message,) = revoked
    assert message.to_email == person.email and message.locale == "pt_BR"
    assert "revogado" in message.subject
    assert "a presença foi corrigida" in message.body_text and f"/certificates/{code}" in message.body_text
