"""Shared fixtures. The suite runs once per database: TEST_DATABASE=sqlite (default) or postgresql.

The schema is built once per session by the real migrations; every test starts from empty tables,
so views really commit, as in production.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import shutil
import socket
from html.parser import HTMLParser
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import has_app_context
from flask.testing import FlaskClient

from consortium.app import create_app
from consortium.db import db as _db
from consortium.extensions import limiter
from consortium.mail import OutboxMessage
from tests import factories

CI = os.environ.get("CI") == "true"
TEST_DATABASE = os.environ.get("TEST_DATABASE", "sqlite")


def pytest_report_header(config):
    url = os.environ.get("TEST_DATABASE_URL", "a temporary SQLite file")
    return f"database leg: {TEST_DATABASE} ({url})"


def _postgresql_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    probe = sa.create_engine(url, connect_args={"connect_timeout": 5}, poolclass=sa.pool.NullPool)
    try:
        probe.connect().close()
    except sa.exc.OperationalError as error:
        if CI:
            pytest.exit(f"CI=true requires PostgreSQL at {url}: {error}", returncode=1)
        pytest.skip(f"PostgreSQL leg skipped: nothing answers at {url}")
    return url


def _database_of_this_worker(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database beside the leg's, made afresh."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = sa.engine.make_url(url)
    name = f"{base.database}_{worker}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE == "postgresql":
        return _database_of_this_worker(_postgresql_url())
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


TEST_CONFIG = {
    "ENV": "testing",
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 64,
    "MAIL_BACKEND": "smtp",
    "MAIL_PORT": 1,  # nothing listens: only the smtp fixture points mail at a real server
    "PUBLIC_URL": "http://localhost",
    "RATELIMIT_STORAGE_URI": "memory://",
    "PAGE_CACHE_SECONDS": 0,  # tests see every change at once; test_pagecache turns it on
}


class IsolatedClient(FlaskClient):
    """Runs each request outside the test's app context, as a server would.

    Flask reuses an already pushed app context for a request, so ``g`` (and Flask-Login's cached
    user) and the database session would leak from the test into requests and between requests.
    """

    def open(self, *args, **kwargs):
        # End the test's own transaction first: on SQLite (as on PostgreSQL under REPEATABLE READ) it
        # would otherwise keep reading the snapshot it took before the request.
        if has_app_context():
            _db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
            "COUNTERS_FOLDER": str(tmp_path_factory.mktemp("counters")),
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        flask_migrate.upgrade()
        _empty_tables()  # the migrations seed reference rows; the first test starts empty like the rest
    yield app
    with app.app_context():
        _db.engine.dispose()  # close pooled connections before the interpreter collects them


def _empty_tables() -> None:
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(autouse=True)
def _app_context(app):
    """Each test runs in an app context and leaves empty tables, fresh rate limits and no noted counts."""
    with app.app_context():
        yield
        _db.session.rollback()
        _db.session.remove()
        _empty_tables()
        limiter.reset()
        # Ids start again in the next test: a download noted here must not count for its row there.
        shutil.rmtree(app.config["COUNTERS_FOLDER"], ignore_errors=True)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


# Users and log-in ------------------------------------------------------------------------------


@pytest.fixture
def login_as(client):
    """Sign a user in on ``client`` the way the app does: a server-side session row and its token."""
    from consortium.users import sessions

    def login(user, on=None):
        on = on or client
        token = sessions.start_session(user)
        _db.session.commit()
        with on.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        return on

    return login


@pytest.fixture
def member():
    user = factories.UserFactory(name="Marta Miembro")
    _db.session.commit()
    return user


@pytest.fixture
def staff():
    user = factories.UserFactory(staff=True, name="Sara Staff")
    _db.session.commit()
    return user


@pytest.fixture
def admin():
    user = factories.UserFactory(admin=True, name="Ada Admin")
    _db.session.commit()
    return user


@pytest.fixture
def organisation():
    organisation = factories.OrganisationFactory()
    _db.session.commit()
    return organisation


# Forms -----------------------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """Collects each form's action and its hidden inputs (CSRF token, submission key, version)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action") or "",
                    "method": (attrs.get("method") or "get").lower(),
                    "hidden": {},
                }
            )
        elif tag == "input" and self.forms and attrs.get("type") == "hidden" and attrs.get("name"):
            self.forms[-1]["hidden"][attrs["name"]] = attrs.get("value", "")


def hidden_fields(html: str, target: str) -> dict:
    """Hidden inputs of the first POST form that posts to ``target`` (an empty action posts to the page)."""
    reader = _FormReader()
    reader.feed(html)
    for form in reader.forms:
        if form["method"] == "post" and form["action"] in (target, ""):
            return dict(form["hidden"])
    raise AssertionError(f"no POST form to {target!r} on the page")


def field_error(html: str, field_id: str) -> str | None:
    """The error shown under the field ``field_id`` by ``macros/forms.html``, or None."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else None


@pytest.fixture
def submit(client):
    """GET ``page``, take its form's hidden fields (CSRF token included), POST them with ``data``."""

    def submit(page: str, data: dict, *, action: str | None = None, on=None, **kwargs):
        on = on or client
        response = on.get(page)
        assert response.status_code == 200, f"GET {page} answered {response.status_code}"
        fields = hidden_fields(response.get_data(as_text=True), action or page)
        return on.post(action or page, data={**fields, **data}, **kwargs)

    return submit


@pytest.fixture
def csrf_token(client):
    def token(on=None, page="/login"):
        html = (on or client).get(page).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    return token


# Queries ---------------------------------------------------------------------------------------


@pytest.fixture
def count_queries(app):
    """``with count_queries() as queries: ...`` then ``len(queries)`` is the number of statements."""

    @contextlib.contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN")):
                statements.append(statement)

        sa.event.listen(_db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa.event.remove(_db.engine, "before_cursor_execute", before)

    return counter


# Mail ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server (aiosmtpd) on a free local port; returns the list of received messages."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    yield inbox.messages
    controller.stop()


@pytest.fixture
def mail_outbox():
    """The queued messages, for tests that expect mail without sending it."""

    def outbox():
        return _db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()

    return outbox


@pytest.fixture(autouse=True)
def _no_unexpected_mail(request, app):
    yield
    if {"smtp", "mail_outbox"} & set(request.fixturenames):
        return
    with app.app_context():
        queued = _db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    assert not queued, "this test queued e-mail without using the smtp or mail_outbox fixture"


ROOT = Path(__file__).resolve().parent.parent
