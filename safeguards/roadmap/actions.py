"""Actions under the priorities, their milestones and their states.

Planning an action (its texts, codes, owners, dates and milestones) is the team's while the roadmap is
editable (``planning.lock_editable``). Its state is tracking: owners move it along ``TRANSITIONS``
after validation, each change locking the action's row and checking the state inside the lock, so of
two people (or a person and the automatic run) changing it at once, the second sees what the first did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from consortium import text, transaction
from consortium.db import db, utcnow
from consortium.i18n import LANGUAGES
from consortium.i18n import lazy_gettext as _l
from consortium.organisations.models import Organisation
from consortium.signals import state_changed
from safeguards import framework as fw
from safeguards import services
from safeguards.roadmap.models import (
    MAY_BE_DELAYED,
    TRANSITIONS,
    Action,
    ActionState,
    Milestone,
    Priority,
    Roadmap,
)
from safeguards.roadmap.planning import lock_editable
from safeguards.services import SafeguardsError

MAX_TITLE = 300
MAX_TEXT = 5000
MAX_REASON = 2000
MAX_MILESTONES = 20


class InvalidAction(SafeguardsError):
    """Errors by field name."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("invalid action")
        self.errors = errors


class StaleAction(SafeguardsError):
    """Someone saved the action after the version the edit was based on."""

    def __init__(self, current: Action):
        super().__init__("stale action")
        self.current = current


class ActionStateConflict(SafeguardsError):
    """The action is no longer in a state from which this change is allowed (someone changed it first)."""

    def __init__(self, state: ActionState):
        super().__init__(state.value)
        self.state = state


@dataclass
class ActionInput:
    title: dict[str, str]
    description: dict[str, str]
    authority: str
    owner_id: int
    co_owner_ids: list[int] = field(default_factory=list)
    processes: list[str] = field(default_factory=list)
    principles: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    starts_on: date | None = None
    due_on: date | None = None
    measurable_outcome: str = ""
    is_verifiable: bool = False


def _texts(values: dict[str, str]) -> dict[str, str]:
    return {lang: cleaned for lang in LANGUAGES if (cleaned := (values.get(lang) or "").strip())}


def _check_codes(roadmap: Roadmap, data: ActionInput) -> dict[str, str]:
    """The framework codes the form offers (the assessment's in-scope processes, the framework's principles,
    risks and authorities), checked again here for callers without the form (the API)."""
    idx = fw.index(roadmap.assessment.framework_id)
    errors = {}
    if data.authority not in {a.code for a in idx.authorities}:
        errors["authority"] = _l("Choose the responsible authority.")
    in_scope = {i.process.code for i in services.items(roadmap.assessment, idx) if i.in_scope}
    for name, known in (
        ("processes", in_scope),
        ("principles", set(idx.principle_codes)),
        ("risks", set(idx.risk_codes)),
    ):
        if set(getattr(data, name)) - known:
            errors[name] = _l("Choose from the framework's codes offered.")
    co_owners = set(data.co_owner_ids)
    if co_owners and len(
        db.session.scalars(sa.select(Organisation.id).where(Organisation.id.in_(co_owners))).all()
    ) != len(co_owners):
        errors["co_owners"] = _l("Choose co-owners among the organisations listed.")
    return errors


def _check(data: ActionInput, roadmap: Roadmap) -> dict[str, str]:
    errors = _check_codes(roadmap, data)
    if not _texts(data.title):
        errors["title_es"] = _l("Give the action a title in at least one language.")
    if data.starts_on and data.due_on and data.due_on < data.starts_on:
        errors["due_on"] = _l("The due date comes before the start date.")
    if db.session.get(Organisation, data.owner_id) is None:
        errors["owner"] = _l("Choose the organisation that owns the action.")
    return errors


def _apply(action: Action, data: ActionInput) -> None:
    action.title = _texts(data.title)
    action.description = {k: v.replace("\r\n", "\n") for k, v in _texts(data.description).items()}
    action.authority = data.authority
    action.owner_id = data.owner_id
    co_owners = [i for i in dict.fromkeys(data.co_owner_ids) if i != data.owner_id]
    action.co_owners = (
        list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(co_owners))))
        if co_owners
        else []
    )
    action.processes, action.principles, action.risks = (
        sorted(set(data.processes)),
        sorted(set(data.principles)),
        sorted(set(data.risks)),
    )
    action.starts_on, action.due_on = data.starts_on, data.due_on
    action.measurable_outcome = data.measurable_outcome.replace("\r\n", "\n").strip()
    action.is_verifiable = data.is_verifiable


def create(priority: Priority, data: ActionInput, *, by=None) -> Action:
    """A proposed action under ``priority`` (which must be chosen), while the roadmap is editable."""
    roadmap = lock_editable(priority.roadmap_id)
    db.session.refresh(priority)
    errors = _check(data, roadmap)
    if not priority.is_selected:
        errors["priority"] = _l("Choose the item as a priority first.")
    if errors:
        raise InvalidAction(errors)
    action = Action(roadmap_id=priority.roadmap_id, priority_id=priority.id)
    _apply(action, data)
    db.session.add(action)
    db.session.flush()
    state_changed.send(action, action="safeguards.action_proposed", by=by, summary=_summary(action))
    return action


def update(action: Action, data: ActionInput, *, expected_version: int, by=None) -> Action:
    """Change the action's plan; ``StaleAction`` when someone saved it after ``expected_version``."""
    roadmap = lock_editable(action.roadmap_id)
    action = transaction.lock(Action, action.id)
    if action.version != expected_version:
        raise StaleAction(action)
    errors = _check(data, roadmap)
    if errors:
        raise InvalidAction(errors)
    _apply(action, data)
    db.session.flush()
    state_changed.send(action, action="safeguards.action_edited", by=by, summary=_summary(action))
    return action


def remove(action: Action, *, by=None) -> None:
    """Remove a proposed action (validated ones are dropped, with a reason, instead)."""
    lock_editable(action.roadmap_id)
    action = transaction.lock(Action, action.id)
    if action.state is not ActionState.PROPOSED:
        raise ActionStateConflict(action.state)
    summary = _summary(action)
    db.session.delete(action)
    db.session.flush()
    state_changed.send(action, action="safeguards.action_removed", by=by, summary=summary)


def add_milestone(action: Action, title: str, due_on: date | None, *, by=None) -> Milestone:
    lock_editable(action.roadmap_id)
    title = (title or "").strip()
    if not title or len(title) > MAX_TITLE or not text.is_single_line(title):
        raise InvalidAction({"title": _l("Give the milestone a title of one line.")})
    if len(action.milestones) >= MAX_MILESTONES:
        raise InvalidAction({"title": _l("An action holds at most %(n)s milestones.", n=MAX_MILESTONES)})
    milestone = Milestone(action_id=action.id, title=title, due_on=due_on)
    db.session.add(milestone)
    db.session.flush()
    state_changed.send(action, action="safeguards.milestone_added", by=by, summary=title)
    return milestone


def set_milestone_done(milestone: Milestone, done: bool, *, by=None) -> bool:
    """An owner ticks a milestone off (or opens it again); False when it already was (a resent form)."""
    action = transaction.lock(Action, milestone.action_id)
    if action.state in (ActionState.PROPOSED, ActionState.COMPLETED, ActionState.DROPPED):
        raise ActionStateConflict(action.state)
    db.session.refresh(milestone)
    if milestone.is_done == done:
        return False
    milestone.is_done, milestone.done_at = done, utcnow() if done else None
    db.session.flush()
    state_changed.send(
        action,
        action="safeguards.milestone_done" if done else "safeguards.milestone_reopened",
        by=by,
        summary=milestone.title,
    )
    return True


def _summary(action: Action) -> str:
    return next(iter(action.title.values()), "")[:200]


def move(action: Action, to: ActionState, *, by, reason: str = "") -> None:
    """Move a locked action whose state was checked to ``to``, and record it."""
    before = action.state
    action.state, action.state_changed_at = to, utcnow()
    if to is ActionState.DROPPED:
        action.drop_reason = reason
    db.session.flush()
    state_changed.send(
        action,
        action=f"safeguards.action_{to.value}",
        by=by,
        summary=f"{_summary(action)}: {before.value} → {to.value}",
        note=reason,
    )


def change_state(
    action: Action, to: ActionState, *, expected: ActionState, reason: str = "", by=None
) -> None:
    """Move the action from ``expected`` (the state the page showed) to ``to``.

    Raises ``ActionStateConflict`` when it is in another state now (someone moved it meanwhile) or
    ``to`` is not reachable from it, ``InvalidAction`` for a drop without a reason.
    """
    reason = (reason or "").replace("\r\n", "\n").strip()
    if to is ActionState.DROPPED:
        if not reason:
            raise InvalidAction(
                {"reason": _l("Say why the action is dropped: the reason is shown publicly.")}
            )
        if len(reason) > MAX_REASON or not text.is_plain_text(reason):
            raise InvalidAction({"reason": _l("Keep this under %(n)s characters.", n=MAX_REASON)})
    action = transaction.lock(Action, action.id)
    if action.state is not expected or to not in TRANSITIONS[action.state]:
        raise ActionStateConflict(action.state)
    move(action, to, by=by, reason=reason)


def _overdue(today: date):
    has_open = (
        sa.select(Milestone.id).where(Milestone.action_id == Action.id, Milestone.is_done.is_(False)).exists()
    )
    return sa.and_(Action.state.in_(MAY_BE_DELAYED), Action.due_on < today, has_open)


def mark_delayed(today: date) -> list[Action]:
    """Actions whose due date passed with milestones open become "delayed"; returns them.

    Each is locked and checked again, so an owner completing it at the same moment wins or waits.
    """
    moved = []
    for action_id in db.session.scalars(
        sa.select(Action.id).where(_overdue(today)).order_by(Action.id)
    ).all():
        action = transaction.lock(Action, action_id)
        still = db.session.scalar(sa.select(Action.id).where(Action.id == action_id, _overdue(today)))
        if still is None:
            continue
        move(action, ActionState.DELAYED, by=None)
        moved.append(action)
    return moved
