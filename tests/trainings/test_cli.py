"""``flask trainings remind`` and the demo and benchmark data."""

from __future__ import annotations

import sqlalchemy as sa

from consortium import demo, seed, transaction
from consortium.mail import OutboxMessage
from tests.trainings.factories import make_member, make_training
from trainings.models import DisseminationReport, Registration, RegistrationState, Training


def test_remind_sends_once_48_hours_before(app, db, mail_outbox):
    soon = make_training(days_ahead=1.5)
    later = make_training(days_ahead=5)
    person = make_member()
    for training in (soon, later):
        db.session.add(
            Registration(training_id=training.id, user_id=person.id, state=RegistrationState.CONFIRMED)
        )
    db.session.commit()
    runner = app.test_cli_runner()
    assert "Queued 1 reminders" in runner.invoke(args=["trainings", "remind"]).output
    assert "Queued 0 reminders" in runner.invoke(args=["trainings", "remind"]).output
    messages = mail_outbox()
    assert len(messages) == 1 and messages[0].subject.startswith("Reminder:")
    assert messages[0].attachments[0]["filename"] == "training.ics"


def test_demo_data_loads_twice_without_duplicates(app, db, mail_outbox):
    demo.load()
    db.session.commit()
    trainings = db.session.scalar(sa.select(sa.func.count()).select_from(Training))
    demo.load()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Training)) == trainings >= 6
    states = set(db.session.scalars(sa.select(Registration.state)))
    assert {RegistrationState.CONFIRMED, RegistrationState.WAITLISTED} <= states
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisseminationReport)) >= 2
    assert len({t.timezone for t in db.session.scalars(sa.select(Training))}) >= 4
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def test_benchmark_seed_adds_hundreds_of_trainings(app, db):
    with transaction.writing():  # as `flask bench seed` runs it: roadmap services lock rows
        seed.seed(scale=1, rng_seed=1)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Training)) >= 300
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) >= 3000
    over = db.session.scalar(sa.select(sa.func.count()).where(Training.confirmed_count > Training.capacity))
    assert over == 0
