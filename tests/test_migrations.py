"""Migrations build the whole schema on an empty database, match the models, and go down and up again."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

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


def test_attachments_stored_before_the_storage_layer_are_registered_and_still_download(
    empty_database_url, tmp_path
):
    uploads = tmp_path / "uploads"
    fresh = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url, "UPLOAD_FOLDER": str(uploads)}
    )
    data = b"%PDF-1.4 stored by the old code\n"
    (uploads / "library").mkdir(parents=True)
    (uploads / "library" / "0123abcd.pdf").write_bytes(data)
    with fresh.app_context():
        engine = fresh.extensions["sqlalchemy"].engine  # inside: outside, it is the test app's
        flask_migrate.upgrade(revision="creds_0001")
        now = "2026-11-30 10:00:00"
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO resources (id, kind, original_language, countries, systems, principles,"
                    " topic_slugs, authors, organisation, licence, source_url, published_languages,"
                    " created_at, updated_at, version) VALUES (1, 'guide', 'es', '[]', '[]', '[]', '[]',"
                    " '[]', '', 'CC-BY-4.0', '', '[\"es\"]', :now, :now, 1)"
                ),
                {"now": now},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO resource_versions (id, resource_id, language, title, summary, body, slug,"
                    " status, revision, is_outdated, created_at, updated_at, version) VALUES"
                    " (1, 1, 'es', 'Guía', '', 'x', 'guia', 'published', 1, false, :now, :now, 1)"
                ),
                {"now": now},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO attachments (id, version_id, filename, stored_name, content_type, size,"
                    " download_count, created_at) VALUES (1, 1, 'guia.pdf', '0123abcd.pdf',"
                    " 'application/pdf', :size, 0, :now)"
                ),
                {"now": now, "size": len(data)},
            )
        flask_migrate.upgrade()
        response = fresh.test_client().get("/library/attachments/1/guia.pdf")
        assert response.status_code == 200 and response.data == data
        response.close()
        # The request ran in this app context, so its session's read transaction is still open; on
        # PostgreSQL it would hold a lock on stored_files that the downgrade's DROP TABLE waits for.
        fresh.extensions["sqlalchemy"].session.remove()
        flask_migrate.downgrade(revision="creds_0001")
        with engine.connect() as connection:
            stored_name = connection.execute(sa.text("SELECT stored_name FROM attachments")).scalar()
        assert stored_name == "0123abcd.pdf"
        engine.dispose()


def test_attachments_read_size_and_type_from_their_stored_file_and_a_downgrade_restores_the_copies(
    empty_database_url,
):
    fresh = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    now = "2026-11-30 10:00:00"
    rows = [
        "INSERT INTO resources (id, kind, original_language, countries, systems, principles, topic_slugs,"
        " authors, organisation, licence, source_url, published_languages, created_at, updated_at,"
        " version) VALUES (1, 'guide', 'es', '[]', '[]', '[]', '[]', '[]', '', 'CC-BY-4.0', '',"
        " '[\"es\"]', :now, :now, 1)",
        "INSERT INTO resource_versions (id, resource_id, language, title, summary, body, slug, status,"
        " revision, is_outdated, created_at, updated_at, version) VALUES"
        " (1, 1, 'es', 'Guía', '', 'x', 'guia', 'published', 1, false, :now, :now, 1)",
        "INSERT INTO stored_files (id, key, filename, content_type, size, sha256, backend, created_at)"
        " VALUES (1, 'ab/ab01', 'guia.docx', 'application/msword', 4321, '', 'local', :now)",
        "INSERT INTO attachments (id, version_id, filename, stored_name, content_type, size,"
        " download_count, created_at) VALUES (1, 1, 'guia.docx', 'ab/ab01', 'application/msword', 4321,"
        " 0, :now)",
    ]
    with fresh.app_context():
        engine = fresh.extensions["sqlalchemy"].engine
        flask_migrate.upgrade(revision="governance_0001")
        with engine.begin() as connection:
            for row in rows:
                connection.execute(sa.text(row), {"now": now})
        flask_migrate.upgrade()
        columns = {column["name"] for column in sa.inspect(engine).get_columns("attachments")}
        assert not {"size", "content_type"} & columns  # the stored file holds them, once
        flask_migrate.downgrade(revision="governance_0001")
        with engine.connect() as connection:
            copies = connection.execute(sa.text("SELECT size, content_type FROM attachments")).one()
        assert tuple(copies) == (4321, "application/msword")
        engine.dispose()


def _insert(connection, name: str, **values) -> None:
    """A row with ``values`` and a placeholder in every other required column (the schema of that time)."""
    table = sa.Table(name, sa.MetaData(), autoload_with=connection)
    placeholders = {sa.Integer: 1, sa.String: "x", sa.Text: "x", sa.Boolean: False, sa.JSON: []}
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.server_default is not None or column.primary_key:
            continue
        kind = type(column.type)
        if issubclass(kind, sa.DateTime):
            row[column.name] = datetime(2026, 11, 1, tzinfo=UTC)
        elif issubclass(kind, sa.Date):
            row[column.name] = date(2026, 1, 1)
        else:
            row[column.name] = next(v for k, v in placeholders.items() if issubclass(kind, k))
    connection.execute(table.insert().values(**row))


def _a_space(connection) -> None:
    """A person, an organisation, a DPI system and an active governance space, all with id 1 (system 99)."""
    _insert(connection, "users", id=1, email="ana@example.org")
    _insert(connection, "organisations", id=1, slug="org")
    _insert(connection, "dpi_systems", id=99, slug="sistema-de-prueba")
    _insert(connection, "governance_spaces", id=1, slug="pix", system_id=99, stage="L4", state="active")


def test_answers_stored_on_contributions_become_approved_published_responses(empty_database_url):
    fresh = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    answered = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    with fresh.app_context():
        engine = fresh.extensions["sqlalchemy"].engine
        flask_migrate.upgrade(revision="roadmap2_0001")
        with engine.begin() as connection:
            _a_space(connection)
            _insert(
                connection,
                "governance_seats",
                id=1,
                space_id=1,
                user_id=1,
                organisation_id=1,
                sector="government",
                role="convenor",
            )
            for ident, state in ((1, "closed"), (2, "open")):
                _insert(
                    connection,
                    "governance_consultations",
                    id=ident,
                    space_id=1,
                    state=state,
                    language="es",
                    closed_at=answered if state == "closed" else None,
                )
                _insert(connection, "governance_sections", id=ident, consultation_id=ident, position=1)
            _insert(
                connection,
                "governance_contributions",
                id=1,
                consultation_id=1,
                section_id=1,
                body="A",
                revision=1,
                disposition="partly",
                reason="En parte.",
                answered_at=answered,
                answered_by_id=1,
            )
            _insert(
                connection,
                "governance_contributions",
                id=2,
                consultation_id=2,
                section_id=2,
                body="B",
                revision=1,
                reason="",
            )
            _insert(connection, "governance_decisions", id=1, space_id=1, language="pt_BR")
            _insert(connection, "governance_decision_contributions", decision_id=1, contribution_id=1)
        flask_migrate.upgrade(revision="consult_0001")
        decision_links = sa.text("SELECT decision_id, contribution_id FROM governance_decision_contributions")
        with engine.begin() as connection:
            # SQLite rebuilds the contributions' table: the decision still answers its contribution
            assert [tuple(link) for link in connection.execute(decision_links)] == [(1, 1)]
            responses = connection.execute(
                sa.text(
                    "SELECT id, consultation_id, disposition, rationale, drafted_by_id, organisation_id,"
                    " approved_by_id, published_at IS NOT NULL FROM governance_responses"
                )
            ).all()
            assert [tuple(r) for r in responses] == [(1, 1, "partially_accepted", "En parte.", 1, 1, 1, True)]
            links = connection.execute(sa.text("SELECT * FROM governance_response_contributions")).all()
            assert [tuple(link) for link in links] == [(1, 1)]
            states = connection.execute(sa.text("SELECT state FROM governance_consultations ORDER BY id"))
            assert list(states.scalars()) == ["published", "open"]
        flask_migrate.downgrade(revision="roadmap2_0001")
        with engine.begin() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT disposition, reason, answered_by_id FROM governance_contributions ORDER BY id"
                )
            ).all()
            assert [tuple(r) for r in rows] == [("partly", "En parte.", 1), (None, "", None)]
            assert [tuple(link) for link in connection.execute(decision_links)] == [(1, 1)]
        engine.dispose()


def test_contribution_kinds_keep_the_links_to_contributions_both_ways(empty_database_url):
    """SQLite rebuilds the contributions' table to add (and drop) the moderator's foreign key: the links
    that point at contributions (decisions, responses) must survive, and so must the consultations."""
    fresh = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with fresh.app_context():
        engine = fresh.extensions["sqlalchemy"].engine
        flask_migrate.upgrade(revision="consult_0001")
        with engine.begin() as connection:
            _a_space(connection)
            _insert(
                connection, "governance_consultations", id=1, space_id=1, state="responding", language="es"
            )
            _insert(connection, "governance_sections", id=1, consultation_id=1, position=1)
            _insert(
                connection,
                "governance_contributions",
                id=1,
                consultation_id=1,
                section_id=1,
                body="A",
                revision=1,
            )
            _insert(
                connection,
                "governance_responses",
                id=1,
                consultation_id=1,
                disposition="accepted",
                drafted_by_id=1,
            )
            _insert(connection, "governance_response_contributions", response_id=1, contribution_id=1)
            _insert(connection, "governance_decisions", id=1, space_id=1, language="es")
            _insert(connection, "governance_decision_contributions", decision_id=1, contribution_id=1)
        links = {
            "governance_response_contributions": sa.text(
                "SELECT count(*) FROM governance_response_contributions"
            ),
            "governance_decision_contributions": sa.text(
                "SELECT count(*) FROM governance_decision_contributions"
            ),
            "governance_sections": sa.text("SELECT count(*) FROM governance_sections"),
        }
        for revision in ("contrib_0001", "consult_0001"):
            if revision == "contrib_0001":
                flask_migrate.upgrade(revision=revision)
            else:
                flask_migrate.downgrade(revision=revision)
            with engine.begin() as connection:
                counts = {name: connection.execute(query).scalar() for name, query in links.items()}
            assert counts == dict.fromkeys(links, 1), revision
        engine.dispose()
