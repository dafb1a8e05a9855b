"""The DPI systems are the kernel's: one table, one slug each, the library's former slugs migrated."""

from __future__ import annotations

import flask_migrate
import sqlalchemy as sa

from consortium.app import create_app
from consortium.reference.systems import (
    REFERENCE_SYSTEMS,
    SystemExists,
    create_system,
    ensure_reference_systems,
)
from tests.conftest import TEST_CONFIG
from tests.test_migrations import empty_database_url  # noqa: F401 - a fixture


def test_reference_systems_are_added_once(db):
    systems, _ = ensure_reference_systems()
    assert set(systems) == {s["slug"] for s in REFERENCE_SYSTEMS}
    assert ensure_reference_systems()[1] == 0


def test_a_reference_systems_operator_reads_in_the_visitors_language(client, db):
    ensure_reference_systems()
    db.session.commit()
    for language, operator in (
        ("es", "AGESIC (ID Uruguay), GOV.br y Autenticar, con la Red GEALC y el BID"),
        ("pt_BR", "AGESIC (ID Uruguay), GOV.br e Autenticar, com a Rede GEALC e o BID"),
        ("en", "AGESIC (ID Uruguay), GOV.br and Autenticar, with Red GEALC and the IDB"),
    ):
        page = client.get("/safeguards", headers={"Accept-Language": language.replace("_", "-")})
        assert operator in page.get_data(as_text=True), language


def test_a_system_staff_added_keeps_its_operator_as_typed(db):
    system = create_system(
        slug="sinpe", name="SINPE Móvil", countries=["CR"], kind="payments", operator="Banco Central"
    )
    assert system.display_operator == "Banco Central"


def test_two_systems_cannot_share_a_slug(db):
    ensure_reference_systems()
    try:
        create_system(slug="pix", name="Pix again", countries=["BR"], kind="payments", operator="BCB")
    except SystemExists:
        return
    raise AssertionError("a second 'pix' was accepted")


def test_the_migration_moves_systems_and_the_librarys_slugs(empty_database_url):  # noqa: F811
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
        flask_migrate.upgrade(revision="creds_0001")
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO safeguards_systems (slug, name, countries, kind, operator, "
                    "description, created_at, updated_at) VALUES ('gov-br', 'gov.br', '[\"BR\"]', "
                    "'digital_id', 'MGI', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO resources (id, kind, original_language, countries, systems, "
                    "principles, topic_slugs, authors, organisation, licence, source_url, "
                    "published_languages, created_at, updated_at, version) VALUES (1, 'guide', 'es', "
                    "'[]', '[\"govbr\", \"pix\"]', '[]', '[]', '[]', '', '', '', '[]', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
                )
            )
            connection.execute(
                sa.text("INSERT INTO resource_tags VALUES (1, 'system', 'govbr'), (1, 'system', 'pix')")
            )
        flask_migrate.upgrade()
        with engine.connect() as connection:
            slugs = connection.scalars(sa.text("SELECT slug FROM dpi_systems ORDER BY slug")).all()
            systems = connection.scalar(sa.text("SELECT systems FROM resources"))
            tags = connection.scalars(sa.text("SELECT value FROM resource_tags ORDER BY value")).all()
        assert slugs == sorted(s["slug"] for s in REFERENCE_SYSTEMS)
        assert "gov-br" in str(systems) and "govbr" not in str(systems)
        assert tags == ["gov-br", "pix"]
        engine.dispose()
