"""The audit rows written for one object, to check that a create names what it created."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.db import db


def creates_of(obj) -> list[str]:
    """The object ids of the "create" rows for ``obj``'s table."""
    db.session.expire_all()
    query = sa.select(AuditEvent.object_id).where(
        AuditEvent.action == "create", AuditEvent.object_type == obj.__tablename__
    )
    return list(db.session.scalars(query))


def events_of(obj, action: str) -> list[str]:
    """The object ids of the ``action`` rows (a semantic event such as "trainings.training_created")."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent.object_id).where(AuditEvent.action == action)))
