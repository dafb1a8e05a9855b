"""A backup is proven by restoring it: into a brand-new database, every count and checksum the same."""

from __future__ import annotations

import io
import os

import pytest
import sqlalchemy as sa

from consortium import backup, demo, storage, transaction
from consortium.app import create_app
from consortium.db import db as _db
from consortium.library import services as library_services
from consortium.library.models import ResourceVersion, VersionStatus
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


def _counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return backup._table_counts(connection)


def _checksums() -> dict[str, str]:
    """Every stored file's key and checksum, each file read back from its backend and checked."""
    files = _db.session.scalars(sa.select(storage.StoredFile)).all()
    assert all(storage.is_intact(stored) for stored in files)
    return {stored.key: stored.sha256 for stored in files}


@pytest.mark.parametrize("backend", ["local", "database"])
def test_a_backup_restores_into_a_new_database_that_serves_the_site(
    app, db, database_url, tmp_path, monkeypatch, backend
):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads-original"))
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", backend)
    demo.load()
    db.session.commit()
    guide = db.session.scalar(
        sa.select(ResourceVersion)
        .where(ResourceVersion.language == "es", ResourceVersion.status == VersionStatus.PUBLISHED)
        .limit(1)
    )
    pdf = b"%PDF-1.4 guia de pagos\n" + os.urandom(storage.CHUNK * 2)  # several chunks
    with transaction.writing(), transaction.action():
        attachment = library_services.attach(guide, io.BytesIO(pdf), "guia.pdf", by=None)
    download = f"/library/attachments/{attachment.id}/{attachment.filename}"
    made = backup.create(tmp_path / "backup.tar")
    assert made.rows > 100 and made.files == 1
    counts, checksums = _counts(db.engine), _checksums()

    published = db.session.scalar(
        sa.select(Assessment.id).where(Assessment.state == AssessmentState.PUBLISHED)
    )
    training = db.session.scalar(sa.select(Training.id).where(Training.state == TrainingState.PUBLISHED))
    guide_url = f"/library/es/{guide.slug}"
    target_url, drop = _fresh_database(database_url, tmp_path)
    restored_app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": target_url,
            "UPLOAD_FOLDER": str(tmp_path / "restored"),
            "STORAGE_BACKEND": backend,
        }
    )
    try:
        with restored_app.app_context():
            outcome = backup.restore(tmp_path / "backup.tar")
            assert (outcome.tables, outcome.rows, outcome.files) == (made.tables, made.rows, made.files)
            assert _counts(_db.engine) == counts  # every table, row for row
            assert _checksums() == checksums  # every stored file, byte for byte
            on_disk = [path for path in (tmp_path / "restored").rglob("*") if path.is_file()]
            assert len(on_disk) == (backend == "local")
            client = restored_app.test_client()
            assert client.get(f"/safeguards/assessments/{published}/results").status_code == 200
            assert download in client.get(guide_url).get_data(as_text=True)
            response = client.get(download)
            assert response.status_code == 200 and response.data == pdf
            response.close()
            assert client.get(f"/trainings/{training}").status_code == 200
            _db.session.remove()  # the client's requests shared this context's session
            _db.engine.dispose()
    finally:
        drop()
    print(f"backup {made.seconds:.2f} s, restore {outcome.seconds:.2f} s, {made.rows} rows")


def test_a_backup_of_a_damaged_file_fails_and_leaves_no_archive(app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "local")
    with transaction.writing(), transaction.action():
        stored = storage.save(io.BytesIO(b"%PDF-1.4 x"), "a.pdf", "application/pdf")
    (tmp_path / "uploads" / stored.key).write_bytes(b"%PDF-1.4 y")
    with pytest.raises(backup.BackupError, match="checksum differs"):
        backup.create(tmp_path / "backup.tar")
    assert list(tmp_path.glob("backup.tar*")) == []


def test_restore_refuses_a_database_that_is_not_empty(app, db, tmp_path):
    made = backup.create(tmp_path / "backup.tar")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(made.path)
