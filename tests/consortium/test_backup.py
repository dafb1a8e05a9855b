"""A backup is proven by restoring it: into a brand-new database, every count and checksum the same."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium import backup, demo
from consortium.app import create_app
from consortium.db import db as _db
from consortium.library.models import ResourceVersion
from safeguards.models import Assessment, AssessmentState
from tests.conftest import TEST_CONFIG
from trainings.models import Training, TrainingState


def _fresh_database(database_url: str, tmp_path):
    """An empty database of the same kind as the suite's: a new file, or a new PostgreSQL database."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite'}", lambda: None
    name = f"{url.database}_restore"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def test_a_backup_restores_into_a_new_database_that_serves_the_site(
    app, db, database_url, tmp_path, monkeypatch
):
    demo.load()
    db.session.commit()
    stored = tmp_path / "uploads-original" / "library" / "guia.pdf"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.4 guia de pagos\n" * 1000)
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads-original"))
    made = backup.create(tmp_path / "backup.tar")
    assert made.rows > 100 and made.files == 1

    published = db.session.scalar(
        sa.select(Assessment.id).where(Assessment.state == AssessmentState.PUBLISHED)
    )
    guide = db.session.scalar(sa.select(ResourceVersion).where(ResourceVersion.language == "es").limit(1))
    training = db.session.scalar(sa.select(Training.id).where(Training.state == TrainingState.PUBLISHED))
    target_url, drop = _fresh_database(database_url, tmp_path)
    restored_app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": target_url, "UPLOAD_FOLDER": str(tmp_path / "restored")}
    )
    try:
        with restored_app.app_context():
            outcome = backup.restore(tmp_path / "backup.tar")
            assert (outcome.tables, outcome.rows, outcome.files) == (made.tables, made.rows, made.files)
            assert (tmp_path / "restored" / "library" / "guia.pdf").read_bytes() == stored.read_bytes()
            client = restored_app.test_client()
            assert client.get(f"/safeguards/assessments/{published}/results").status_code == 200
            assert client.get(f"/library/es/{guide.slug}").status_code == 200
            assert client.get(f"/trainings/{training}").status_code == 200
            _db.session.remove()  # the client's requests shared this context's session
            _db.engine.dispose()
    finally:
        drop()
    print(f"backup {made.seconds:.2f} s, restore {outcome.seconds:.2f} s, {made.rows} rows")


def test_restore_refuses_a_database_that_is_not_empty(app, db, tmp_path):
    made = backup.create(tmp_path / "backup.tar")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(made.path)
