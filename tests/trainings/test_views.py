"""Trainings through HTTP: catalogue, registration, waiting list, e-mails, staff tools, certificates."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from consortium.db import db, utcnow
from consortium.mail import deliver_pending
from tests.factories import OrganisationFactory, UserFactory
from tests.trainings.factories import make_member, make_training
from trainings.models import (
    ApprovalMode,
    Attendance,
    Certificate,
    DisseminationReport,
    Modality,
    Registration,
    RegistrationState,
    Training,
    TrainingState,
)


def _registration(training, person) -> Registration:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.training_id == training.id, Registration.user_id == person.id
        )
    )


# Catalogue -------------------------------------------------------------------------------------


def test_catalogue_lists_upcoming_with_seats_and_hides_drafts(client, db):
    make_training(title={"es": "Identidad digital"}, capacity=12)
    make_training(title={"es": "Borrador secreto"}, state=TrainingState.DRAFT)
    make_training(title={"es": "Ya pasó"}, days_ahead=-30)
    db.session.commit()
    html = client.get("/trainings").get_data(as_text=True)
    assert "Identidad digital" in html and "12 seats left" in html
    assert "Borrador secreto" not in html and "Ya pasó" not in html
    past = client.get("/trainings?when=past").get_data(as_text=True)
    assert "Ya pasó" in past and "Identidad digital" not in past


def test_catalogue_filters_by_topic_modality_country_and_language(client, db):
    make_training(
        title={"es": "Pagos en Brasil"}, topics=["payments"], country="BR", modality=Modality.IN_PERSON
    )
    make_training(title={"es": "Safeguards online"}, topics=["safeguards"], instruction_language="en")
    db.session.commit()
    assert "Pagos en Brasil" in client.get("/trainings?topic=payments").get_data(as_text=True)
    assert "Safeguards online" not in client.get("/trainings?topic=payments").get_data(as_text=True)
    assert "Safeguards online" not in client.get("/trainings?modality=in_person").get_data(as_text=True)
    assert "Pagos en Brasil" in client.get("/trainings?country=BR").get_data(as_text=True)
    by_language = client.get("/trainings?language=en").get_data(as_text=True)
    assert "Safeguards online" in by_language and "Pagos en Brasil" not in by_language


def test_catalogue_query_count_does_not_grow_with_trainings(client, db, count_queries):
    def seed(n):
        for _ in range(n):
            make_training()
        db.session.commit()

    seed(5)
    with count_queries() as small:
        assert client.get("/trainings").status_code == 200
    seed(10)
    with count_queries() as large:
        assert client.get("/trainings").status_code == 200
    assert len(small) == len(large) <= 4


def test_catalogue_query_count_is_small_for_a_signed_in_member(client, db, count_queries, login_as):
    person = make_member()
    db.session.commit()
    login_as(person)
    counts = []
    for n in (4, 12):
        for _ in range(n):
            make_training()
        db.session.commit()
        with count_queries() as queries:
            assert client.get("/trainings").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4  # session and memberships, then the page and its count


def test_dates_are_shown_in_the_viewers_zone_and_language(client, db, login_as):
    training = make_training()
    person = make_member(timezone="Asia/Tokyo", locale="en")
    db.session.commit()
    login_as(person)
    html = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert "Japan Standard Time" in html
    assert "Local time at the training" in html


def test_training_shown_in_its_own_language_with_a_notice(client, db):
    training = make_training(title={"pt_BR": "Oficina de pagamentos"}, summary={}, language="pt_BR")
    db.session.commit()
    html = client.get(f"/trainings/{training.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Oficina de pagamentos" in html and 'lang="pt-BR"' in html
    assert "not yet available in your language" in html


def test_draft_is_not_found_for_members_but_visible_to_staff(client, db, login_as, staff):
    draft = make_training(state=TrainingState.DRAFT)
    person = make_member()
    db.session.commit()
    assert client.get(f"/trainings/{draft.id}").status_code == 404
    login_as(person)
    assert client.get(f"/trainings/{draft.id}").status_code == 404
    assert client.get(f"/trainings/{draft.id}.ics").status_code == 404
    login_as(staff)
    assert client.get(f"/trainings/{draft.id}").status_code == 200


def test_ics_has_one_event_per_session_and_no_private_link(client, db):
    training = make_training(sessions=2, title={"es": "Taller de identidad"})
    db.session.commit()
    response = client.get(f"/trainings/{training.id}.ics")
    assert response.mimetype == "text/calendar"
    events = [c for c in Calendar.from_ical(response.data).walk("VEVENT")]
    assert len(events) == 2
    assert str(events[0]["summary"]).startswith("Taller de identidad")
    assert events[0].decoded("dtstart") == training.sessions[0].starts_at
    assert "secret-room" not in response.get_data(as_text=True)


def test_training_page_has_a_share_link_and_calendar_link(client, training):
    html = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert f"http://localhost/trainings/{training.id}" in html
    assert f"/trainings/{training.id}.ics" in html
    assert "https://wa.me/?text=" in html and "mailto:?subject=" in html


# Registration ----------------------------------------------------------------------------------


def test_member_registers_and_gets_a_confirmed_place(client, training, participant, register, mail_outbox):
    response = register(training, participant, accessibility_needs="Subtítulos")
    assert response.status_code == 302
    registration = _registration(training, participant)
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
    assert _registration(training, first).state is RegistrationState.CONFIRMED
    assert _registration(training, second).state is RegistrationState.WAITLISTED


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
    registration = _registration(training, colleague)
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
    assert _registration(training, colleague).state is RegistrationState.CONFIRMED


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
    assert _registration(training, participant) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FormSubmission)) == 0
    assert db.session.get(Training, training.id).confirmed_count == 0
    failing_after_registration()  # the failure is gone: sending the same form again registers
    assert client.post(page, data=data).status_code == 302
    assert _registration(training, participant).state is RegistrationState.CONFIRMED
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
    assert _registration(training, participant) is None
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
    assert _registration(training, colleague) is None


def test_staff_approval_keeps_registrations_pending_until_approved(
    client, db, login_as, register, staff, mail_outbox
):
    training = make_training(approval=ApprovalMode.STAFF, capacity=1)
    first, second = make_member(), make_member()
    db.session.commit()
    register(training, first)
    register(training, second)
    assert _registration(training, first).state is RegistrationState.PENDING
    login_as(staff)
    page = client.get(f"/trainings/{training.id}/registrations").get_data(as_text=True)
    assert first.name in page
    from tests.conftest import hidden_fields

    fields = hidden_fields(page, f"/trainings/{training.id}/registrations/bulk")
    ids = [_registration(training, first).id, _registration(training, second).id]
    client.post(
        f"/trainings/{training.id}/registrations/bulk",
        data={**fields, "registration": ids, "action": "approve"},
    )
    assert _registration(training, first).state is RegistrationState.CONFIRMED
    assert _registration(training, second).state is RegistrationState.WAITLISTED
    client.post(
        f"/trainings/{training.id}/registrations/bulk",
        data={**fields, "registration": [ids[0]], "action": "reject"},
    )
    assert _registration(training, first).state is RegistrationState.REJECTED
    assert _registration(training, second).state is RegistrationState.CONFIRMED  # promoted at once
    kinds = [m.subject for m in mail_outbox()]
    assert any("was not accepted" in s for s in kinds) and any("A place opened up" in s for s in kinds)


def test_cancelling_promotes_the_first_waitlisted_and_tells_them(
    client, db, register, login_as, csrf_token, smtp
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
    registration = _registration(training, first)
    from tests.conftest import hidden_fields

    action = f"/registrations/{registration.id}/cancel"
    response = client.post(
        action, data=hidden_fields(client.get("/trainings/mine").get_data(as_text=True), action)
    )
    assert response.status_code == 302
    assert _registration(training, first).state is RegistrationState.CANCELLED
    assert _registration(training, second).state is RegistrationState.CONFIRMED
    assert _registration(training, third).state is RegistrationState.WAITLISTED
    assert db.session.get(Training, training.id).confirmed_count == 1
    deliver_pending()
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
    assert [_registration(training, p).state for p in people] == [RegistrationState.CONFIRMED] * 3


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
        "sessions": f"{local:%Y-%m-%d %H:%M}-{end:%H:%M}",
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


# Staff tools -----------------------------------------------------------------------------------


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


def test_registrant_list_filters_by_state(client, db, login_as, staff, register, mail_outbox):
    training = make_training(capacity=1)
    first, second = make_member(name="Primera Persona"), make_member(name="Segunda Persona")
    db.session.commit()
    register(training, first)
    register(training, second)
    login_as(staff)
    html = client.get(f"/trainings/{training.id}/registrations?state=waitlisted").get_data(as_text=True)
    assert "Segunda Persona" in html and "Primera Persona" not in html


def _check_in(client, training, session, registration, present=True):
    from tests.conftest import hidden_fields

    url = f"/trainings/{training.id}/sessions/{session.id}/check-in"
    page = client.get(url).get_data(as_text=True)
    action = f"{url}/{registration.id}"
    return client.post(action, data={**hidden_fields(page, action), "present": "1" if present else "0"})


def test_check_in_marks_attendance_and_completion_issues_a_certificate(
    client, db, login_as, staff, register, mail_outbox
):
    training = make_training(sessions=2, completion_percent=50)
    person = make_member(name="Ana Asistente")
    db.session.commit()
    register(training, person)
    registration = _registration(training, person)
    login_as(staff)
    response = _check_in(client, training, training.sessions[0], registration)
    assert response.status_code == 302
    db.session.expire_all()
    registration = _registration(training, person)
    assert registration.completed_at is not None and registration.certificate is not None
    html = client.get(f"/trainings/{training.id}/sessions/{training.sessions[0].id}/check-in").get_data(
        as_text=True
    )
    assert "1 de 1 presentes" in html
    _check_in(client, training, training.sessions[0], registration, present=False)
    registration = _registration(training, person)
    assert registration.completed_at is None and registration.certificate is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_certificate_pdf_and_public_check(client, db, login_as, staff, register, mail_outbox):
    training = make_training(title={"es": "Taller de salvaguardas"})
    person = make_member(name="Iñés Çavalcanti")
    db.session.commit()
    register(training, person)
    registration = _registration(training, person)
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
    registration = _registration(training, person)
    login_as(stranger)
    assert client.get(f"/registrations/{registration.id}/certificate.pdf").status_code == 404


# Disseminators and reach -----------------------------------------------------------------------


def test_completed_organisation_reports_and_staff_verify(client, db, login_as, staff, submit, mail_outbox):
    organisation = OrganisationFactory(country="PE")
    person = make_member(organisation)
    training = make_training(days_ahead=-20)
    db.session.add(
        Registration(
            training_id=training.id,
            user_id=person.id,
            organisation_id=organisation.id,
            state=RegistrationState.CONFIRMED,
            completed_at=utcnow(),
        )
    )
    db.session.commit()
    login_as(person)
    response = submit(
        "/trainings/reports/new",
        {
            "organisation_id": organisation.id,
            "held_on": "2026-10-01",
            "country": "PE",
            "language": "es",
            "audience_kind": "community",
            "participants": "40",
            "topics": ["digital_identity"],
            "resources": "Guía de identidad digital | https://example.org/guia\nChecklist",
        },
    )
    assert response.status_code == 302
    report = db.session.scalar(sa.select(DisseminationReport))
    assert report.resources == [
        {"title": "Guía de identidad digital", "url": "https://example.org/guia"},
        {"title": "Checklist", "url": ""},
    ]
    public = client.application.test_client().get("/trainings/reach").get_data(as_text=True)
    assert ">40<" not in public  # unverified reports are not counted publicly
    login_as(staff)
    from tests.conftest import hidden_fields

    page = client.get("/trainings/reports").get_data(as_text=True)
    action = f"/trainings/reports/{report.id}/verify"
    client.post(action, data=hidden_fields(page, action))
    db.session.expire_all()
    assert db.session.get(DisseminationReport, report.id).is_verified
    public = client.application.test_client().get("/trainings/reach").get_data(as_text=True)
    assert ">40<" in public and "<svg" in public


def test_member_without_a_completed_training_cannot_report(client, db, login_as):
    person = make_member()
    db.session.commit()
    login_as(person)
    assert client.get("/trainings/reports/new").status_code == 403


def test_reach_counts_trainings_people_and_attendance(client, db, login_as, staff):
    training = make_training(days_ahead=-10, sessions=2)
    organisation = OrganisationFactory(country="BR")
    people = [make_member(organisation) for _ in range(2)]
    for n, person in enumerate(people):
        registration = Registration(
            training_id=training.id,
            user_id=person.id,
            organisation_id=organisation.id,
            state=RegistrationState.CONFIRMED,
            completed_at=utcnow() if n == 0 else None,
        )
        db.session.add(registration)
        db.session.flush()
        db.session.add(Attendance(registration_id=registration.id, session_id=training.sessions[0].id))
    db.session.commit()
    html = client.get("/trainings/reach").get_data(as_text=True)
    assert "Brazil" in html and "50" in html  # 2 of 4 expected attendances
    login_as(staff)
    assert client.get("/trainings/reach/staff").status_code == 200


def test_reach_page_query_count_does_not_grow(client, db, count_queries):
    def seed(n):
        for _ in range(n):
            make_training(days_ahead=-5)
        db.session.commit()

    seed(3)
    with count_queries() as small:
        client.get("/trainings/reach")
    seed(9)
    with count_queries() as large:
        client.get("/trainings/reach")
    assert len(small) == len(large)


# Access matrix ---------------------------------------------------------------------------------

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


def test_suggestions_provider_offers_upcoming_trainings_for_principles(app, db):
    from consortium.suggestions import for_principles

    make_training(title={"es": "Sobre F3"}, principles=["F3"])
    make_training(title={"es": "Otra"}, principles=["O1"])
    make_training(title={"es": "Pasada"}, principles=["F3"], days_ahead=-3)
    db.session.commit()
    with app.test_request_context():
        found = for_principles(["F3"])["trainings"]
    assert [s.title for s in found] == ["Sobre F3"] and found[0].principles == ("F3",)


def test_catalogue_pages_keep_the_filters(client, db):
    for _ in range(30):
        make_training(topics=["payments"])
    db.session.commit()
    html = client.get("/trainings?topic=payments").get_data(as_text=True)
    assert "/trainings?topic=payments&amp;page=2" in html
    assert client.get("/trainings?topic=payments&page=2").status_code == 200


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
    assert _registration(training, first).state is RegistrationState.CONFIRMED
    assert _registration(training, second).state is RegistrationState.WAITLISTED
    assert _registration(training, outsider).state is RegistrationState.CONFIRMED


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


def test_staff_cancel_frees_the_seat_for_the_waiting_list(client, db, login_as, staff, register, mail_outbox):
    from tests.conftest import hidden_fields

    training = make_training(capacity=1)
    first, second = make_member(), make_member()
    db.session.commit()
    register(training, first)
    register(training, second)
    login_as(staff)
    page = client.get(f"/trainings/{training.id}/registrations").get_data(as_text=True)
    action = f"/trainings/{training.id}/registrations/bulk"
    client.post(
        action,
        data={
            **hidden_fields(page, action),
            "registration": [_registration(training, first).id],
            "action": "cancel",
        },
    )
    assert _registration(training, first).state is RegistrationState.CANCELLED
    assert _registration(training, second).state is RegistrationState.CONFIRMED


def test_only_confirmed_people_can_be_checked_in(client, db, login_as, staff, register, mail_outbox):
    from tests.conftest import hidden_fields

    training = make_training(capacity=1)
    first, second = make_member(), make_member()
    db.session.commit()
    register(training, first)
    register(training, second)
    login_as(staff)
    url = f"/trainings/{training.id}/sessions/{training.sessions[0].id}/check-in"
    fields = hidden_fields(
        client.get(url).get_data(as_text=True), f"{url}/{_registration(training, first).id}"
    )
    response = client.post(f"{url}/{_registration(training, second).id}", data={**fields, "present": "1"})
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


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
    action = f"/registrations/{_registration(training, first).id}/cancel"
    page = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert client.post(action, data=hidden_fields(page, action)).status_code == 302
    register(training, first)
    assert _registration(training, first).state is RegistrationState.WAITLISTED
    assert _registration(training, second).state is RegistrationState.CONFIRMED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 2


def test_check_in_list_finds_a_person_by_name(client, db, login_as, staff, register, mail_outbox):
    training = make_training()
    for name in ("Lucía Gómez", "Pedro Pérez"):
        register(training, make_member(name=name))
    login_as(staff)
    html = client.get(f"/trainings/{training.id}/sessions/{training.sessions[0].id}/check-in?q=luc").get_data(
        as_text=True
    )
    assert "Lucía Gómez" in html and "Pedro Pérez" not in html
