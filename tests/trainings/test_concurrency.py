"""Seats and states hold whatever the interleaving: requests fired at once from several server processes.

Every test here fires its requests from ``PROCESSES`` OS processes (see ``tests.trainings.workers``),
released together by a barrier, then reads what they committed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consortium.db import db, utcnow
from consortium.forms import FormSubmission
from consortium.users import services as user_services
from tests.conftest import hidden_fields
from tests.factories import OrganisationFactory, UserFactory
from tests.trainings.factories import make_member, make_training
from tests.trainings.workers import PROCESSES
from trainings.models import (
    ApprovalMode,
    DisseminationReport,
    Registration,
    RegistrationState,
    Training,
)

THREADS = 6
CAPACITY = 3


def _bearer(person) -> dict:
    return {"Authorization": f"Bearer {user_services.create_api_token(person, 'load')[1]}"}


def _registering(training, headers: dict) -> dict:
    """The API call by which the token's owner registers (a state in the request is ignored)."""
    path = f"/api/v1/trainings/{training.id}/registrations"
    json = {"motivation": "concurrencia", "state": "confirmed"}
    return {"method": "POST", "path": path, "json": json, "headers": headers}


def _send(client, call) -> int:
    """Send a call from this process, to set the scene before the race; returns the status."""
    return client.open(
        call["path"], method=call["method"], json=call["json"], headers=call["headers"]
    ).status_code


def _ids(training) -> dict[int, int]:
    """Registration ids by person."""
    rows = db.session.execute(
        sa.select(Registration.user_id, Registration.id).where(Registration.training_id == training.id)
    )
    return dict(rows.all())


def _states(training) -> dict[int, RegistrationState]:
    rows = db.session.execute(
        sa.select(Registration.user_id, Registration.state).where(Registration.training_id == training.id)
    )
    return dict(rows.all())


def _subjects(person, mail_outbox) -> list[str]:
    return [m.subject.split(":")[0] for m in mail_outbox() if m.to_email == person.email]


def _confirmed_count(training) -> int:
    return db.session.get(Training, training.id).confirmed_count


# Registration ----------------------------------------------------------------------------------


def test_simultaneous_registrations_never_overbook(app, fire, mail_outbox):
    training = make_training(capacity=CAPACITY)
    people = [make_member() for _ in range(PROCESSES * THREADS)]
    calls = [_registering(training, _bearer(person)) for person in people]
    db.session.commit()

    answers = fire(calls)

    assert {answer["status"] for answer in answers} == {201}, answers
    states = [answer["json"]["state"] for answer in answers]
    assert states.count("confirmed") == CAPACITY
    assert states.count("waitlisted") == len(people) - CAPACITY
    stored = list(_states(training).values())
    assert len(stored) == len(people)  # nobody lost
    assert stored.count(RegistrationState.CONFIRMED) == CAPACITY
    assert _confirmed_count(training) == CAPACITY
    assert len(mail_outbox()) == len(people)


@pytest.mark.parametrize("limit", [1, 2])
def test_colleagues_registering_at_once_never_exceed_seats_per_organisation(app, fire, mail_outbox, limit):
    organisation = OrganisationFactory()
    training = make_training(capacity=10, seats_per_organisation=limit)
    colleagues = [make_member(organisation) for _ in range(PROCESSES * THREADS)]
    calls = [_registering(training, _bearer(person)) for person in colleagues]
    db.session.commit()

    answers = fire(calls)

    assert {answer["status"] for answer in answers} == {201}, answers
    stored = list(_states(training).values())
    counts = {state: stored.count(state) for state in set(stored)}
    assert len(stored) == len(colleagues), counts  # nobody lost
    assert counts == {
        RegistrationState.CONFIRMED: limit,
        RegistrationState.WAITLISTED: len(colleagues) - limit,
    }
    assert _confirmed_count(training) == limit
    assert len(mail_outbox()) == len(colleagues)


def test_simultaneous_duplicate_registrations_create_one(app, fire, mail_outbox):
    training = make_training(capacity=CAPACITY)
    person = make_member()
    call = _registering(training, _bearer(person))
    db.session.commit()

    answers = fire([call] * PROCESSES)

    statuses = sorted(answer["status"] for answer in answers)
    assert statuses.count(201) == 1 and set(statuses) <= {201, 409}, statuses
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1
    assert _confirmed_count(training) == 1


# Leaving and promotion -------------------------------------------------------------------------


def test_cancellations_racing_promotion_refill_each_freed_seat_once(app, client, fire, mail_outbox):
    """The confirmed people cancel while the head of the waiting list cancels too and newcomers arrive."""
    training = make_training(capacity=4)
    queue = [make_member() for _ in range(14)]  # 4 confirmed, then 10 waiting, in this order
    newcomers = [make_member() for _ in range(6)]
    headers = {person.id: _bearer(person) for person in queue + newcomers}
    db.session.commit()
    for person in queue:
        assert _send(client, _registering(training, headers[person.id])) == 201
    ids = _ids(training)
    leaving = queue[:8]  # the 4 confirmed and the first 4 waiting, who are next in line for a seat
    leave = {
        person.id: {
            "method": "DELETE",
            "path": f"/api/v1/registrations/{ids[person.id]}",
            "headers": headers[person.id],
        }
        for person in leaving
    }
    # Each process starts a confirmed person's cancellation first, so that the promotions it triggers
    # meet the cancellations of the people being promoted, which start a moment later.
    calls = [leave[person.id] for person in leaving[:4]]
    calls += [_registering(training, headers[person.id]) for person in newcomers[:4]]
    calls += [leave[person.id] for person in leaving[4:]]
    calls += [_registering(training, headers[person.id]) for person in newcomers[4:]]

    answers = fire(calls)

    assert {answer["status"] for answer in answers} <= {200, 201}, answers
    states = _states(training)
    summary = {state: list(states.values()).count(state) for state in RegistrationState}
    assert [states[person.id] for person in leaving] == [RegistrationState.CANCELLED] * 8, summary
    assert [states[person.id] for person in queue[8:12]] == [RegistrationState.CONFIRMED] * 4, summary
    assert {states[person.id] for person in queue[12:] + newcomers} == {RegistrationState.WAITLISTED}
    assert _confirmed_count(training) == 4
    promotions = {
        p.id: _subjects(p, mail_outbox).count("A place opened up for you") for p in queue + newcomers
    }
    assert set(promotions.values()) <= {0, 1}, promotions  # nobody promoted twice
    # Every freed seat went to the next in line, once: the leavers may have been promoted before they
    # left, but of those who stay exactly the next four in the queue were.
    assert [p for p in queue[8:] + newcomers if promotions[p.id]] == queue[8:12]
    assert all(_subjects(p, mail_outbox)[-1] == "Your registration was cancelled" for p in leaving)


def test_approve_and_reject_racing_leave_each_registration_in_one_state(
    app, client, fire, login_as, mail_outbox
):
    """Staff approve and reject the same pending registrations at once: rejecting always wins."""
    training = make_training(approval=ApprovalMode.STAFF, capacity=CAPACITY)
    people = [make_member() for _ in range(12)]
    headers = {person.id: _bearer(person) for person in people}
    staff = UserFactory(staff=True)
    db.session.commit()
    for person in people:
        assert _send(client, _registering(training, headers[person.id])) == 201
    ids = _ids(training)
    on = login_as(staff, on=app.test_client())
    action = f"/trainings/{training.id}/registrations/bulk"
    fields = hidden_fields(on.get(f"/trainings/{training.id}/registrations").get_data(as_text=True), action)
    cookie = on.get_cookie("session").value
    calls = [
        {
            "method": "POST",
            "path": action,
            "cookie": cookie,
            "data": {**fields, "registration": [ids[person.id]], "action": decision},
        }
        for person in people
        for decision in ("approve", "reject")  # neighbours go to different processes
    ]

    answers = fire(calls)

    assert {answer["status"] for answer in answers} == {302}, answers
    states = _states(training)
    summary = {state: list(states.values()).count(state) for state in RegistrationState}
    assert set(states.values()) == {RegistrationState.REJECTED}, summary
    assert _confirmed_count(training) == 0
    for person in people:
        subjects = _subjects(person, mail_outbox)
        assert subjects.count("Your registration was not accepted") == 1, subjects
        assert subjects[-1] == "Your registration was not accepted", subjects


# Double submission of the creating forms -------------------------------------------------------


def _form(app, login_as, person, page, answers) -> dict:
    on = login_as(person, on=app.test_client())
    fields = hidden_fields(on.get(page).get_data(as_text=True), page)
    assert fields.get("submission_key")
    return {
        "method": "POST",
        "path": page,
        "cookie": on.get_cookie("session").value,
        "data": {**fields, **answers},
    }


def _registration_form(app, login_as):
    training = make_training()
    person = make_member()
    db.session.commit()
    call = _form(app, login_as, person, f"/trainings/{training.id}/register", {"motivation": "Aprender"})
    return call, Registration


def _training_form(app, login_as):
    organiser = OrganisationFactory(is_consortium_member=True)
    staff = UserFactory(staff=True)
    db.session.commit()
    answers = {
        "language": "es",
        "title_es": "Intercambio de datos",
        "topics": ["data_exchange"],
        "modality": "online",
        "timezone": "America/Lima",
        "sessions": "2030-03-01 10:00-12:00",
        "instruction_language": "es",
        "capacity": "15",
        "approval": "automatic",
        "organiser_id": organiser.id,
        "completion_percent": "50",
    }
    return _form(app, login_as, staff, "/trainings/new", answers), Training


def _report_form(app, login_as):
    organisation = OrganisationFactory(country="PE")
    person = make_member(organisation)
    training = make_training(days_ahead=-20)
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
    answers = {
        "organisation_id": organisation.id,
        "held_on": (utcnow() - timedelta(days=1)).date().isoformat(),  # after the training, before today
        "country": "PE",
        "language": "es",
        "audience_kind": "community",
        "participants": "40",
        "topics": ["digital_identity"],
    }
    return _form(app, login_as, person, "/trainings/reports/new", answers), DisseminationReport


@pytest.mark.parametrize("form", [_registration_form, _training_form, _report_form])
def test_a_form_submitted_twice_at_once_creates_one_row(app, fire, login_as, mail_outbox, form):
    call, model = form(app, login_as)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(model))

    answers = fire([call] * PROCESSES)

    assert {answer["status"] for answer in answers} == {302}, answers
    assert len({answer["location"] for answer in answers}) == 1, answers  # everyone sees the one result
    assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == before + 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FormSubmission)) == 1
