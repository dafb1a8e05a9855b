"""What the library puts on staff's /home and daily digest: translations waiting for review
(``consortium.worklist``). A translator's own version waits for someone else, so it is not counted."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from consortium.db import db
from consortium.i18n import fast_gettext as _
from consortium.library.models import ResourceVersion, VersionStatus
from consortium.permissions import Permission, role_grants
from consortium.worklist import WorkItem


def translations_in_review(user) -> list[WorkItem]:
    if not role_grants(user, Permission.LIBRARY_EDIT):
        return []
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ResourceVersion)
        .where(
            ResourceVersion.status == VersionStatus.IN_REVIEW,
            sa.or_(ResourceVersion.translator_id.is_(None), ResourceVersion.translator_id != user.id),
        )
    )
    return [
        WorkItem(
            label=_("Translations to review"),
            count=count or 0,
            url=url_for("library.board", status=VersionStatus.IN_REVIEW.value),
            area=_("Library"),
        )
    ]
