from __future__ import annotations

import pytest

from consortium.db import db
from tests.trainings.factories import make_member, make_training


@pytest.fixture(autouse=True)
def _english(app, monkeypatch):
    """Assertions use the English source strings: the catalogues are filled after the merge."""
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")


@pytest.fixture(scope="module")
def workers(app, database_url):
    """Server processes for the race tests (``tests.trainings.workers``), one set per test module."""
    from tests.trainings.workers import Workers

    workers = Workers(database_url)
    workers.fire([])  # wait until every process has built its app
    yield workers
    workers.close()


@pytest.fixture
def fire(workers):
    def fire(calls):
        answers = workers.fire(calls)
        db.session.rollback()  # read what the processes committed, not this session's older snapshot
        db.session.expire_all()
        return answers

    return fire


@pytest.fixture
def training():
    training = make_training()
    db.session.commit()
    return training


@pytest.fixture
def participant():
    person = make_member(name="Paula Participante")
    db.session.commit()
    return person


@pytest.fixture
def register(client, login_as, submit):
    """Register ``person`` through the form, as they would; returns the response."""

    def register(training, person, **answers):
        on = login_as(person, on=client.application.test_client())
        return submit(
            f"/trainings/{training.id}/register",
            {"motivation": "Aprender", **answers},
            on=on,
        )

    return register


__all__ = ["make_member", "make_training"]
