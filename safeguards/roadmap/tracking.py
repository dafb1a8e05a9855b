"""Progress updates: an action's owners report what happened, with links or a file, and may move its state.

Posting locks the action (as every state change does) and checks its state inside the lock; the file is
checked by its bytes (``consortium.filetypes``) and stored through ``consortium.storage``, and its bytes
go away again if the action rolls back.
"""

from __future__ import annotations

import io
from typing import IO

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal
from sqlalchemy.orm import joinedload

from consortium import filetypes, storage, text, transaction
from consortium.db import db
from consortium.i18n import lazy_gettext as _l
from consortium.signals import state_changed
from safeguards.evidence import KINDS, WRONG_TYPE, max_bytes
from safeguards.roadmap.actions import ActionStateConflict, InvalidAction, move
from safeguards.roadmap.models import TRANSITIONS, Action, ActionState, ProgressUpdate

MAX_NARRATIVE = 5000
#: an update reports on work under way: not before validation, not once closed
OPEN = frozenset({ActionState.VALIDATED, ActionState.IN_PROGRESS, ActionState.DELAYED, ActionState.AT_RISK})


def _problems(narrative: str, links: str) -> dict[str, str]:
    errors = {}
    if not narrative:
        errors["narrative"] = _l("Say what happened since the last update.")
    elif len(narrative) > MAX_NARRATIVE or not text.is_plain_text(narrative):
        errors["narrative"] = _l("Keep this under %(n)s characters.", n=MAX_NARRATIVE)
    wrong = next((link for link in text.links_in(links) if not text.is_link(link)), None)
    if wrong is not None:
        errors["links"] = text.LINKS_ERROR % {"link": wrong[:80]}
    return errors


def _check_file(stream: IO[bytes]) -> str:
    size = stream.seek(0, io.SEEK_END)
    if size > max_bytes():
        mb = format_decimal(current_app.config["SAFEGUARDS_EVIDENCE_MAX_MB"])
        raise InvalidAction({"file": _l("The file is larger than %(mb)s MB.", mb=mb)})
    if size == 0:
        raise InvalidAction({"file": _l("The file is empty.")})
    kind = filetypes.sniff(stream, KINDS)
    if kind is None:
        raise InvalidAction({"file": WRONG_TYPE})
    stream.seek(0)
    return kind


def post_update(
    action: Action,
    narrative: str,
    *,
    links: str = "",
    to: ActionState | None = None,
    expected: ActionState,
    upload: tuple[IO[bytes], str] | None = None,
    by=None,
) -> ProgressUpdate:
    """Add an update to ``action``; with ``to``, move it there from ``expected`` (the state the page showed).

    Raises ``InvalidAction`` for a missing narrative, a wrong link or file, ``ActionStateConflict`` when
    the action is not open for updates or moved since the page was read.
    """
    narrative = (narrative or "").replace("\r\n", "\n").strip()
    links = (links or "").replace("\r\n", "\n").strip()
    errors = _problems(narrative, links)
    if to is ActionState.DROPPED:
        errors["to"] = _l('Drop an action with its reason, under "Change the state".')
    if errors:
        raise InvalidAction(errors)
    kind = _check_file(upload[0]) if upload else None
    action = transaction.lock(Action, action.id)
    if action.state is not expected or action.state not in OPEN:
        raise ActionStateConflict(action.state)
    if to is not None and to is not action.state:
        if to not in TRANSITIONS[action.state]:
            raise ActionStateConflict(action.state)
        move(action, to, by=by)
    stored = None
    if upload is not None:
        stream, filename = upload
        name = filetypes.download_name(filename, kind, "progress")
        stored = storage.save(stream, name, filetypes.CONTENT_TYPES[kind])
    update = ProgressUpdate(
        action_id=action.id,
        author_id=getattr(by, "id", None),
        state=action.state,
        narrative=narrative,
        links=links,
        file=stored,
    )
    db.session.add(update)
    db.session.flush()
    state_changed.send(action, action="safeguards.action_update_posted", by=by, summary=narrative[:200])
    return update


def updates_of(action: Action) -> list[ProgressUpdate]:
    """The action's updates, newest first, with their files and authors (one query)."""
    return list(
        db.session.scalars(
            sa.select(ProgressUpdate)
            .where(ProgressUpdate.action_id == action.id)
            .options(joinedload(ProgressUpdate.file), joinedload(ProgressUpdate.author))
            .order_by(ProgressUpdate.id.desc())
        )
    )


def latest_by_action(roadmap_id: int) -> dict[int, ProgressUpdate]:
    """Each action's last update, by action id, for the public tracker (one query)."""
    last = (
        sa.select(sa.func.max(ProgressUpdate.id))
        .join(Action, Action.id == ProgressUpdate.action_id)
        .where(Action.roadmap_id == roadmap_id)
        .group_by(ProgressUpdate.action_id)
    )
    rows = db.session.scalars(
        sa.select(ProgressUpdate).where(ProgressUpdate.id.in_(last)).options(joinedload(ProgressUpdate.file))
    )
    return {update.action_id: update for update in rows}
