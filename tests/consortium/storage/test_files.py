"""Saving, reading and deleting stored files, tied to the action's transaction, in chunks."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest
import sqlalchemy as sa

from consortium import storage, transaction
from consortium.storage import CHUNK, Backend, StoredFile
from consortium.storage.backends import LocalBackend
from consortium.storage.models import StoredFileChunk


class Boom(Exception):
    pass


def _action_that_fails(work) -> None:
    with transaction.writing(), transaction.action():
        work()
        raise Boom


class RecordingStream(io.BytesIO):
    """A request body that remembers how much each read asked for."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.reads: list[int] = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _on_disk(app) -> set[Path]:
    return {path for path in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if path.is_file()}


def test_a_saved_file_has_its_size_checksum_and_type_and_reads_back(db, backend, store):
    data = b"%PDF-1.4 informe\n" * 100
    stored = store(data, "Informe final.pdf")
    db.session.expire_all()
    stored = db.session.get(StoredFile, stored.id)
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert (stored.filename, stored.content_type, stored.backend) == (
        "Informe final.pdf",
        "application/pdf",
        backend,
    )
    assert "informe" not in stored.key.lower()  # generated, never derived from what the uploader typed
    with storage.open(stored) as reader:
        assert reader.read() == data
    assert storage.is_intact(stored)


def test_the_database_backend_keeps_no_file_on_disk_and_the_local_one_no_chunk(app, db, backend, store):
    before = _on_disk(app)
    store(b"x" * 1000)
    assert bool(_on_disk(app) - before) == (backend is Backend.LOCAL)
    assert bool(_count(db, StoredFileChunk)) == (backend is Backend.DATABASE)


def test_a_rolled_back_upload_leaves_no_file_and_no_row(app, db, backend):
    before = _on_disk(app)
    with pytest.raises(Boom):
        _action_that_fails(lambda: storage.save(io.BytesIO(os.urandom(CHUNK + 10)), "a.pdf", "a/b"))
    assert _on_disk(app) == before
    assert (_count(db, StoredFile), _count(db, StoredFileChunk)) == (0, 0)


def test_an_upload_that_breaks_off_leaves_no_partial_file(app, db, backend):
    class BrokenStream(io.BytesIO):
        def read(self, size=-1):
            if self.tell() >= CHUNK:
                raise OSError("client went away")
            return super().read(size)

    before = _on_disk(app)
    with pytest.raises(OSError, match="went away"), transaction.writing(), transaction.action():
        storage.save(BrokenStream(os.urandom(3 * CHUNK)), "a.pdf", "application/pdf")
    assert _on_disk(app) == before
    assert (_count(db, StoredFile), _count(db, StoredFileChunk)) == (0, 0)


def test_a_deleted_file_goes_only_once_the_deletion_committed(app, db, backend, store):
    stored = store(b"keep me until the commit")
    with pytest.raises(Boom):
        _action_that_fails(lambda: storage.delete(db.session.get(StoredFile, stored.id)))
    stored = db.session.get(StoredFile, stored.id)
    assert storage.is_intact(stored)  # rolled back: row and bytes both still there

    path = LocalBackend.path(stored)
    with transaction.writing(), transaction.action():
        storage.delete(stored)
        if backend is Backend.LOCAL:
            assert path.exists()  # not before the commit
    assert not path.exists()
    assert (_count(db, StoredFile), _count(db, StoredFileChunk)) == (0, 0)


def test_a_file_larger_than_a_chunk_is_read_and_stored_in_chunks(db, backend):
    data = os.urandom(2 * CHUNK + 12345)
    upload = RecordingStream(data)
    with transaction.writing(), transaction.action():
        stored = storage.save(upload, "big.pdf", "application/pdf")
    assert max(upload.reads) <= CHUNK and len(upload.reads) >= 3  # never read whole
    if backend is Backend.DATABASE:
        sizes = db.session.scalars(
            sa.select(sa.func.length(StoredFileChunk.data)).order_by(StoredFileChunk.seq)
        ).all()
        assert sizes == [CHUNK, CHUNK, 12345]
    with storage.open(stored) as reader:
        reader.seek(CHUNK - 5)
        assert reader.read(10) == data[CHUNK - 5 : CHUNK + 5]  # across a chunk boundary
        reader.seek(0)
        assert reader.read() == data


def test_a_short_reading_stream_still_fills_whole_chunks(db, backend):
    class Trickle(io.BytesIO):
        def read(self, size=-1):
            return super().read(min(size, 1000) if size and size > 0 else 1000)

    data = os.urandom(CHUNK + 1)
    with transaction.writing(), transaction.action():
        stored = storage.save(Trickle(data), "t.bin", "application/octet-stream")
    with storage.open(stored) as reader:
        assert reader.read() == data
    assert storage.is_intact(stored)


def test_saving_and_reading_a_large_file_never_holds_it_in_memory(db, backend):
    size = 8 * 1024 * 1024
    source = RecordingStream(os.urandom(size))  # allocated before tracing starts
    tracemalloc.start()
    try:
        with transaction.writing(), transaction.action():
            stored = storage.save(source, "big.bin", "application/octet-stream")
        assert storage.checksum(storage.open(stored))[0] == size
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < size / 4, f"peak {peak} bytes for an {size} bytes file"


def test_a_damaged_file_is_not_intact(app, db, backend, store):
    stored = store(b"original bytes" * 100)
    if backend is Backend.LOCAL:
        LocalBackend.path(stored).write_bytes(b"tampered bytes" * 100)
    else:
        db.session.execute(sa.update(StoredFileChunk).values(data=b"tampered bytes" * 100))
        db.session.commit()
    assert not storage.is_intact(stored)
