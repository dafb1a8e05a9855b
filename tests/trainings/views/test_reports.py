"""Reach that cannot be inflated: report dates, verification or rejection, edits, and the staff dashboard."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from consortium import worklist
from consortium.db import db, utcnow
from tests.conftest import field_error, hidden_fields
from tests.factories import OrganisationFactory
from tests.trainings.factories import make_member, make_training
from trainings.models import (
    AudienceKind,
    DisseminationReport,
    Registration,
    RegistrationState,
    Training,
    TrainingSession,
)

TODAY = datetime.now(ZoneInfo("America/Bogota")).date()  # the test users' zone: their today


@pytest.fixture
def staff():
    from tests.factories import UserFactory

    user = UserFactory(staff=True, locale="en")
    db.session.commit()
    return user


@pytest.fixture
def reporter():
    """A member of a Peruvian organisation whose people completed a training that ended 20 days ago."""
    organisation = OrganisationFactory(country="PE", name="Red Peruana")
    person = make_member(organisation, name="Rita Reportera")
    training = make_training(days_ahead=-20, timezone="America/Lima")
    db.session.add(
        Registration(
            training_id=training.id,
            user_id=person.id,
            organisation_id=organisation.id,
            state=RegistrationState.CONFIRMED,
            completed_at=training.ends_at,
        )
    )
    db.session.commit()
    return person


def _report(held_on, **fields) -> dict:
    return {
        "held_on": held_on.isoformat() if isinstance(held_on, date) else held_on,
        "country": "PE",
        "language": "es",
        "audience_kind": "community",
        "participants": "35",
        **fields,
    }


def _stored(organisation_id, held_on, participants=35, **fields) -> DisseminationReport:
    values = {"country": "PE", "language": "es", "audience_kind": AudienceKind.COMMUNITY, **fields}
    report = DisseminationReport(
        organisation_id=organisation_id, held_on=held_on, participants=participants, **values
    )
    db.session.add(report)
    db.session.commit()
    return report


@pytest.mark.parametrize(
    ("held_on", "error"),
    [
        ("2030-01-15", "The date cannot be later than today"),
        (TODAY + timedelta(days=1), "The date cannot be later than today"),
        (TODAY - timedelta(days=60), "first completed training ended on"),
        ("2026-13-45", "Not a valid date value."),
    ],
)
def test_impossible_report_dates_are_refused_with_the_reason(
    client, login_as, submit, reporter, held_on, error
):
    login_as(reporter)
    response = submit("/trainings/reports/new", _report(held_on, notes="Taller en Puno"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and error in (field_error(html, "held_on") or "")
    assert "Taller en Puno" in html  # nothing typed is lost
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisseminationReport)) == 0


def test_a_report_from_the_day_the_first_training_ended_until_today_is_accepted(
    client, login_as, submit, reporter
):
    login_as(reporter)
    training = db.session.scalars(sa.select(Training).join(Registration)).one()
    # the day it ended where it was held: 20 days ago, or 19 when it ran past midnight in Lima
    ended_on = training.ends_at.astimezone(ZoneInfo("America/Lima")).date()
    for held_on in (TODAY, ended_on):
        assert submit("/trainings/reports/new", _report(held_on)).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisseminationReport)) == 2


def test_rejected_report_is_corrected_by_the_organisation_and_goes_back_to_staff(
    client, login_as, submit, reporter, staff
):
    organisation_id = reporter.memberships[0].organisation_id
    report = _stored(organisation_id, TODAY - timedelta(days=3))
    login_as(staff)
    refused = submit(f"/trainings/reports/{report.id}/reject", {"reason": ""})
    assert refused.status_code == 422
    submit(f"/trainings/reports/{report.id}/reject", {"reason": "Faltan las listas de asistencia"})
    db.session.expire_all()
    assert db.session.get(DisseminationReport, report.id).status.value == "rejected"

    login_as(reporter)
    assert "Faltan las listas de asistencia" in client.get("/trainings/reports").get_data(as_text=True)
    edit = f"/trainings/reports/{report.id}/edit"
    assert "Faltan las listas" in client.get(edit).get_data(as_text=True)
    assert submit(edit, _report(TODAY - timedelta(days=3), participants="28")).status_code == 302
    db.session.expire_all()
    edited = db.session.get(DisseminationReport, report.id)
    assert edited.participants == 28 and edited.status.value == "pending" and edited.rejection_reason == ""

    login_as(staff)
    page = client.get("/trainings/reports?status=pending").get_data(as_text=True)
    action = f"/trainings/reports/{report.id}/verify"
    client.post(action, data=hidden_fields(page, action))
    login_as(reporter)
    response = client.get(edit, follow_redirects=True)
    assert "This report is verified: it can no longer be changed." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DisseminationReport, report.id).participants == 28


def test_the_organisation_deletes_an_unverified_report_but_not_a_verified_one_nor_others(
    client, login_as, reporter, mail_outbox
):
    organisation_id = reporter.memberships[0].organisation_id
    unverified = _stored(organisation_id, TODAY)
    verified = _stored(organisation_id, TODAY, verified_at=utcnow())
    other = _stored(OrganisationFactory().id, TODAY)
    login_as(reporter)
    page = client.get(f"/trainings/reports/{unverified.id}/edit").get_data(as_text=True)
    token = hidden_fields(page, f"/trainings/reports/{unverified.id}/delete")
    client.post(f"/trainings/reports/{unverified.id}/delete", data=token)
    client.post(f"/trainings/reports/{verified.id}/delete", data=token)
    assert client.post(f"/trainings/reports/{other.id}/delete", data=token).status_code == 404
    db.session.expire_all()
    remaining = set(db.session.scalars(sa.select(DisseminationReport.id)))
    assert remaining == {verified.id, other.id}


def test_dashboard_counts_verified_reports_by_local_year_with_filters_and_csv(client, login_as, staff):
    # 21:00 in Lima on 31 December 2025 is 02:00 UTC on 1 January 2026: the training belongs to 2025.
    lima = OrganisationFactory(country="PE", name='=HYPERLINK("x")')
    brasil = OrganisationFactory(country="BR", name="Rede Brasil")
    new_year = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
    training = make_training(days_ahead=-400, timezone="America/Lima", country="PE")
    training.sessions = [TrainingSession(starts_at=new_year, ends_at=new_year + timedelta(hours=2))]
    training.starts_at, training.ends_at = new_year, new_year + timedelta(hours=2)
    _stored(lima.id, date(2026, 3, 1), participants=35, verified_at=utcnow())
    _stored(lima.id, date(2026, 4, 1), participants=500)  # pending: never counted
    _stored(brasil.id, date(2025, 6, 1), participants=12, verified_at=utcnow(), country="BR")
    login_as(staff)
    html = client.get("/trainings/reach/staff").get_data(as_text=True)
    assert "<td>2025</td><td>1</td>" in html  # the training, in its local year
    assert "<td>2026</td><td>1</td><td>35</td>" in html and ">500<" not in html
    assert "Not counted: 1 report awaiting verification (500 people)." in html
    only_brazil = client.get("/trainings/reach/staff?country=BR").get_data(as_text=True)
    assert (
        "<td>2025</td><td>1</td><td>12</td>" in only_brazil
        and "<td>2026</td><td>1</td><td>35" not in only_brazil
    )
    by_org = client.get(f"/trainings/reach/staff?organisation={lima.id}&year=2026").get_data(as_text=True)
    assert "<td>2026</td><td>1</td><td>35</td>" in by_org and "<td>2025</td><td>1</td><td>12" not in by_org
    assert client.get("/trainings/reach/staff?year=abc&organisation=%27").status_code == 200
    exported = client.get(f"/trainings/reach/staff/reports.csv?organisation={lima.id}")
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0] == "2026-03-01" and rows[1][1] == '\'=HYPERLINK("x")'


def test_staff_worklist_offers_reports_to_check(app, reporter, staff, member):
    organisation_id = reporter.memberships[0].organisation_id
    _stored(organisation_id, TODAY)
    _stored(organisation_id, TODAY, rejected_at=utcnow(), rejection_reason="No")
    _stored(organisation_id, TODAY, verified_at=utcnow())
    with app.test_request_context():
        (item,) = [i for i in worklist.waiting_for(staff) if i.url.startswith("/trainings/reports")]
        assert item.count == 1 and item.label == "Reports to check" and "status=pending" in item.url
        assert not [i for i in worklist.waiting_for(member) if i.url.startswith("/trainings/reports")]


def test_reach_csv_gives_its_times_in_utc_and_says_so(client, login_as, staff):
    organisation = OrganisationFactory(country="PE")
    db.session.commit()
    verified = datetime(2026, 3, 2, 15, 30, tzinfo=ZoneInfo("America/Lima"))
    _stored(organisation.id, date(2026, 3, 1), verified_at=verified)
    login_as(staff)
    exported = client.get("/trainings/reach/staff/reports.csv")
    header, row = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert header[-2:] == ["Reported (UTC)", "Verified (UTC)"]
    assert row[-1] == "2026-03-02T20:30:00+00:00" and row[-2].endswith("+00:00")
