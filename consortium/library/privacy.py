"""The library's personal data for ``consortium.personal_data``: a reader's translation requests, and what
they wrote, translated or reviewed (which stays, as the library's, when the account is deleted)."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.library.models import Resource, ResourceVersion, TranslationRequest
from consortium.personal_data import Keeper


def _title(resource: Resource) -> str:
    version = resource.original or (resource.versions[0] if resource.versions else None)
    return version.title if version else ""


def export(user) -> dict:
    requests = db.session.scalars(
        sa.select(TranslationRequest)
        .where(TranslationRequest.user_id == user.id)
        .order_by(TranslationRequest.id)
    ).all()
    resources = {
        r.id: r
        for r in db.session.scalars(
            sa.select(Resource).where(Resource.id.in_({q.resource_id for q in requests}))
        )
    }
    versions = db.session.scalars(
        sa.select(ResourceVersion)
        .where(sa.or_(ResourceVersion.translator_id == user.id, ResourceVersion.reviewer_id == user.id))
        .order_by(ResourceVersion.id)
    ).all()
    return {
        "translation_requests": [
            {
                "resource": _title(resources[q.resource_id]),
                "language": q.language,
                "requested_at": q.created_at.isoformat(),
            }
            for q in requests
        ],
        "versions": [
            {
                "title": v.title,
                "language": v.language,
                "status": v.status.value,
                "as": "translator" if v.translator_id == user.id else "reviewer",
            }
            for v in versions
        ],
    }


def erase(user) -> None:
    db.session.execute(sa.delete(TranslationRequest).where(TranslationRequest.user_id == user.id))


keeper = Keeper(export=export, erase=erase)
