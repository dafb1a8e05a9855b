"""A held seat under a race: undoing, registering, the hold's end, from several server processes at once."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from consortium.db import db, utcnow
from tests.conftest import hidden_fields
from tests.trainings.factories import make_member, make_training
from tests.trainings.test_concurrency import (
    _bearer,
    _confirmed_count,
    _registering,
    _send,
    _states,
    _subjects,
)
from tests.trainings.workers import PROCESSES
from trainings.models import Registration, RegistrationState


def _held_seat(app, client, login_as, *, expired: bool):
    """One seat: its holder gave it up through the form (held for them), one person waits behind."""
    training = make_training(capacity=1)
    holder, waiting = make_member(), make_member()
    newcomers = [make_member() for _ in range(2 * PROCESSES)]
    headers = {person.id: _bearer(person) for person in [holder, waiting, *newcomers]}
    db.session.commit()
    for person in (holder, waiting):
        assert _send(client, _registering(training, headers[person.id])) == 201
    on = login_as(holder, on=app.test_client())
    registration = db.session.scalar(sa.select(Registration).where(Registration.user_id == holder.id))
    cancel = f"/registrations/{registration.id}/cancel"
    assert on.post(cancel, data=hidden_fields(on.get(cancel).get_data(as_text=True), "")).status_code == 302
    if expired:
        db.session.execute(
            sa.update(Registration)
            .where(Registration.id == registration.id)
            .values(seat_held_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    undo_call = {
        "method": "POST",
        "path": f"/registrations/{registration.id}/undo-cancel",
        "cookie": on.get_cookie("session").value,
        "data": {"csrf_token": _token(on)},
    }
    calls = []
    for newcomer in newcomers:  # each process undoes (twice, a double tap) while newcomers register
        calls += [undo_call, _registering(training, headers[newcomer.id])]
    return training, holder, waiting, newcomers, calls


def _token(client) -> str:
    import re

    page = client.get("/trainings/mine").get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_undo_racing_newcomers_keeps_the_seat_for_its_holder(app, client, fire, login_as, mail_outbox):
    training, holder, waiting, newcomers, calls = _held_seat(app, client, login_as, expired=False)

    answers = fire(calls)

    assert {answer["status"] for answer in answers} <= {201, 302}, answers
    states = _states(training)
    assert states[holder.id] is RegistrationState.CONFIRMED
    assert {states[p.id] for p in [waiting, *newcomers]} == {RegistrationState.WAITLISTED}
    assert _confirmed_count(training) == 1
    assert (
        _subjects(holder, mail_outbox).count("Your place is confirmed") == 2
    )  # registered, then undone once
    assert db.session.get(Registration, _id(holder)).seat_held_until is None


def test_once_the_hold_ends_the_seat_goes_once_to_the_first_in_line(app, client, fire, login_as, mail_outbox):
    training, holder, waiting, newcomers, calls = _held_seat(app, client, login_as, expired=True)

    answers = fire(calls)

    assert {answer["status"] for answer in answers} <= {201, 302}, answers
    states = _states(training)
    assert states[holder.id] is RegistrationState.CANCELLED
    assert states[waiting.id] is RegistrationState.CONFIRMED  # first in line, not a newcomer
    assert {states[p.id] for p in newcomers} == {RegistrationState.WAITLISTED}
    assert _confirmed_count(training) == 1
    assert _subjects(waiting, mail_outbox).count("A place opened up for you") == 1
    assert _subjects(holder, mail_outbox).count("Your place is confirmed") == 1  # only when registering


def _id(person) -> int:
    return db.session.scalar(sa.select(Registration.id).where(Registration.user_id == person.id))
