"""A consultation's life: draft → scheduled → open → closed → responding → published → archived, its dates
typed in the space's zone, and ``flask governance tick`` opening and closing on time (once, even when two
hosts run it at the same moment)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from consortium import transaction
from consortium.audit.models import AuditEvent
from consortium.db import db as _db
from consortium.governance import services
from consortium.governance.models import Consultation, ConsultationState, Section
from tests.conftest import field_error, hidden_fields
from tests.race import ServerProcesses

OPENS = datetime(2027, 3, 1, 13, 0, tzinfo=UTC)  # 10:00 in São Paulo
CLOSES = datetime(2027, 3, 31, 23, 0, tzinfo=UTC)  # 20:00 in São Paulo


def _reload(db, ident) -> Consultation:
    db.session.expire_all()
    return db.session.get(Consultation, ident)


def _step(client, consultation, step):
    page = f"/governance/consultations/{consultation.id}"
    action = f"{page}/{step}"
    return client.post(action, data=hidden_fields(client.get(page).get_data(as_text=True), action))


@pytest.fixture
def draft(space, make_consultation, db):
    space.timezone = "America/Sao_Paulo"
    _db.session.commit()
    return make_consultation(space, open_=False)


def _dates(submit, consultation, **values):
    page = f"/governance/consultations/{consultation.id}/dates"
    return submit(page, values)


def _scheduled(db, draft):
    with transaction.writing():
        services.set_schedule(draft, opens_at=OPENS, closes_at=CLOSES, responses_due_at=None)
        services.schedule(draft, by=None)
        _db.session.commit()
    return draft


def test_dates_are_typed_in_the_space_zone_and_stored_in_utc(client, login_as, convenor, draft, submit, db):
    login_as(convenor)
    response = _dates(
        submit,
        draft,
        opens_at="2027-03-01T10:00",
        closes_at="2027-03-31T20:00",
        responses_due_at="2027-04-30T18:00",
    )
    assert response.status_code == 302
    saved = _reload(db, draft.id)
    assert (saved.opens_at, saved.closes_at) == (OPENS, CLOSES)
    assert saved.responses_due_at == datetime(2027, 4, 30, 21, 0, tzinfo=UTC)
    page = client.get(f"/governance/consultations/{draft.id}/dates")
    assert 'value="2027-03-01T10:00"' in page.get_data(as_text=True)


def test_a_closing_before_the_opening_is_refused_under_the_field(
    client, login_as, convenor, draft, submit, db
):
    login_as(convenor)
    response = _dates(submit, draft, opens_at="2027-03-01T10:00", closes_at="2027-02-01T10:00")
    assert response.status_code == 200 and field_error(response.get_data(as_text=True), "closes_at")
    assert 'value="2027-02-01T10:00"' in response.get_data(as_text=True)
    assert _reload(db, draft.id).opens_at is None


def test_scheduling_needs_both_dates(client, login_as, convenor, draft, db):
    login_as(convenor)
    _step(client, draft, "schedule")
    assert _reload(db, draft.id).state is ConsultationState.DRAFT
    _scheduled(db, draft)
    assert _reload(db, draft.id).state is ConsultationState.SCHEDULED
    _step(client, draft, "unschedule")
    assert _reload(db, draft.id).state is ConsultationState.DRAFT


def test_the_tick_opens_and_closes_on_time_and_once(app, draft, db):
    _scheduled(db, draft)
    runner = app.test_cli_runner()
    with time_machine.travel(OPENS - timedelta(minutes=1), tick=False):
        assert "0 consultation" in runner.invoke(args=["governance", "tick"]).output
    assert _reload(db, draft.id).state is ConsultationState.SCHEDULED
    with time_machine.travel(OPENS + timedelta(minutes=1), tick=False):
        assert "1 consultation" in runner.invoke(args=["governance", "tick"]).output
        assert "0 consultation" in runner.invoke(args=["governance", "tick"]).output
    opened = _reload(db, draft.id)
    assert opened.state is ConsultationState.OPEN and opened.opened_at == OPENS + timedelta(minutes=1)
    with time_machine.travel(CLOSES, tick=False):
        assert "1 consultation" in runner.invoke(args=["governance", "tick"]).output
    assert _reload(db, draft.id).state is ConsultationState.CLOSED


def test_a_late_tick_opens_then_closes(app, draft, db):
    _scheduled(db, draft)
    with time_machine.travel(CLOSES + timedelta(days=1), tick=False):
        result = app.test_cli_runner().invoke(args=["governance", "tick"])
    assert "2 consultation" in result.output
    assert _reload(db, draft.id).state is ConsultationState.CLOSED


def _tick(app, _payload, barrier):
    with app.app_context():
        barrier.wait(timeout=120)
        with time_machine.travel(OPENS + timedelta(minutes=1), tick=False):
            return app.test_cli_runner().invoke(args=["governance", "tick"]).output


def test_two_hosts_ticking_at_once_open_it_once(app, database_url, draft, db):
    _scheduled(db, draft)
    processes = ServerProcesses({"SQLALCHEMY_DATABASE_URI": database_url}, 2)
    try:
        outputs = processes.run(_tick, [None, None])
    finally:
        processes.close()
    db.session.rollback()
    assert sorted(outputs) == [
        "0 consultation(s) opened or closed.\n",
        "1 consultation(s) opened or closed.\n",
    ]
    assert _reload(db, draft.id).state is ConsultationState.OPEN
    opened = sa.select(sa.func.count()).select_from(AuditEvent)
    assert db.session.scalar(opened.where(AuditEvent.action == "governance.consultation_open")) == 1


def test_the_convenor_opens_and_closes_by_hand(client, login_as, convenor, draft, db):
    login_as(convenor)
    _scheduled(db, draft)
    _step(client, draft, "open")
    assert _reload(db, draft.id).state is ConsultationState.OPEN
    _step(client, draft, "close")
    closed = _reload(db, draft.id)
    assert closed.state is ConsultationState.CLOSED and closed.closed_at
    _step(client, draft, "respond")
    assert _reload(db, draft.id).state is ConsultationState.RESPONDING
    # a move from the wrong state is refused: archiving needs published responses
    page = f"/governance/consultations/{draft.id}"
    token = hidden_fields(client.get(page).get_data(as_text=True), f"{page}/publish")["csrf_token"]
    assert client.post(f"{page}/archive", data={"csrf_token": token}).status_code == 302
    assert _reload(db, draft.id).state is ConsultationState.RESPONDING


def test_sections_are_edited_only_until_the_consultation_closes(
    client, login_as, convenor, draft, submit, db
):
    login_as(convenor)
    section = draft.sections[0]
    page = f"/governance/sections/{section.id}/edit"
    assert submit(page, {"heading": "En borrador", "body": "A"}).status_code == 302
    assert _reload(db, draft.id).revision == 1  # nobody read it yet
    _step(client, draft, "open")
    _step(client, draft, "close")
    fields = hidden_fields(client.get(page).get_data(as_text=True), "")
    client.post(page, data={**fields, "heading": "Tarde", "body": "B"})
    db.session.expire_all()
    assert db.session.get(Section, section.id).heading == "En borrador"
    html = client.get(f"/governance/consultations/{draft.id}").get_data(as_text=True)
    assert f"/governance/sections/{section.id}/edit" not in html
    assert f"/governance/consultations/{draft.id}/sections/new" not in html


@pytest.mark.parametrize("step", ["close", "publish", "archive"])
def test_members_cannot_move_a_consultation(client, login_as, space, seat_in, make_consultation, step, db):
    consultation = make_consultation(space)
    login_as(seat_in(space))
    page = f"/governance/consultations/{consultation.id}"
    html = client.get(page).get_data(as_text=True)
    assert f"{page}/close" not in html
    fields = hidden_fields(html, f"/governance/sections/{consultation.sections[0].id}/contributions")
    token = next(value for name, value in fields.items() if name.endswith("csrf_token"))
    assert client.post(f"{page}/{step}", data={"csrf_token": token}).status_code == 403
    assert _reload(db, consultation.id).state is ConsultationState.OPEN
