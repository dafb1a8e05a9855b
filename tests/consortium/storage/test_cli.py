"""``flask storage migrate`` moves files both ways, checks every checksum, and can be run again."""

from __future__ import annotations

import io
import os

import pytest
import sqlalchemy as sa

from consortium import storage, transaction
from consortium.storage import Backend, StoredFile
from consortium.storage.backends import LocalBackend
from consortium.storage.models import StoredFileChunk


@pytest.fixture
def files(app, monkeypatch):
    """Three files in the local folder, one of them larger than a chunk."""
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "local")
    with transaction.writing(), transaction.action():
        saved = [
            storage.save(io.BytesIO(os.urandom(size)), f"f{size}.pdf", "application/pdf")
            for size in (10, storage.CHUNK * 2 + 7, 1000)
        ]
    return [stored.id for stored in saved]


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["storage", *args])


def _backends(db) -> list[Backend]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(StoredFile.backend).order_by(StoredFile.id)))


def _all_intact(db) -> bool:
    return all(storage.is_intact(stored) for stored in db.session.scalars(sa.select(StoredFile)))


def test_files_move_to_the_database_and_back_with_their_bytes_intact(app, db, files):
    paths = [LocalBackend.path(db.session.get(StoredFile, file_id)) for file_id in files]
    result = _run(app, "migrate", "--to", "database")
    assert result.exit_code == 0, result.output
    assert "3 moved to database, 0 already there, 0 corrupted, 0 missing" in result.output
    assert _backends(db) == [Backend.DATABASE] * 3 and _all_intact(db)
    assert not any(path.exists() for path in paths)  # the folder copies went once the move committed

    again = _run(app, "migrate", "--to", "database")
    assert "0 moved to database, 3 already there" in again.output and again.exit_code == 0

    back = _run(app, "migrate", "--to", "local")
    assert "3 moved to local" in back.output and back.exit_code == 0
    assert _backends(db) == [Backend.LOCAL] * 3 and _all_intact(db)
    assert all(path.exists() for path in paths)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFileChunk)) == 0
    assert _run(app, "verify").output.strip() == "3 of 3 stored files intact"


def test_a_corrupted_local_file_is_detected_and_left_where_it_was(app, db, files):
    damaged = db.session.get(StoredFile, files[1])
    LocalBackend.path(damaged).write_bytes(b"bit rot")
    LocalBackend.path(db.session.get(StoredFile, files[2])).unlink()
    db.session.rollback()

    result = _run(app, "migrate", "--to", "database")
    assert result.exit_code == 1
    assert "1 moved to database, 0 already there, 1 corrupted, 1 missing" in result.output
    assert f"stored file {files[1]}: corrupted" in result.output
    assert _backends(db) == [Backend.DATABASE, Backend.LOCAL, Backend.LOCAL]
    chunks = db.session.scalars(sa.select(StoredFileChunk.file_id).distinct()).all()
    assert chunks == [files[0]]  # nothing of the damaged file was copied
    verify = _run(app, "verify")
    assert verify.exit_code == 1 and "1 of 3 stored files intact" in verify.output


def test_a_corrupted_database_file_is_detected_and_no_copy_is_left_on_disk(app, db, files):
    assert _run(app, "migrate", "--to", "database").exit_code == 0
    db.session.execute(
        sa.update(StoredFileChunk)
        .where(StoredFileChunk.file_id == files[1], StoredFileChunk.seq == 1)
        .values(data=b"x" * storage.CHUNK)
    )
    db.session.commit()

    result = _run(app, "migrate", "--to", "local")
    assert result.exit_code == 1 and "2 moved to local, 0 already there, 1 corrupted" in result.output
    damaged = db.session.get(StoredFile, files[1])
    assert damaged.backend is Backend.DATABASE
    assert not LocalBackend.path(damaged).exists()
    assert not LocalBackend.path(damaged).with_name(LocalBackend.path(damaged).name + ".part").exists()
