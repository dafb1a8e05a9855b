"""Migrations build the whole schema on an empty database, match the models, and go down and up again."""

from __future__ import annotations

import uuid

import flask_migrate
import pytest
import sqlalchemy as sa

from consortium.app import create_app
from tests.conftest import TEST_CONFIG


@pytest.fixture
def empty_database_url(app, tmp_path):
    """A brand-new database of the leg's kind, dropped afterwards."""
    from consortium.db import db

    if db.engine.dialect.name != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(db.engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield db.engine.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_check_downgrade_upgrade(empty_database_url):
    fresh = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with fresh.app_context():
        flask_migrate.upgrade()
        flask_migrate.check()  # `flask db check`: exits with status 1 when models and migrations differ
        flask_migrate.downgrade(revision="base")
        tables = sa.inspect(fresh.extensions["sqlalchemy"].engine).get_table_names()
        assert set(tables) <= {"alembic_version"}
        flask_migrate.upgrade()
        assert "users" in sa.inspect(fresh.extensions["sqlalchemy"].engine).get_table_names()
        fresh.extensions["sqlalchemy"].engine.dispose()
