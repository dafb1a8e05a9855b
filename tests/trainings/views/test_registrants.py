"""Staff and a training's registrants through HTTP: decisions, promotions, export, check-in, certificates."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from consortium.db import utcnow
from consortium.mail import deliver_pending
from tests.conftest import hidden_fields
from tests.factories import OrganisationFactory
from tests.trainings.factories import make_member, make_training, registration_of
from trainings.models import (
    ApprovalMode,
    Attendance,
    Certificate,
    RegistrationState,
    Training,
)
from trainings.services import UNDO_WINDOW


@pytest.fixture
def one_seat_taken(db, login_as, register, staff, mail_outbox):
    """A one-seat training: ``first`` holds the seat, ``second`` waits; staff are signed in."""

    def make(**names):
        training = make_training(capacity=1)
        first, second = make_member(**names.get("first", {})), make_member(**names.get("second", {}))
        db.session.commit()
        register(training, first)
        register(training, second)
        login_as(staff)
        return training, first, second

    return make


def test_staff_approval_keeps_registrations_pending_until_approved(
    client, db, login_as, register, staff, mail_outbox
):
    training = make_training(approval=ApprovalMode.STAFF, capacity=1)
    first, second = make_member(), make_member()
    db.session.commit()
    register(training, first)
    register(training, second)
    assert registration_of(training, first).state is RegistrationState.PENDING
    login_as(staff)
    page = client.get(f"/trainings/{training.id}/registrations").get_data(as_text=True)
    assert first.name in page
    fields = hidden_fields(page, f"/trainings/{training.id}/registrations/bulk")
    ids = [registration_of(training, first).id, registration_of(training, second).id]
    client.post(
        f"/trainings/{training.id}/registrations/bulk",
        data={**fields, "registration": ids, "action": "approve"},
    )
    assert registration_of(training, first).state is RegistrationState.CONFIRMED
    assert registration_of(training, second).state is RegistrationState.WAITLISTED
    client.post(
        f"/trainings/{training.id}/registrations/bulk",
        data={**fields, "registration": [ids[0]], "action": "reject"},
    )
    assert registration_of(training, first).state is RegistrationState.REJECTED
    assert registration_of(training, second).state is RegistrationState.CONFIRMED  # promoted at once
    kinds = [m.subject for m in mail_outbox()]
    assert any("was not accepted" in s for s in kinds) and any("A place opened up" in s for s in kinds)


def test_cancelling_promotes_the_first_waitlisted_once_the_undo_window_ends(
    client, db, register, login_as, submit, smtp
):
    training = make_training(capacity=1, title={"es": "Taller", "pt_BR": "Oficina", "en": "Workshop"})
    first = make_member(locale="es")
    second = make_member(locale="pt_BR")
    third = make_member(locale="en")
    db.session.commit()
    for person in (first, second, third):
        register(training, person)
    deliver_pending()
    smtp.clear()
    login_as(first)
    registration = registration_of(training, first)
    response = submit(f"/registrations/{registration.id}/cancel", {})
    assert response.status_code == 302
    assert registration_of(training, first).state is RegistrationState.CANCELLED
    assert registration_of(training, second).state is RegistrationState.WAITLISTED  # the seat is held
    with time_machine.travel(utcnow() + UNDO_WINDOW + timedelta(seconds=1)):
        assert (
            "Released 1 seats"
            in client.application.test_cli_runner().invoke(args=["trainings", "release-seats"]).output
        )
        deliver_pending()
    assert registration_of(training, second).state is RegistrationState.CONFIRMED
    assert registration_of(training, third).state is RegistrationState.WAITLISTED
    assert db.session.get(Training, training.id).confirmed_count == 1
    by_recipient = {m["To"].addresses[0].addr_spec: m for m in smtp}
    promoted = by_recipient[second.email]
    assert "Oficina" in promoted["Subject"]
    from consortium.mail import OutboxMessage

    sent_to_second = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_email == second.email)
    )
    assert {m.locale for m in sent_to_second} == {"pt_BR"}
    attachment = next(promoted.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert (
        "secret-room" in attachment.get_content().decode()
        if isinstance(attachment.get_content(), bytes)
        else "secret-room" in attachment.get_content()
    )
    assert "Se canceló su inscripción" in by_recipient[first.email]["Subject"]  # in their language


def test_emails_reach_each_person_in_their_language(client, db, register, smtp):
    training = make_training(capacity=1, title={"es": "Taller", "en": "Workshop"})
    spanish, english = make_member(locale="es"), make_member(locale="en")
    db.session.commit()
    register(training, spanish)
    register(training, english)
    deliver_pending()
    subjects = {m["To"].addresses[0].addr_spec: m["Subject"] for m in smtp}
    assert (
        subjects[spanish.email] == "Tu plaza está confirmada: Taller" or "Taller" in subjects[spanish.email]
    )
    assert subjects[english.email] == "You are on the waiting list: Workshop"
    confirmed = next(m for m in smtp if m["To"].addresses[0].addr_spec == spanish.email)
    ics = next(confirmed.iter_attachments())
    assert ics.get_filename() == "training.ics"


def test_csv_export_opens_in_a_spreadsheet_with_accents(client, db, login_as, staff, register, mail_outbox):
    training = make_training()
    person = make_member(name="José Peña")
    db.session.commit()
    register(training, person, motivation="=HYPERLINK(1)")
    login_as(staff)
    response = client.get(f"/trainings/{training.id}/registrations.csv")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][0] == "José Peña" and rows[1][6] == "'=HYPERLINK(1)"


def test_csv_export_neutralises_formulas_in_the_email_column(
    client, db, login_as, staff, register, mail_outbox
):
    training = make_training()
    formula, plus = make_member(email="=1+2@example.org"), make_member(email="+1-555@example.org")
    db.session.commit()
    register(training, formula)
    register(training, plus)
    login_as(staff)
    response = client.get(f"/trainings/{training.id}/registrations.csv")
    emails = {row[1] for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig")))}
    assert {"'=1+2@example.org", "'+1-555@example.org"} <= emails


def test_registrant_list_filters_by_state(client, one_seat_taken):
    training, _, _ = one_seat_taken(first={"name": "Primera Persona"}, second={"name": "Segunda Persona"})
    html = client.get(f"/trainings/{training.id}/registrations?state=waitlisted").get_data(as_text=True)
    assert "Segunda Persona" in html and "Primera Persona" not in html


def _check_in(client, training, session, registration, present=True):
    url = f"/trainings/{training.id}/sessions/{session.id}/check-in"
    page = client.get(url).get_data(as_text=True)
    action = f"{url}/{registration.id}"
    return client.post(action, data={**hidden_fields(page, action), "present": "1" if present else "0"})


def test_check_in_marks_attendance_and_the_certificate_follows_after_the_end(
    client, db, login_as, staff, register, mail_outbox
):
    training = make_training(sessions=2, completion_percent=50)
    person = make_member(name="Ana Asistente")
    db.session.commit()
    register(training, person)
    registration = registration_of(training, person)
    first = training.sessions[0]
    with time_machine.travel(first.starts_at + timedelta(minutes=5), tick=False):
        login_as(staff)
        response = _check_in(client, training, first, registration)
        assert response.status_code == 302
        registration = registration_of(training, person)
        assert registration.completed_at is None and registration.certificate is None  # not over yet
        html = client.get(f"/trainings/{training.id}/sessions/{first.id}/check-in").get_data(as_text=True)
        assert "1 de 1 presentes" in html
        _check_in(client, training, first, registration, present=False)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0
    with time_machine.travel(training.ends_at + timedelta(minutes=5), tick=False):
        login_as(staff)
        _check_in(client, training, first, registration)
        registration = registration_of(training, person)
        assert registration.completed_at is not None and registration.certificate is not None


def test_seats_per_organisation_send_the_extra_colleague_to_the_waiting_list(
    client, db, register, mail_outbox
):
    organisation = OrganisationFactory()
    training = make_training(capacity=5, seats_per_organisation=1)
    first, second = make_member(organisation), make_member(organisation)
    outsider = make_member()
    db.session.commit()
    for person in (first, second, outsider):
        register(training, person)
    assert registration_of(training, first).state is RegistrationState.CONFIRMED
    assert registration_of(training, second).state is RegistrationState.WAITLISTED
    assert registration_of(training, outsider).state is RegistrationState.CONFIRMED


def test_staff_cancel_frees_the_seat_for_the_waiting_list(client, one_seat_taken):
    training, first, second = one_seat_taken()
    page = client.get(f"/trainings/{training.id}/registrations").get_data(as_text=True)
    action = f"/trainings/{training.id}/registrations/bulk"
    client.post(
        action,
        data={
            **hidden_fields(page, action),
            "registration": [registration_of(training, first).id],
            "action": "cancel",
        },
    )
    assert registration_of(training, first).state is RegistrationState.CANCELLED
    assert registration_of(training, second).state is RegistrationState.CONFIRMED


def test_only_confirmed_people_can_be_checked_in(client, db, login_as, staff, register, mail_outbox):
    from tests.conftest import hidden_fields

    training = make_training(capacity=1)
    first, second = make_member(), make_member()
    db.session.commit()
    register(training, first)
    register(training, second)
    with time_machine.travel(training.sessions[0].starts_at, tick=False):
        login_as(staff)
        url = f"/trainings/{training.id}/sessions/{training.sessions[0].id}/check-in"
        fields = hidden_fields(
            client.get(url).get_data(as_text=True), f"{url}/{registration_of(training, first).id}"
        )
        response = client.post(
            f"{url}/{registration_of(training, second).id}", data={**fields, "present": "1"}
        )
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_check_in_list_finds_a_person_by_name(client, db, login_as, staff, register, mail_outbox):
    training = make_training()
    for name in ("Lucía Gómez", "Pedro Pérez"):
        register(training, make_member(name=name))
    login_as(staff)
    html = client.get(f"/trainings/{training.id}/sessions/{training.sessions[0].id}/check-in?q=luc").get_data(
        as_text=True
    )
    assert "Lucía Gómez" in html and "Pedro Pérez" not in html


def test_certificate_pdf_and_public_check(client, db, login_as, staff, register, mail_outbox):
    training = make_training(title={"es": "Taller de salvaguardas"})
    person = make_member(name="Iñés Çavalcanti")
    db.session.commit()
    register(training, person)
    registration = registration_of(training, person)
    with time_machine.travel(training.ends_at + timedelta(minutes=5), tick=False):
        login_as(staff)
        _check_in(client, training, training.sessions[0], registration)
    code = db.session.scalar(sa.select(Certificate.code))
    participant_client = client.application.test_client()
    login_as(person, on=participant_client)
    pdf = participant_client.get(f"/registrations/{registration.id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    anonymous = client.application.test_client()
    check = anonymous.get(f"/certificates/{code}").get_data(as_text=True)
    assert "Iñés Çavalcanti" in check and "Taller de salvaguardas" in check and "genuine" in check
    missing = anonymous.get("/certificates/AAAA-BBBB-CCCC")
    assert missing.status_code == 404 and "AAAA-BBBB-CCCC" in missing.get_data(as_text=True)


def test_another_member_cannot_download_someone_elses_certificate(
    client, db, login_as, register, mail_outbox
):
    training = make_training()
    person, stranger = make_member(), make_member()
    db.session.commit()
    register(training, person)
    registration = registration_of(training, person)
    login_as(stranger)
    assert client.get(f"/registrations/{registration.id}/certificate.pdf").status_code == 404
