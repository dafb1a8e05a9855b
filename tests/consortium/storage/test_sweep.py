"""``flask storage sweep`` finds the bytes no row references, deletes them only with ``--delete``, and
never touches anything younger than an hour (an upload whose row has not committed yet)."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from consortium.db import utcnow
from consortium.storage import StoredFile
from tests.lost_files import bytes_left


def _sweep(app, *args):
    return app.test_cli_runner().invoke(args=["storage", "sweep", *args])


def _age(db, stored: StoredFile, hours: float) -> None:
    db.session.execute(
        sa.update(StoredFile)
        .where(StoredFile.id == stored.id)
        .values(created_at=utcnow() - timedelta(hours=hours))
    )
    db.session.commit()


def _folder_file(app, name: str, *, hours: float) -> Path:
    path = Path(app.config["UPLOAD_FOLDER"]) / "zz" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind")
    stamp = time.time() - hours * 3600
    os.utime(path, (stamp, stamp))
    return path


def test_an_old_file_no_row_references_is_listed_then_deleted(app, db, backend, store):
    stored = store(b"nobody owns me")
    _age(db, stored, 2)
    listed = _sweep(app)
    assert listed.exit_code == 0, listed.output
    assert f"stored file {stored.id} ({stored.key}, {backend.value})" in listed.output
    assert "1 unreferenced (14 bytes); run with --delete" in listed.output
    assert bytes_left(backend, stored.id, stored.key)  # only listed

    swept = _sweep(app, "--delete")
    assert "1 of 1 unreferenced (14 bytes) deleted" in swept.output, swept.output
    db.session.rollback()
    assert db.session.get(StoredFile, stored.id) is None
    assert not bytes_left(backend, stored.id, stored.key)


def test_a_file_younger_than_an_hour_is_left_alone(app, db, backend, store):
    stored = store(b"still arriving")
    _age(db, stored, 0.5)
    swept = _sweep(app, "--delete")
    assert "0 of 0 unreferenced" in swept.output, swept.output
    db.session.rollback()
    assert db.session.get(StoredFile, stored.id) is not None and bytes_left(backend, stored.id, stored.key)


def test_files_in_the_folder_that_no_stored_file_names(app, db, backend, store):
    kept = store(b"a stored file of its own")  # younger than an hour and, in the folder, named by its row
    old = _folder_file(app, "old-stray", hours=3)
    young = _folder_file(app, "young-stray", hours=0.2)
    listed = _sweep(app)
    assert "zz/old-stray in the upload folder" in listed.output and "young-stray" not in listed.output
    swept = _sweep(app, "--delete")
    assert "1 of 1 unreferenced (11 bytes) deleted" in swept.output, swept.output
    assert not old.exists() and young.exists()
    assert bytes_left(backend, kept.id, kept.key)
    young.unlink()  # the folder is the whole run's


def test_every_table_pointing_at_stored_files_is_a_registered_owner(app):
    """Otherwise the sweep would take its files for strays and deleting its rows would leave them."""
    from consortium.db import db
    from consortium.storage.models import StoredFileChunk
    from consortium.storage.owners import OWNERS

    pointing = {
        table.name
        for table in db.metadata.tables.values()
        for key in table.foreign_keys
        if key.column.table.name == StoredFile.__tablename__ and table.name != StoredFileChunk.__tablename__
    }
    assert pointing == {owner.class_.__tablename__ for owner in OWNERS}
