"""``flask storage sweep``: find the stored bytes no row references, and delete them with ``--delete``.

Two kinds: a ``StoredFile`` that no owner's row points at (``consortium.storage.owners``: its row and its
bytes, in either backend, go together), and a file in the upload folder that no local ``StoredFile``
names (a crash between writing it and committing its row, a restore, a half-finished migration).
Nothing younger than ``MIN_AGE`` is touched: an upload in flight has bytes whose row has not committed.
Each deletion is a transaction of its own that checks again, under the row's lock, that nothing points
at it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from consortium import transaction
from consortium.db import db, utcnow
from consortium.storage.files import delete
from consortium.storage.models import Backend, StoredFile
from consortium.storage.owners import referenced

MIN_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class Stray:
    """Bytes nobody references: a stored file's row (``file_id``) or a file in the folder (``path``)."""

    label: str
    size: int
    file_id: int | None = None
    path: Path | None = None


def _unreferenced_rows(cutoff) -> sa.Select:
    return sa.select(StoredFile).where(StoredFile.created_at < cutoff, sa.not_(referenced()))


def stray_rows() -> Iterator[Stray]:
    for stored in db.session.scalars(_unreferenced_rows(utcnow() - MIN_AGE).order_by(StoredFile.id)):
        label = f"stored file {stored.id} ({stored.key}, {stored.backend.value}): no row references it"
        yield Stray(label, stored.size, file_id=stored.id)


def stray_files() -> Iterator[Stray]:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    if not folder.is_dir():
        return
    local = set(db.session.scalars(sa.select(StoredFile.key).where(StoredFile.backend == Backend.LOCAL)))
    oldest = time.time() - MIN_AGE.total_seconds()
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_file() and key not in local and path.stat().st_mtime < oldest:
            label = f"{key} in the upload folder: no stored file names it"
            yield Stray(label, path.stat().st_size, path=path)


def delete_stray(stray: Stray) -> bool:
    """Delete it if, checked again, nothing references it; whether it was deleted."""
    if stray.path is not None:
        return _delete_file(stray.path)
    with transaction.writing(), transaction.action():
        try:
            transaction.lock(StoredFile, stray.file_id)
        except sa.exc.NoResultFound:
            return False
        stored = db.session.scalar(_unreferenced_rows(utcnow()).where(StoredFile.id == stray.file_id))
        if stored is None:
            return False
        delete(stored)  # chunk rows with the transaction, a folder's file once it committed
    return True


def _delete_file(path: Path) -> bool:
    key = path.relative_to(current_app.config["UPLOAD_FOLDER"]).as_posix()
    named = sa.select(StoredFile.id).where(StoredFile.key == key, StoredFile.backend == Backend.LOCAL)
    try:
        too_young = path.stat().st_mtime >= time.time() - MIN_AGE.total_seconds()
    except FileNotFoundError:
        return False
    if too_young or db.session.scalar(named) is not None:
        return False
    path.unlink(missing_ok=True)
    return True
