"""Independent reviewers of a roadmap (CSOs, academia) and their ratings of its actions.

Staff or the pilot's lead name a reviewer for one of their organisations; that organisation is shown
beside the ratings (never the e-mail) and its own actions are not theirs to rate. The person is told by
e-mail, in their language, when named and when removed (sent once the action commits). A reviewer holds one
current rating per action: rating again replaces it. Rating locks the action's row and looks for the
reviewer's rating inside the lock, so two ratings sent at once (two tabs, a resent form) make one row.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from consortium import text, transaction
from consortium.db import db, utcnow
from consortium.i18n import lazy_gettext as _l
from consortium.i18n import normalise_language
from consortium.mail import public_url, queue_email
from consortium.organisations.models import Membership, Organisation
from consortium.signals import state_changed
from consortium.users.models import User
from consortium.users.services import find_user
from safeguards.models import TeamRole
from safeguards.roadmap.actions import ActionStateConflict, InvalidAction
from safeguards.roadmap.models import (
    COMPLETION,
    RESULTS,
    Action,
    ActionRating,
    ActionState,
    Roadmap,
    RoadmapReviewer,
)

MAX_JUSTIFICATION = 1000
#: a proposed action has nothing to rate yet
RATEABLE = frozenset(set(ActionState) - {ActionState.PROPOSED})
#: the subject names no user text (mail headers never carry it)
SUBJECTS = {
    "named": _l("You were named an independent reviewer of a roadmap"),
    "removed": _l("You no longer review a roadmap"),
}


def reviewer_of(roadmap_id: int, user) -> RoadmapReviewer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(RoadmapReviewer).where(
            RoadmapReviewer.roadmap_id == roadmap_id, RoadmapReviewer.user_id == user.id
        )
    )


def reviewers(roadmap: Roadmap) -> list[RoadmapReviewer]:
    return list(
        db.session.scalars(
            sa.select(RoadmapReviewer)
            .where(RoadmapReviewer.roadmap_id == roadmap.id)
            .options(joinedload(RoadmapReviewer.user), joinedload(RoadmapReviewer.organisation))
            .order_by(RoadmapReviewer.id)
        )
    )


def owner_ids(action: Action) -> set[int]:
    return {action.owner_id, *(o.id for o in action.co_owners)}


def organisations_of(user_id: int) -> set[int]:
    return set(db.session.scalars(sa.select(Membership.organisation_id).where(Membership.user_id == user_id)))


def is_own_action(reviewer: RoadmapReviewer, action: Action) -> bool:
    """The reviewer's organisation (the named one, or any they belong to) owns or co-owns the action."""
    return bool(owner_ids(action) & ({reviewer.organisation_id} | organisations_of(reviewer.user_id)))


def _tell(person: User, roadmap: Roadmap, kind: str) -> None:
    queue_email(
        person.email,
        "safeguards_roadmap_reviewer",
        SUBJECTS[kind],
        to_name=person.name,
        locale=normalise_language(person.locale) or current_app.config["BABEL_DEFAULT_LOCALE"],
        kind=kind,
        pilot=roadmap.assessment.pilot.title,
        cycle=roadmap.assessment.cycle,
        url=public_url("safeguards.roadmap", roadmap_id=roadmap.id),
    )


def name_reviewer(
    roadmap: Roadmap, email: str, organisation_id: int, *, by=None, notify: bool = True
) -> RoadmapReviewer:
    """Name the person with ``email`` an independent reviewer for ``organisation_id`` (one of theirs), and
    tell them by e-mail (``notify=False`` for the demo, whose people have no real address)."""
    person = find_user(email)
    if person is None or not person.is_active:
        raise InvalidAction({"email": _l("Nobody has an account with that e-mail address.")})
    if db.session.get(Organisation, organisation_id) is None or organisation_id not in organisations_of(
        person.id
    ):
        raise InvalidAction({"organisation": _l("Choose an organisation this person belongs to.")})
    if roadmap.assessment.pilot.role_of(person) in (TeamRole.LEAD, TeamRole.CONTRIBUTOR):
        raise InvalidAction({"email": _l("The pilot's team cannot review its own roadmap.")})
    transaction.lock(Roadmap, roadmap.id)  # two namings of one person at once make one reviewer
    if reviewer_of(roadmap.id, person) is not None:
        raise InvalidAction({"email": _l("This person already reviews the roadmap.")})
    reviewer = RoadmapReviewer(
        roadmap_id=roadmap.id, user_id=person.id, organisation_id=organisation_id, added_by_id=by and by.id
    )
    db.session.add(reviewer)
    db.session.flush()
    state_changed.send(roadmap, action="safeguards.roadmap_reviewer_named", by=by, summary=person.name)
    if notify:
        _tell(person, roadmap, "named")
    return reviewer


def remove_reviewer(reviewer: RoadmapReviewer, *, by=None) -> None:
    """The person no longer reviews; their ratings stay, as what they said then."""
    roadmap = db.session.get(Roadmap, reviewer.roadmap_id)
    person = db.session.get(User, reviewer.user_id)
    db.session.delete(reviewer)
    db.session.flush()
    state_changed.send(roadmap, action="safeguards.roadmap_reviewer_removed", by=by, summary=person.name)
    _tell(person, roadmap, "removed")


def _problems(completion: int | None, results: int | None, justification: str) -> dict[str, str]:
    errors = {}
    if completion not in COMPLETION:
        errors["completion"] = _l("Choose how complete the action is.")
    if results not in RESULTS:
        errors["results"] = _l("Choose what the action achieved so far.")
    if not justification:
        errors["justification"] = _l("Say briefly what the rating rests on.")
    elif len(justification) > MAX_JUSTIFICATION or not text.is_plain_text(justification):
        errors["justification"] = _l("Keep this under %(n)s characters.", n=MAX_JUSTIFICATION)
    return errors


def rate(
    action: Action, completion: int | None, results: int | None, justification: str, *, by
) -> ActionRating:
    """Record ``by``'s current rating of ``action`` (replacing theirs); ``InvalidAction`` for bad values
    or an action their organisation owns, ``ActionStateConflict`` while the action is only proposed."""
    justification = (justification or "").replace("\r\n", "\n").strip()
    errors = _problems(completion, results, justification)
    if errors:
        raise InvalidAction(errors)
    action = transaction.lock(Action, action.id)
    reviewer = reviewer_of(action.roadmap_id, by)
    if reviewer is None:
        raise InvalidAction(
            {"justification": _l("Only the roadmap's independent reviewers rate its actions.")}
        )
    if is_own_action(reviewer, action):
        raise InvalidAction({"justification": _l("Your organisation owns this action: others rate it.")})
    if action.state not in RATEABLE:
        raise ActionStateConflict(action.state)
    rating = db.session.scalar(
        sa.select(ActionRating).where(ActionRating.action_id == action.id, ActionRating.reviewer_id == by.id)
    )
    if rating is None:
        rating = ActionRating(action_id=action.id, reviewer_id=by.id)
        db.session.add(rating)
    rating.organisation_id = reviewer.organisation_id
    rating.completion, rating.results, rating.justification = completion, results, justification
    rating.action_state, rating.updated_at = action.state, utcnow()
    db.session.flush()
    state_changed.send(
        action,
        action="safeguards.action_rated",
        by=by,
        summary=f"completion {completion}/4, early results {results}/4",  # stored untranslated
        note=justification,
    )
    return rating


def ratings_of(action_ids) -> dict[int, list[ActionRating]]:
    """The current ratings of these actions, by action id, with the reviewers' organisations (one query)."""
    grouped: dict[int, list[ActionRating]] = {}
    ids = list(action_ids)
    if not ids:
        return grouped
    for rating in db.session.scalars(
        sa.select(ActionRating)
        .where(ActionRating.action_id.in_(ids))
        .options(joinedload(ActionRating.organisation))
        .order_by(ActionRating.updated_at.desc(), ActionRating.id)
    ):
        grouped.setdefault(rating.action_id, []).append(rating)
    return grouped
