"""Creating and editing spaces, and moving them through their states (draft, active, paused, archived)."""

from __future__ import annotations

import sqlalchemy as sa

from consortium import transaction
from consortium.db import db, utcnow
from consortium.governance.models import (
    SPACE_TRANSITIONS,
    Consultation,
    ConsultationState,
    LifecycleStage,
    Space,
    SpaceScope,
    SpaceState,
)
from consortium.governance.services.errors import InvalidTransition, SlugTaken
from consortium.i18n import lazy_gettext as _l
from consortium.signals import state_changed

EDITABLE = (
    "title",
    "charter",
    "scope",
    "system_id",
    "countries",
    "languages",
    "stage",
    "is_public",
    "timezone",
)


def _texts(values: dict[str, str]) -> dict[str, str]:
    return {code: text.strip() for code, text in values.items() if text and text.strip()}


def create_space(
    *,
    by,
    slug: str,
    title: dict[str, str],
    charter: dict[str, str],
    system_id: int,
    stage: LifecycleStage,
    scope: SpaceScope = SpaceScope.SYSTEM,
    countries: list[str] = (),
    languages: list[str] = (),
    is_public: bool = True,
    timezone: str = "UTC",
) -> Space:
    space = Space(
        slug=slug,
        title=_texts(title),
        charter=_texts(charter),
        system_id=system_id,
        stage=stage,
        scope=scope,
        countries=list(countries),
        languages=list(languages) or ["es"],
        is_public=is_public,
        timezone=timezone,
        created_by_id=by.id if by else None,
    )
    try:
        # the unique address decides, also between two people creating the same space at once
        with db.session.begin_nested():
            db.session.add(space)
    except sa.exc.IntegrityError:
        raise SlugTaken() from None
    return space


def update_space(space: Space, **fields) -> Space:
    """Save an edit; a concurrent one raises StaleDataError at the flush (``Space`` is versioned)."""
    for name, value in fields.items():
        if name not in EDITABLE:
            raise TypeError(name)
        setattr(space, name, _texts(value) if name in ("title", "charter") else value)
    db.session.flush()
    return space


#: a scheduled consultation would open by itself in an archived space
OPEN_OR_SCHEDULED = (ConsultationState.OPEN, ConsultationState.SCHEDULED)


def _has_open_consultation(space: Space) -> bool:
    return db.session.scalar(
        sa.select(
            sa.exists().where(Consultation.space_id == space.id, Consultation.state.in_(OPEN_OR_SCHEDULED))
        )
    )


def change_state(space: Space, to: SpaceState, *, by) -> Space:
    """Move the space to ``to`` if its state *now*, read inside the row lock, allows it."""
    space = transaction.lock(Space, space.id)
    if to not in SPACE_TRANSITIONS[space.state]:
        raise InvalidTransition()
    if to is SpaceState.ARCHIVED and _has_open_consultation(space):
        # nobody could answer or close it any more; opening one locks this row too, so no race
        raise InvalidTransition(_l("Close the space's open consultations before archiving it."))
    before = space.state
    space.state = to
    space.state_changed_at = utcnow()
    db.session.flush()
    state_changed.send(
        space,
        action=f"governance.space_{to.value}",
        by=by,
        summary=f"{space.slug}: {before.value} → {to.value}",
    )
    return space
