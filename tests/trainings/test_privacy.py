"""Registrations' personal data: kept out of the audit log, exported, erased on deletion, purged by cron."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.db import db, utcnow
from tests.conftest import hidden_fields
from tests.factories import PASSWORD, OrganisationFactory
from tests.trainings.factories import make_member, make_training
from trainings.models import (
    Attendance,
    AudienceKind,
    Certificate,
    DisseminationReport,
    Modality,
    Registration,
    RegistrationState,
)

NEEDS = {
    "motivation": "Quiero aprender sobre identidad digital",
    "accessibility_needs": "Uso silla de ruedas",
    "dietary_needs": "Celíaca, sin gluten",
}


def _registration(training, person) -> Registration:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.training_id == training.id, Registration.user_id == person.id
        )
    )


def test_sensitive_answers_never_reach_the_audit_log(client, login_as, staff, register, submit, mail_outbox):
    training = make_training(modality=Modality.IN_PERSON)
    person = make_member()
    db.session.commit()
    assert register(training, person, **NEEDS).status_code == 302
    registration = _registration(training, person)
    on = login_as(person, on=client.application.test_client())
    action = f"/registrations/{registration.id}/cancel"
    on.post(action, data=hidden_fields(on.get(action).get_data(as_text=True), ""))
    register(training, person, motivation="Otra razón", accessibility_needs="Intérprete de señas")
    rows = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_type == "registrations")).all()
    assert {row.action for row in rows} >= {"create", "update"}
    created = next(row for row in rows if row.action == "create")
    assert (
        created.changes["accessibility_needs"] == "changed" and created.changes["dietary_needs"] == "changed"
    )
    logged = json.dumps(
        [[e.summary, e.changes] for e in db.session.scalars(sa.select(AuditEvent))], ensure_ascii=False
    )
    for text in (*NEEDS.values(), "Otra razón", "Intérprete de señas"):
        assert text not in logged
    login_as(staff)
    assert "silla de ruedas" not in client.get("/admin/audit").get_data(as_text=True)


def _completed(training, person, **answers):
    registration = Registration(
        training_id=training.id,
        user_id=person.id,
        organisation_id=person.memberships[0].organisation_id,
        state=RegistrationState.CONFIRMED,
        completed_at=utcnow(),
        **answers,
    )
    db.session.add(registration)
    db.session.flush()
    db.session.add(Attendance(registration_id=registration.id, session_id=training.sessions[0].id))
    db.session.add(Certificate(registration_id=registration.id, code="ABCD-EFGH-JKLM"))
    return registration


def test_export_holds_registrations_answers_certificates_and_reports(client, submit, login_as):
    training = make_training(days_ahead=-30, title={"es": "Taller de datos", "en": "Data workshop"})
    person = make_member(organisation=OrganisationFactory(country="PE"))
    _completed(training, person, **NEEDS)
    db.session.add(
        DisseminationReport(
            organisation_id=person.memberships[0].organisation_id,
            reported_by_id=person.id,
            held_on=utcnow().date(),
            country="PE",
            language="es",
            audience_kind=AudienceKind.COMMUNITY,
            participants=25,
            notes="En la biblioteca del barrio",
        )
    )
    db.session.commit()
    login_as(person)
    data = json.loads(submit("/account", {}, action="/account/export").get_data(as_text=True))
    [registration] = data["trainings"]["registrations"]
    assert registration["training"] == "Taller de datos" and registration["state"] == "confirmed"
    assert registration["accessibility_needs"] == NEEDS["accessibility_needs"]
    assert registration["certificate"]["code"] == "ABCD-EFGH-JKLM"
    assert registration["certificate"]["url"].endswith("/certificates/ABCD-EFGH-JKLM")
    assert len(registration["attended_sessions"]) == 1
    [report] = data["trainings"]["reports"]
    assert report["participants"] == 25 and report["notes"] == "En la biblioteca del barrio"


def test_deleted_account_keeps_reach_and_certificates_verifiable(client, submit, login_as, mail_outbox):
    training = make_training(days_ahead=-30, sessions=1)
    person = make_member(organisation=OrganisationFactory(country="BR"), name="Clara Certificada")
    _completed(training, person, **NEEDS)
    db.session.commit()
    anonymous = client.application.test_client()
    reach_before = anonymous.get("/trainings/reach").get_data(as_text=True)
    assert "Clara Certificada" in anonymous.get("/certificates/ABCD-EFGH-JKLM").get_data(as_text=True)
    login_as(person)
    assert submit("/account/delete", {"current": PASSWORD, "confirm": "y"}).status_code == 302
    assert anonymous.get("/trainings/reach").get_data(as_text=True) == reach_before
    check = anonymous.get("/certificates/ABCD-EFGH-JKLM")
    html = check.get_data(as_text=True)
    assert check.status_code == 200 and "genuine" in html and "issued to a deleted account" in html
    assert "Clara" not in html
    registration = _registration(training, person)
    assert registration.completed_at is not None and registration.state is RegistrationState.CONFIRMED
    assert (registration.motivation, registration.accessibility_needs, registration.dietary_needs) == (
        "",
        "",
        "",
    )


def test_purge_erases_sensitive_answers_after_the_configured_time_and_is_idempotent(app, monkeypatch):
    old = make_training(days_ahead=-100)
    recent = make_training(days_ahead=-10)
    upcoming = make_training(days_ahead=10)
    person = make_member()
    for training in (old, recent, upcoming):
        db.session.add(Registration(training_id=training.id, user_id=person.id, **NEEDS))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0 and "trainings: 1" in result.output
    assert _registration(old, person).accessibility_needs == ""
    assert _registration(recent, person).accessibility_needs == NEEDS["accessibility_needs"]
    assert "trainings: 0" in runner.invoke(args=["privacy", "purge"]).output
    monkeypatch.setitem(app.config, "PRIVACY_PURGE_AFTER_DAYS", 5)
    assert "trainings: 1" in runner.invoke(args=["privacy", "purge"]).output
    assert _registration(recent, person).motivation == "" and _registration(upcoming, person).motivation
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "privacy.purged").order_by(AuditEvent.id)
    ).all()
    assert len(events) == 3 and events[0].changes["trainings"] == 1


def test_purge_waits_for_the_trainings_last_session(app):
    # A training that started long ago but whose last session is recent keeps its answers.
    training = make_training(days_ahead=-200, sessions=30)
    assert training.ends_at > utcnow() - timedelta(days=90)
    person = make_member()
    db.session.add(Registration(training_id=training.id, user_id=person.id, **NEEDS))
    db.session.commit()
    assert "trainings: 0" in app.test_cli_runner().invoke(args=["privacy", "purge"]).output
