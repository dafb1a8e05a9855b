"""Lose a stored file's bytes while its row stays (a disk restored without its uploads, a bad migration)."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.storage import Backend, StoredFile
from consortium.storage.backends import LocalBackend
from consortium.storage.models import StoredFileChunk


def lose_bytes(stored: StoredFile) -> None:
    if stored.backend == Backend.LOCAL:
        LocalBackend.path(stored).unlink()
    else:
        db.session.execute(sa.delete(StoredFileChunk).where(StoredFileChunk.file_id == stored.id))
        db.session.commit()


def bytes_left(backend: Backend, file_id: int, key: str) -> bool:
    """Whether any bytes of the file once stored with this id and key are still kept (row or not)."""
    if backend == Backend.LOCAL:
        return LocalBackend.path(StoredFile(key=key)).exists()
    chunks = sa.select(sa.func.count()).where(StoredFileChunk.file_id == file_id)
    return bool(db.session.scalar(chunks))
