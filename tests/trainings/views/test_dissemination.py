"""Dissemination reports and the reach pages through HTTP."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from consortium.db import utcnow
from tests.factories import OrganisationFactory
from tests.trainings.factories import make_member, make_training
from trainings.models import (
    Attendance,
    DisseminationReport,
    Registration,
    RegistrationState,
)


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
            "held_on": (utcnow() - timedelta(days=5)).date().isoformat(),
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


def test_member_without_a_completed_training_is_told_what_to_do_next(client, db, login_as):
    person = make_member()
    db.session.commit()
    login_as(person)
    response = client.get("/trainings/reports/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "What to do next" in html and 'href="/trainings"' in html and "Access denied" not in html


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
