"""Reminders to an action's owners: a week before its due date, and after 30 days without an update.

They go to the admins of the owner organisation, in each one's language, once per action and kind:
one atomic UPDATE claims the reminder (``claim_reminder_once``), so two runs at once (two hosts, a
timer and a person) never send it twice. The subject names no user text (mail headers never carry it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.i18n import localised, normalise_language
from consortium.mail import public_url, queue_email
from consortium.organisations.models import Membership, OrganisationRole
from consortium.signals import state_changed
from consortium.users.models import User
from safeguards.roadmap.models import Action, ActionState, ProgressUpdate, Roadmap
from safeguards.roadmap.tracking import OPEN

DUE_AHEAD = timedelta(days=7)
QUIET_FOR = timedelta(days=30)
#: a delayed action is past its due date already: only the missing updates are reminded
DUE_STATES = frozenset({ActionState.VALIDATED, ActionState.IN_PROGRESS, ActionState.AT_RISK})
SUBJECTS = {
    "due": _l("A roadmap action you own is due within a week"),
    "quiet": _l("A roadmap action you own has had no update for 30 days"),
}


def _columns():
    return {"due": Action.due_reminder_at, "quiet": Action.quiet_reminder_at}


def claim_reminder_once(action_id: int, column, now: datetime) -> bool:
    """Set the action's reminder ``column`` if nobody has yet; True for the one run that did."""
    return bool(
        db.session.execute(
            sa.update(Action)
            .where(Action.id == action_id, column.is_(None))
            .values({column: now})
            .execution_options(synchronize_session=False)
        ).rowcount
    )


def due_soon(now: datetime) -> list[int]:
    today = now.date()
    return list(
        db.session.scalars(
            sa.select(Action.id)
            .where(
                Action.state.in_(DUE_STATES),
                Action.due_reminder_at.is_(None),
                Action.due_on >= today,
                Action.due_on <= today + DUE_AHEAD,
            )
            .order_by(Action.id)
        )
    )


def quiet(now: datetime) -> list[int]:
    """Open actions with no update (and no state change) in the last 30 days."""
    since = now - QUIET_FOR
    recent = sa.select(ProgressUpdate.id).where(
        ProgressUpdate.action_id == Action.id, ProgressUpdate.created_at > since
    )
    return list(
        db.session.scalars(
            sa.select(Action.id)
            .where(
                Action.state.in_(OPEN),
                Action.quiet_reminder_at.is_(None),
                Action.state_changed_at <= since,
                ~recent.exists(),
            )
            .order_by(Action.id)
        )
    )


def admins_of(organisation_id: int) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organisation_id == organisation_id,
                Membership.role == OrganisationRole.ADMIN,
                User.is_active.is_(True),
            )
            .order_by(User.id)
        )
    )


def _remind(action: Action, kind: str) -> int:
    roadmap = db.session.get(Roadmap, action.roadmap_id)
    url = public_url("safeguards.action", action_id=action.id)
    sent = 0
    for person in admins_of(action.owner_id):
        language = normalise_language(person.locale) or current_app.config["BABEL_DEFAULT_LOCALE"]
        queue_email(
            person.email,
            "safeguards_roadmap_reminder",
            SUBJECTS[kind],
            to_name=person.name,
            locale=language,
            kind=kind,
            title=localised(action.title, language),
            pilot=roadmap.assessment.pilot.title,
            due_on=action.due_on,
            url=url,
        )
        sent += 1
    state_changed.send(action, action="safeguards.action_reminder_sent", by=None, summary=kind)
    return sent


def send_reminders(now: datetime | None = None) -> int:
    """Queue the reminders due now; returns how many e-mails were queued."""
    now = now or utcnow()
    sent = 0
    for kind, found in (("due", due_soon(now)), ("quiet", quiet(now))):
        for action_id in found:
            if claim_reminder_once(action_id, _columns()[kind], now):
                sent += _remind(db.session.get(Action, action_id), kind)
    return sent
