"""The rows that own stored files: deleting one deletes its file too, whatever deleted it.

Each feature names, at ``init_app``, the relationship from its model to ``StoredFile``
(``storage.owned_by(EvidenceFile.file)``). When such a row is deleted through the ORM (the service that
removes it, or a cascade from what holds it: an assessment, a resource), its ``StoredFile`` goes in the
same flush and the backend removes the bytes with the transaction (chunk rows) or once it committed (a
folder's file), so a rollback keeps them. ``flask storage sweep`` reads the same list to find the files
no row references any more.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

from consortium.storage.backends import BACKENDS

OWNERS: list[InstrumentedAttribute] = []


def owned_by(relationship: InstrumentedAttribute) -> None:
    """``relationship`` (a many-to-one to ``StoredFile``) owns its file: deleting the row deletes it."""
    if not any(owner is relationship for owner in OWNERS):  # ``==`` would build SQL
        OWNERS.append(relationship)


def referenced() -> sa.ColumnElement[bool]:
    """True where some owner's row points at the stored file (correlated with ``StoredFile``)."""
    return sa.or_(sa.false(), *(sa.exists().where(owner.property.primaryjoin) for owner in OWNERS))


def _delete_owned_files(session: Session, flush_context, instances) -> None:
    owned = [
        (row, owner) for row in list(session.deleted) for owner in OWNERS if isinstance(row, owner.class_)
    ]
    if not owned:
        return
    with session.no_autoflush:  # loading a row's file must not start the flush that is starting
        for row, owner in owned:
            stored = getattr(row, owner.key)
            if stored is not None and stored not in session.deleted:
                BACKENDS[stored.backend].discard(stored)
                session.delete(stored)


def listen() -> None:
    if not sa.event.contains(Session, "before_flush", _delete_owned_files):
        sa.event.listen(Session, "before_flush", _delete_owned_files)
