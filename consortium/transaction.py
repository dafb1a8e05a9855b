"""The unit of work: every action that writes is one transaction, and only this module commits it.

A view loads, checks and binds, then runs its one service call inside ``action()``::

    try:
        with transaction.action():
            registration = services.register(training, person, organisation, by=current_user)
    except RegistrationError as error:
        form.form_errors.append(error.message)  # rolled back; the form still holds what was typed
    else:
        flash(...)
        return redirect(...)

Services flush and raise; they never commit. ``action()`` commits once when the block ends, or rolls
back when anything in it raised (and re-raises). Work outside the database is tied to the outcome:
``after_commit`` callbacks (delete a replaced file, purge a cache) run only once the commit succeeded,
``on_rollback`` callbacks (remove a file written for a row that will never exist) only if it failed.
Mail needs neither: an outbox row is part of the transaction, and the mail worker sends it later.

Where requests race (seats, states, queues), the action locks the row it decides on with ``lock()``
and checks its rule after that, inside the lock. On PostgreSQL that is ``SELECT … FOR UPDATE``. SQLite
has no row locks: there every transaction of a write request (and of ``writing()``) starts with
``BEGIN IMMEDIATE`` and so holds the database's single write lock from its first statement (see
``consortium.db``), which makes every check in it happen inside the lock.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import TypeVar

import sqlalchemy as sa
from flask import Flask, g, request

from consortium.db import WRITE_INTENT, db

log = logging.getLogger(__name__)
Row = TypeVar("Row")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _callbacks(kind: str) -> list[Callable[[], object]]:
    return db.session.info.setdefault(kind, [])


def after_commit(callback: Callable[[], object]) -> None:
    """Run ``callback`` once the current transaction has committed (never if it rolls back)."""
    _callbacks("after_commit").append(callback)


def on_rollback(callback: Callable[[], object]) -> None:
    """Run ``callback`` if the current transaction rolls back (undo work done outside the database)."""
    _callbacks("on_rollback").append(callback)


def _run(callbacks: list[Callable[[], object]]) -> None:
    # A failing side effect must not undo or hide a committed action: log it and go on.
    for callback in callbacks:
        try:
            callback()
        except Exception:
            log.exception("Side effect %r failed", callback)


def commit() -> None:
    """Commit the transaction, then run its ``after_commit`` side effects."""
    try:
        db.session.commit()
    except BaseException:
        rollback()
        raise
    db.session.info.pop("on_rollback", None)
    _run(db.session.info.pop("after_commit", []))


def rollback() -> None:
    """Roll the transaction back, then run its ``on_rollback`` undo steps."""
    db.session.rollback()
    db.session.info.pop("after_commit", None)
    _run(db.session.info.pop("on_rollback", []))


@contextlib.contextmanager
def action() -> Iterator[None]:
    """One action, one transaction: commit when the block ends, roll back (and re-raise) on any error."""
    try:
        yield
    except BaseException:
        rollback()
        raise
    commit()


@contextlib.contextmanager
def writing() -> Iterator[None]:
    """Mark work outside a request (CLI, workers) as writing, so SQLite takes its write lock at BEGIN."""
    token = WRITE_INTENT.set(True)
    try:
        yield
    finally:
        WRITE_INTENT.reset(token)


def lock(model: type[Row], ident: int) -> Row:
    """Read the row again with a write lock held until the transaction ends, and return it.

    Call it before changing the object (it reloads the row's columns from the database), then check the
    rule that depends on it. Raises ``sqlalchemy.exc.NoResultFound`` if the row is gone.
    """
    if db.session.get_bind().dialect.name == "sqlite" and not WRITE_INTENT.get():
        raise RuntimeError("lock() on SQLite needs a write transaction: a POST request or writing()")
    query = (
        sa.select(model)
        .where(model.id == ident)
        # OF: lock this row only, not the rows its eager-loaded relationships join (PostgreSQL refuses
        # FOR UPDATE on the nullable side of an outer join, as in a ``lazy="joined"`` relationship).
        .with_for_update(of=model)
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(query).one()


def _wrote(session, *_args) -> None:
    session.info["flushed"] = True


def _ended(session, *_args) -> None:
    session.info.pop("flushed", None)


def _end_reading(error) -> None:
    """A page that only read ends its transaction with COMMIT rather than ROLLBACK: the same for the
    database, but psycopg forgets the connection's prepared statements on ROLLBACK, so PostgreSQL planned
    every statement of every page again (1 to 4 ms each for the session, search and wizard queries).
    Anything written, flushed or pending, or a failed request, still rolls back."""
    session = db.session()
    if (
        error is not None
        or request.method not in SAFE_METHODS
        or not session.in_transaction()
        or session.info.get("flushed")
        or session.new
        or session.dirty
        or session.deleted
    ):
        return
    # The page is done with what it loaded: expiring every object (a wizard step holds 130) was wasted.
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    except sa.exc.SQLAlchemyError:  # a failed statement left the transaction aborted: undo as before
        session.rollback()
    finally:
        session.expire_on_commit = expire


def init_app(app: Flask) -> None:
    for name, listener in (("after_flush", _wrote), ("after_commit", _ended), ("after_rollback", _ended)):
        if not sa.event.contains(db.session, name, listener):  # one session for every app of the process
            sa.event.listen(db.session, name, listener)

    @app.before_request
    def mark_write_requests() -> None:
        if request.method not in SAFE_METHODS:
            g.write_intent_token = WRITE_INTENT.set(True)

    @app.teardown_request
    def end_request_transaction(error=None) -> None:
        # Whatever nobody committed is undone with its side effects, so they never leak into the next
        # request; and the thread's next request (gthread workers reuse threads) starts without intent.
        if db.session.info.get("after_commit") or db.session.info.get("on_rollback"):
            rollback()
        else:
            _end_reading(error)
        token = g.pop("write_intent_token", None)
        if token is not None:
            WRITE_INTENT.reset(token)
