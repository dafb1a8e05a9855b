"""The unit of work: one commit per action, real savepoints on SQLite, side effects only after a commit."""

from __future__ import annotations

import logging
import sqlite3

import pytest
import sqlalchemy as sa

from consortium import transaction
from consortium.forms import FormSubmission
from consortium.mail import OutboxMessage, queue_email


class Refused(Exception):
    pass


def _keys(db) -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(FormSubmission.key)))


def test_a_released_savepoint_rolls_back_with_its_transaction(app, db):
    # pysqlite's own transaction handling let the SAVEPOINT open the transaction and its RELEASE commit it.
    with app.test_request_context(method="POST"):
        with db.session.begin_nested():
            db.session.add(FormSubmission(key="inner"))
        transaction.rollback()
    assert _keys(db) == []


def _refused(body) -> None:
    """Run ``body`` as an action that a domain rule then refuses."""
    with transaction.action():
        body()
        raise Refused


def test_an_action_that_raises_leaves_nothing_behind(app, db, mail_outbox):
    def body():
        with db.session.begin_nested():
            db.session.add(FormSubmission(key="first-try"))
        queue_email("reader@example.org", "reset_password", "Subject", reset_url="http://x", minutes=1)
        db.session.flush()

    with app.test_request_context(method="POST"), pytest.raises(Refused):
        _refused(body)
    assert _keys(db) == []
    assert mail_outbox() == []


def test_side_effects_follow_the_outcome(app, db):
    done: list[str] = []

    def body():
        transaction.after_commit(lambda: done.append("never"))
        transaction.on_rollback(lambda: done.append("undone"))

    with app.test_request_context(method="POST"):
        with transaction.action():
            db.session.add(FormSubmission(key="kept"))
            transaction.after_commit(lambda: done.append("committed"))
            transaction.on_rollback(lambda: done.append("never"))
            assert done == []  # nothing runs before the commit
        assert done == ["committed"]
        with pytest.raises(Refused):
            _refused(body)
    assert done == ["committed", "undone"]
    assert _keys(db) == ["kept"]


def test_a_failing_side_effect_is_logged_and_does_not_undo_the_commit(app, db, caplog):
    def broken():
        raise OSError("disk full")

    with caplog.at_level(logging.ERROR, "consortium.transaction"), app.test_request_context(method="POST"):
        transaction.after_commit(broken)
        db.session.add(FormSubmission(key="saved"))
        transaction.commit()
    assert "Side effect" in caplog.text
    assert _keys(db) == ["saved"]


def _start_request(app) -> None:
    """The unit of work's own request hook, without CSRF and log-in around it."""
    [hook] = [f for f in app.before_request_funcs[None] if f.__name__ == "mark_write_requests"]
    hook()


def test_side_effects_of_an_uncommitted_request_are_undone_at_its_end(app, db):
    done: list[str] = []
    with app.test_request_context(method="POST"):
        _start_request(app)
        transaction.on_rollback(lambda: done.append("undone"))
        transaction.after_commit(lambda: done.append("never"))
        app.do_teardown_request()
    assert done == ["undone"]


def test_lock_on_sqlite_refuses_a_transaction_that_does_not_hold_the_write_lock(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL locks the row itself")
    db.session.add(FormSubmission(key="row"))
    db.session.commit()
    with app.test_request_context(method="GET"), pytest.raises(RuntimeError):
        transaction.lock(OutboxMessage, 1)


def test_a_write_request_holds_sqlite_write_lock_from_its_first_statement(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with app.test_request_context(method="POST"):
        _start_request(app)
        db.session.scalar(sa.select(sa.func.count()).select_from(FormSubmission))  # a read, first
        # A bare connection: the app's own wait their turn for the lock (consortium.db) for 15 s.
        other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("INSERT INTO form_submissions (key, result_url) VALUES ('sneaked-in', '')")
        other.close()
        app.do_teardown_request()
    assert _keys(db) == []


def test_a_page_that_only_read_keeps_the_connections_prepared_statements(app, db, client):
    """psycopg forgets its prepared statements on ROLLBACK: a request that only read commits instead, so
    PostgreSQL stops planning every statement of every page again (issue 14)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: prepared statements")
    db.session.remove()
    db.engine.dispose()  # from here on, the pool holds one connection: the pages' own
    for _ in range(8):  # psycopg prepares a statement on its fifth run on a connection
        assert client.get("/organisations").status_code == 200
    db.session.remove()
    assert db.engine.pool.checkedin() == 1
    with db.engine.connect() as connection:
        prepared = connection.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar()
    assert prepared > 0


@pytest.mark.parametrize("pending", ["flushed", "added"])
def test_a_read_request_that_changed_something_still_rolls_it_back(app, db, pending):
    with app.test_request_context(method="GET"):
        db.session.add(FormSubmission(key="written-by-a-get", result_url=""))
        if pending == "flushed":
            db.session.flush()
        app.do_teardown_request()
    db.session.remove()
    assert _keys(db) == []


def test_a_page_that_only_read_does_not_expire_what_it_loaded_when_it_ends(app, db):
    """Committing a read-only request expired every object it had loaded, one by one, for nothing: the
    session is discarded next (issue 14). An action's commit still expires them."""
    db.session.add(FormSubmission(key="read", result_url=""))
    db.session.commit()
    db.session.remove()
    with app.test_request_context(method="GET"):
        row = db.session.scalars(sa.select(FormSubmission)).one()
        app.do_teardown_request()
        assert "key" in row.__dict__  # still loaded, not expired
        assert db.session().expire_on_commit
    db.session.remove()
