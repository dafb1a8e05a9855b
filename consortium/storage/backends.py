"""Where the bytes go: a folder, or chunk rows in the database. Both take and give ``CHUNK``-sized pieces.

Each backend ties its work to the action's transaction: the local one removes a file written for a row
that rolls back (``on_rollback``) and deletes a file only once its removal committed (``after_commit``);
the database one needs neither, its chunk rows commit or roll back with everything else.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from consortium import transaction
from consortium.db import WRITE_INTENT, db
from consortium.storage.models import CHUNK, Backend, StoredFile, StoredFileChunk


class LocalBackend:
    """Files under ``UPLOAD_FOLDER``, at their key's path (``ab/ab12…``), written whole before they count."""

    @staticmethod
    def path(stored: StoredFile) -> Path:
        return Path(current_app.config["UPLOAD_FOLDER"]) / stored.key

    def write(self, stored: StoredFile, chunks: Iterable[bytes]) -> None:
        path = self.path(stored)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial_path = path.with_name(path.name + ".part")  # a file still arriving never has its name
        transaction.on_rollback(partial(path.unlink, missing_ok=True))
        try:
            with partial_path.open("wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())  # on disk before the row that points at it commits
            partial_path.replace(path)
        except BaseException:
            partial_path.unlink(missing_ok=True)
            raise

    def reader(self, stored: StoredFile, *, in_transaction: bool = False) -> io.BufferedIOBase:
        return self.path(stored).open("rb", buffering=CHUNK)

    def has_bytes(self, stored: StoredFile) -> bool:
        return self.path(stored).is_file()

    def discard(self, stored: StoredFile) -> None:
        transaction.after_commit(partial(self.path(stored).unlink, missing_ok=True))


class DatabaseBackend:
    """Chunk rows in ``stored_file_chunks``: every host sharing the database sees every file."""

    def write(self, stored: StoredFile, chunks: Iterable[bytes]) -> None:
        insert = sa.insert(StoredFileChunk)
        for seq, chunk in enumerate(chunks):
            db.session.execute(insert, {"file_id": stored.id, "seq": seq, "data": chunk})

    def reader(self, stored: StoredFile, *, in_transaction: bool = False) -> io.BufferedIOBase:
        """A seekable reader. It reads on a connection of its own (a response streams after the request's
        session is gone), unless ``in_transaction``: then it sees the current transaction's own writes."""
        raw = ChunkReader(stored.id, stored.size, db.session.connection() if in_transaction else None)
        return io.BufferedReader(raw, buffer_size=CHUNK)

    def has_bytes(self, stored: StoredFile) -> bool:
        """Every chunk is there (a count on the primary key: no bytes read)."""
        count = sa.select(sa.func.count()).where(StoredFileChunk.file_id == stored.id)
        return db.session.scalar(count) == -(-stored.size // CHUNK)

    def discard(self, stored: StoredFile) -> None:
        db.session.execute(sa.delete(StoredFileChunk).where(StoredFileChunk.file_id == stored.id))


class ChunkReader(io.RawIOBase):
    """A file in chunk rows read as a seekable file, one chunk in memory at a time.

    Its own connection holds one read transaction (REPEATABLE READ on PostgreSQL), so a download sees
    the file whole even if it is deleted meanwhile; it is returned to the pool on ``close()``.
    """

    def __init__(self, file_id: int, size: int, connection: sa.Connection | None = None):
        super().__init__()
        self._file_id, self._size, self._position = file_id, size, 0
        self._cached: tuple[int, bytes] | None = None
        self._own = connection is None
        if self._own:
            connection = db.engine.connect()
            if connection.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            token = WRITE_INTENT.set(False)  # a plain read: never SQLite's write lock, held by the writer
            try:
                connection.begin()
            finally:
                WRITE_INTENT.reset(token)
        self._connection = connection

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def _chunk(self, seq: int) -> bytes:
        if self._cached is None or self._cached[0] != seq:
            data = self._connection.execute(
                sa.select(StoredFileChunk.data).where(
                    StoredFileChunk.file_id == self._file_id, StoredFileChunk.seq == seq
                )
            ).scalar_one_or_none()
            if data is None:
                raise OSError(f"stored file {self._file_id}: chunk {seq} is missing")
            self._cached = (seq, bytes(data))
        return self._cached[1]

    def readinto(self, buffer) -> int:
        if self._position >= self._size:
            return 0
        seq, skip = divmod(self._position, CHUNK)
        piece = self._chunk(seq)[skip : skip + len(buffer)]
        buffer[: len(piece)] = piece
        self._position += len(piece)
        return len(piece)

    def close(self) -> None:
        if not self.closed and self._own:
            self._connection.close()
        self._cached = None
        super().close()


BACKENDS = {Backend.LOCAL: LocalBackend(), Backend.DATABASE: DatabaseBackend()}
