"""What the library offers the kernel's registries: resources suggested for weak safeguards principles
(``consortium.suggestions``), and the translations waiting for review on staff's /home and daily digest
(``consortium.worklist``; a translator's own version waits for someone else, so it is not counted).

(The personal-data keeper for ``consortium.personal_data`` lives in ``privacy.py``.)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import sqlalchemy as sa
from flask import url_for

from consortium.db import db
from consortium.i18n import current_language
from consortium.i18n import fast_gettext as _
from consortium.library import search
from consortium.library.models import FACET_PRINCIPLE, Resource, ResourceTag, ResourceVersion, VersionStatus
from consortium.permissions import Permission, role_grants
from consortium.reference import principles
from consortium.suggestions import Suggestion
from consortium.worklist import WorkItem, counting


def suggest(principle_codes: Iterable[str], limit: int) -> list[Suggestion]:
    """Published resources tagged with any of the principles, in the reader's language when possible."""
    codes = [code for code in principle_codes if code in principles.CODES]
    if not codes:
        return []
    rows = db.session.execute(_suggested(current_language()), {"codes": codes, "limit": limit}).all()
    return [
        Suggestion(
            kind="resource",
            title=version.title,
            url=url_for("library.read", lang=version.language, slug=version.slug),
            principles=tuple(code for code in resource.principles if code in codes),
            detail=resource.kind.label,
        )
        for resource, version in rows
    ]


@functools.cache
def _suggested(language: str):
    """The newest published resources tagged with any of ``codes``, at most ``limit``, each with the
    version its reader sees."""
    return search.newest_with_shown_versions(
        sa.select(Resource)
        .where(
            Resource.last_published_at.is_not(None),
            sa.exists().where(
                ResourceTag.resource_id == Resource.id,
                ResourceTag.facet == FACET_PRINCIPLE,
                ResourceTag.value.in_(sa.bindparam("codes", expanding=True)),
            ),
        )
        .order_by(Resource.last_published_at.desc(), Resource.id.desc())
        .limit(sa.bindparam("limit", type_=sa.Integer)),
        language,
    )


def translations_in_review(user) -> list[WorkItem]:
    if not role_grants(user, Permission.LIBRARY_EDIT):
        return []
    in_review = sa.select(ResourceVersion.id).where(
        ResourceVersion.status == VersionStatus.IN_REVIEW,
        sa.or_(ResourceVersion.translator_id.is_(None), ResourceVersion.translator_id != user.id),
    )
    return [
        WorkItem(
            label=_("Translations to review"),
            count=counting(in_review),
            url=url_for("library.board", status=VersionStatus.IN_REVIEW.value),
            area=_("Library"),
        )
    ]
