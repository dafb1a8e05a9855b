"""What trainings offer the kernel's registries: suggestions of trainings for weak safeguards principles,
and staff's work (disseminator reports to check) for ``consortium.worklist``.

(The personal-data keeper for ``consortium.personal_data`` lives in ``privacy.py``.)
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import url_for

from consortium.db import db, utcnow
from consortium.i18n import current_language
from consortium.i18n import lazy_gettext as _l
from consortium.permissions import Permission, can
from consortium.suggestions import Suggestion
from consortium.worklist import WorkItem
from trainings.models import ReportStatus, Training, TrainingState
from trainings.services.dissemination import reports_to_check

AREA = _l("Trainings")


def suggest(codes: Iterable[str], limit: int) -> list[Suggestion]:
    """Upcoming published trainings that address the given safeguards principles."""
    codes = [code for code in codes if code]
    if not codes:
        return []
    now = utcnow()
    query = (
        sa.select(Training)
        .where(Training.state == TrainingState.PUBLISHED, Training.starts_at > now)
        .where(sa.or_(*(sa.cast(Training.principles, sa.String).like(f'%"{code}"%') for code in codes)))
        .order_by(Training.starts_at)
        .limit(limit)
    )
    language = current_language()
    suggestions = []
    for training in db.session.scalars(query):
        title, _lang = training.text("title", language)
        suggestions.append(
            Suggestion(
                kind="training",
                title=title,
                url=url_for("trainings.detail", training_id=training.id),
                principles=tuple(code for code in training.principles if code in codes),
                detail=training.modality.label,
            )
        )
    return suggestions


def work_for(user) -> list[WorkItem]:
    """Staff check disseminator reports that are neither verified nor rejected."""
    if not can(Permission.TRAININGS_MANAGE, user=user):
        return []
    return [
        WorkItem(
            label=str(_l("Reports to check")),
            count=reports_to_check(),
            url=url_for("trainings.reports", status=ReportStatus.PENDING.value),
            area=str(AREA),
        )
    ]
