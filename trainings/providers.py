"""What trainings offer the kernel's registries: suggestions of trainings for weak safeguards principles.

(The personal-data keeper for ``consortium.personal_data`` lives in ``privacy.py``.)
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import url_for

from consortium.db import db, utcnow
from consortium.i18n import current_language
from consortium.suggestions import Suggestion
from trainings.models import Training, TrainingState


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
