"""The storage API: save a stream, open or serve a stored file, delete it, check its bytes."""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Iterator
from typing import IO

from flask import current_app

from consortium.db import db
from consortium.storage.backends import BACKENDS
from consortium.storage.models import CHUNK, Backend, StoredFile


def configured_backend() -> Backend:
    return Backend(current_app.config["STORAGE_BACKEND"])


def full_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """``stream`` in pieces of exactly ``CHUNK`` bytes (the last may be shorter), whatever ``read`` returns:
    a request stream may hand out less than asked for, and chunk rows must all be full to be found by
    offset."""
    while chunk := stream.read(CHUNK):
        while len(chunk) < CHUNK and (more := stream.read(CHUNK - len(chunk))):
            chunk += more
        yield chunk


def save(stream: IO[bytes], filename: str, content_type: str) -> StoredFile:
    """Store everything ``stream`` holds, chunk by chunk, in the configured backend; flush its row.

    Call it inside ``transaction.action()``: if the action rolls back, the file is gone with its row.
    ``filename`` is the name offered on download; the key is generated, never derived from it.
    """
    token = secrets.token_hex(16)
    stored = StoredFile(
        key=f"{token[:2]}/{token}",
        filename=filename[:255],
        content_type=content_type,
        size=0,
        sha256="",
        backend=configured_backend(),
    )
    db.session.add(stored)
    db.session.flush()  # the id the chunk rows refer to
    digest = hashlib.sha256()

    def measured() -> Iterator[bytes]:
        for chunk in full_chunks(stream):
            digest.update(chunk)
            stored.size += len(chunk)
            yield chunk

    BACKENDS[stored.backend].write(stored, measured())
    stored.sha256 = digest.hexdigest()
    db.session.flush()
    return stored


def open(stored: StoredFile) -> io.BufferedIOBase:
    """A seekable binary reader over the file's bytes, wherever they are; close it when done."""
    return BACKENDS[stored.backend].reader(stored)


def has_bytes(stored: StoredFile) -> bool:
    """Whether the file's bytes are where its row says (a restore without the uploads loses them)."""
    return BACKENDS[stored.backend].has_bytes(stored)


def delete(stored: StoredFile) -> None:
    """Delete the row now; the bytes go with the transaction (database) or once it committed (folder)."""
    BACKENDS[stored.backend].discard(stored)
    db.session.delete(stored)
    db.session.flush()


def checksum(reader: IO[bytes]) -> tuple[int, str]:
    """Size and SHA-256 of what ``reader`` holds, read chunk by chunk (and closed)."""
    digest, size = hashlib.sha256(), 0
    with reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def is_intact(stored: StoredFile) -> bool:
    """Its bytes are there and match the recorded size and checksum."""
    try:
        return checksum(open(stored)) == (stored.size, stored.sha256)
    except OSError:  # a missing file or chunk
        return False
