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
