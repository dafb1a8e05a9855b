"""Seats never overbook: many simultaneous registrations from several server processes.

Each OS process builds its own app on the test database (as gunicorn workers would) and fires
registrations from several threads at once, all released together by a barrier.
"""

from __future__ import annotations

import multiprocessing
import threading

import sqlalchemy as sa

from consortium.db import db
from consortium.users import services as user_services
from tests.trainings.factories import make_member, make_training
from trainings.models import Registration, RegistrationState, Training

PROCESSES = 4
THREADS = 6
CAPACITY = 3


def _worker(database_url, training_id, secrets, barrier, results):
    from consortium.app import create_app
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    clients = [app.test_client() for _ in secrets]
    answers = []

    def fire(client, secret):
        response = client.post(
            f"/api/v1/trainings/{training_id}/registrations",
            json={"motivation": "concurrencia", "state": "confirmed"},  # a state in the request is ignored
            headers={"Authorization": f"Bearer {secret}"},
        )
        answers.append((response.status_code, (response.get_json() or {}).get("state")))

    threads = [threading.Thread(target=fire, args=pair) for pair in zip(clients, secrets, strict=True)]
    barrier.wait(timeout=120)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    results.put(answers)
    with app.app_context():
        db.engine.dispose()


def _fire_from_processes(database_url, training_id, secrets):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    chunks = [secrets[n::PROCESSES] for n in range(PROCESSES)]
    processes = [
        context.Process(target=_worker, args=(database_url, training_id, chunk, barrier, results))
        for chunk in chunks
    ]
    for process in processes:
        process.start()
    answers = [answer for _ in processes for answer in results.get(timeout=180)]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    db.session.rollback()  # read what the processes wrote, not this session's older snapshot
    return answers


def test_simultaneous_registrations_never_overbook(app, database_url, mail_outbox):
    training = make_training(capacity=CAPACITY)
    people = [make_member() for _ in range(PROCESSES * THREADS)]
    secrets = [user_services.create_api_token(person, "load")[1] for person in people]
    db.session.commit()

    answers = _fire_from_processes(database_url, training.id, secrets)

    assert len(answers) == len(people)
    assert {status for status, _state in answers} == {201}, answers
    states = sorted(state for _status, state in answers)
    assert states.count("confirmed") == CAPACITY
    assert states.count("waitlisted") == len(people) - CAPACITY
    db.session.expire_all()
    stored = db.session.scalars(
        sa.select(Registration.state).where(Registration.training_id == training.id)
    ).all()
    assert len(stored) == len(people)  # nobody lost
    assert stored.count(RegistrationState.CONFIRMED) == CAPACITY
    assert db.session.get(Training, training.id).confirmed_count == CAPACITY
    assert len(mail_outbox()) == len(people)


def test_simultaneous_duplicate_registrations_create_one(app, database_url, mail_outbox):
    training = make_training(capacity=CAPACITY)
    person = make_member()
    secret = user_services.create_api_token(person, "load")[1]
    db.session.commit()

    answers = _fire_from_processes(database_url, training.id, [secret] * PROCESSES)

    statuses = sorted(status for status, _state in answers)
    assert statuses.count(201) == 1 and set(statuses) <= {201, 409}, statuses
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1
    assert db.session.get(Training, training.id).confirmed_count == 1
