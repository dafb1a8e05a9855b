"""Reminders to owners' organisation admins: a week before the due date, after 30 quiet days; each once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import current_app

from consortium import transaction
from consortium.db import db, utcnow
from consortium.mail import OutboxMessage
from consortium.organisations.models import OrganisationRole
from safeguards.roadmap import reminders
from safeguards.roadmap.models import Action, ActionState, ProgressUpdate
from tests.factories import MembershipFactory, UserFactory
from tests.race import ServerProcesses
from tests.safeguards.race import _slow_every_first_write


@pytest.fixture
def admin(owner_org, mail_outbox):
    user = UserFactory(name="Ada Admin", email="ada@banco.example", locale="pt_BR")
    MembershipFactory(user=user, organisation=owner_org, role=OrganisationRole.ADMIN)
    db.session.commit()
    return user


def _send(now=None) -> int:
    with current_app.test_request_context(), transaction.writing(), transaction.action():
        return reminders.send_reminders(now)


def _messages() -> list[OutboxMessage]:
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _due_in(action, days):
    action.due_on = utcnow().date() + timedelta(days=days)
    db.session.commit()


def test_admins_of_the_owner_are_reminded_a_week_before_the_due_date_once(validated, owner, admin):
    _roadmap, action = validated
    _due_in(action, 20)
    assert _send() == 0
    _due_in(action, 6)
    assert _send() == 1 and _send() == 0
    (message,) = _messages()
    assert message.to_email == "ada@banco.example" and message.locale == "pt_BR"  # not the plain member
    assert "Publicar el registro" not in message.subject  # no user text in headers
    assert (
        "Publicar el registro" in message.body_text and f"/roadmap-actions/{action.id}" in message.body_text
    )


def test_a_quiet_open_action_is_reminded_once_and_an_update_keeps_it_quiet(validated, admin):
    _roadmap, action = validated
    now = utcnow()
    action.state_changed_at = now - timedelta(days=31)
    db.session.add(ProgressUpdate(action_id=action.id, state=action.state, narrative="Ok", created_at=now))
    db.session.commit()
    assert _send(now) == 0  # an update today
    later = now + timedelta(days=31)
    assert _send(later) == 1 and _send(later + timedelta(days=40)) == 0
    assert db.session.get(Action, action.id).quiet_reminder_at is not None


def test_closed_and_proposed_actions_get_no_reminders(planned, validated, admin):
    _roadmap, action = validated
    action.state = ActionState.COMPLETED
    action.state_changed_at = utcnow() - timedelta(days=90)
    db.session.commit()
    _due_in(action, 3)
    assert _send() == 0 and _messages() == []


def test_the_cli_command_queues_them(app, validated, admin):
    _roadmap, action = validated
    _due_in(action, 1)
    result = app.test_cli_runner().invoke(args=["safeguards", "roadmap-reminders"])
    assert result.exit_code == 0 and "1" in result.output
    assert len(_messages()) == 1


def _run_reminders(app, _payload, barrier):
    with app.app_context():
        barrier.wait(timeout=120)
        with app.test_request_context(), transaction.writing(), transaction.action():
            return reminders.send_reminders()


def test_two_runs_at_once_send_each_reminder_once(app, database_url, validated, admin):
    _roadmap, action = validated
    action.state_changed_at = utcnow() - timedelta(days=40)
    db.session.commit()
    _due_in(action, 2)  # both kinds due on the same action
    processes = ServerProcesses({"SQLALCHEMY_DATABASE_URI": database_url}, 2, setup=_slow_every_first_write)
    try:
        sent = processes.run(_run_reminders, [None, None])
    finally:
        processes.close()
    db.session.rollback()
    assert sorted(sent) in ([0, 2], [1, 1])
    assert sorted(m.subject for m in _messages()) == sorted({m.subject for m in _messages()})
    assert len(_messages()) == 2
