"""What readers ask for and what is missing: translation requests, the board, language coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from consortium.db import db
from consortium.i18n import LANGUAGES
from consortium.library.models import (
    FACET_LANGUAGE,
    Resource,
    ResourceTag,
    ResourceVersion,
    TranslationRequest,
    VersionStatus,
)
from consortium.users.models import User


def request_translation(resource: Resource, language: str, user) -> bool:
    """Count a reader's wish for ``language`` once per person. True when it is new."""
    if language not in LANGUAGES or language in (resource.published_languages or []):
        return False
    exists = db.session.scalar(
        sa.select(TranslationRequest.id).where(
            TranslationRequest.resource_id == resource.id,
            TranslationRequest.language == language,
            TranslationRequest.user_id == user.id,
        )
    )
    if exists:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(TranslationRequest(resource_id=resource.id, language=language, user_id=user.id))
    except sa.exc.IntegrityError:
        return False
    return True


def demand(resource_ids: list[int] | None = None) -> dict[tuple[int, str], int]:
    """{(resource id, language): number of people who asked}, in one query."""
    query = sa.select(
        TranslationRequest.resource_id, TranslationRequest.language, sa.func.count(TranslationRequest.id)
    ).group_by(TranslationRequest.resource_id, TranslationRequest.language)
    if resource_ids is not None:
        query = query.where(TranslationRequest.resource_id.in_(resource_ids))
    return {(rid, lang): n for rid, lang, n in db.session.execute(query)}


@dataclass
class BoardRow:
    resource_id: int
    language: str
    title: str
    original_language: str
    version_id: int | None
    status: VersionStatus | None
    is_outdated: bool
    translator: str | None
    demand: int


def board(*, status: str = "", page: int = 1, per_page: int = 50) -> tuple[list[BoardRow], int]:
    """Every (resource, language) lacking an up-to-date published version, most requested first.

    One statement whatever the size of the library: resources x the other languages, the version
    if any, its translator and the readers' demand, with the total as a window count.
    """
    languages = sa.union_all(*(sa.select(sa.literal(code).label("language")) for code in LANGUAGES)).subquery(
        "langs"
    )
    original = sa.orm.aliased(ResourceVersion)
    target = sa.orm.aliased(ResourceVersion)
    wanted = (
        sa.select(TranslationRequest.resource_id, TranslationRequest.language, sa.func.count().label("n"))
        .group_by(TranslationRequest.resource_id, TranslationRequest.language)
        .subquery("wanted")
    )
    demand_column = sa.func.coalesce(wanted.c.n, 0)
    query = (
        sa.select(
            Resource.id,
            languages.c.language,
            original.title,
            Resource.original_language,
            target.id,
            target.status,
            target.is_outdated,
            User.name,
            demand_column,
            sa.func.count().over(),
        )
        .select_from(Resource)
        .join(languages, languages.c.language != Resource.original_language)
        .join(
            original,
            sa.and_(original.resource_id == Resource.id, original.language == Resource.original_language),
        )
        .outerjoin(
            target, sa.and_(target.resource_id == Resource.id, target.language == languages.c.language)
        )
        .outerjoin(User, User.id == target.translator_id)
        .outerjoin(
            wanted, sa.and_(wanted.c.resource_id == Resource.id, wanted.c.language == languages.c.language)
        )
        .where(
            sa.or_(
                target.id.is_(None), target.status != VersionStatus.PUBLISHED, target.is_outdated.is_(True)
            )
        )
    )
    if status == "missing":
        query = query.where(target.id.is_(None))
    elif status == VersionStatus.PUBLISHED.value:
        query = query.where(target.is_outdated.is_(True))
    elif status in VersionStatus._value2member_map_:
        query = query.where(target.status == VersionStatus(status))
    query = (
        query.order_by(demand_column.desc(), Resource.id.desc(), languages.c.language)
        .limit(per_page)
        .offset((max(1, page) - 1) * per_page)
    )
    rows = db.session.execute(query).all()
    total = rows[0][-1] if rows else 0
    return [
        BoardRow(
            resource_id=row[0],
            language=row[1],
            title=row[2],
            original_language=row[3],
            version_id=row[4],
            status=row[5],
            is_outdated=bool(row[6]),
            translator=row[7],
            demand=row[8],
        )
        for row in rows
    ], total


def coverage() -> dict[str, Any]:
    """Share of published resources available in each language."""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(Resource).where(Resource.last_published_at.is_not(None))
    )
    counts = dict(
        db.session.execute(
            sa.select(ResourceTag.value, sa.func.count())
            .where(ResourceTag.facet == FACET_LANGUAGE)
            .group_by(ResourceTag.value)
        ).all()
    )
    return {
        "total": total or 0,
        "languages": {
            language: {
                "count": counts.get(language, 0),
                "share": (counts.get(language, 0) / total) if total else 0,
            }
            for language in LANGUAGES
        },
    }
