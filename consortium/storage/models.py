"""Every uploaded file has one row here: its key, name, type, size, checksum and where its bytes live."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consortium.db import db, enum_column, utcnow

#: Bytes per chunk: uploads are read, stored (database backend) and served in pieces of this size.
CHUNK = 256 * 1024


class Backend(enum.StrEnum):
    LOCAL = "local"  # a folder (UPLOAD_FOLDER): one host
    DATABASE = "database"  # chunk rows in stored_file_chunks: every host sharing the database


class StoredFile(db.Model):
    """A stored file. ``backend`` says where its bytes are now, so reads keep working while
    ``flask storage migrate`` moves files one by one (new files go to the configured backend)."""

    __tablename__ = "stored_files"
    # The record that owns the file (an attachment, an evidence answer) is audited; this row is its
    # bytes' bookkeeping, flushed twice per upload (before and after the chunks) and once per move.
    __audit__ = {"skip": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    backend: Mapped[Backend] = mapped_column(enum_column(Backend))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoredFileChunk(db.Model):
    """One ``CHUNK``-sized piece of a file kept in the database (the last one may be shorter)."""

    __tablename__ = "stored_file_chunks"

    file_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
