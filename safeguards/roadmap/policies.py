"""Who sees and changes a roadmap and its actions, answered through the kernel's one permission layer.

- the pilot's team (lead, contributors) and its reviewers see the working roadmap; staff see every one;
- the team plans (SAFEGUARDS_ASSESS) while the roadmap is editable; staff validate
  (SAFEGUARDS_ROADMAP_VALIDATE, by role);
- an action's owners (members of its owner or co-owner organisations) and the pilot's lead move it along
  its states (SAFEGUARDS_ROADMAP_TRACK);
- the roadmap's independent reviewers see it and rate its actions, except those their organisation owns
  (SAFEGUARDS_ROADMAP_RATE); staff and the pilot's lead name them (``may_name_reviewers``);
- everyone sees the public page once the assessment is published and a version was validated;
- the API's list of pilots follows the same rules as SQL (``visible_pilots``): a public roadmap, the
  caller's team or review, or staff.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload

from consortium.db import db
from consortium.permissions import Permission, can, role_grants
from safeguards.models import Assessment, AssessmentState, Pilot, PilotMember, TeamRole
from safeguards.roadmap import reviews
from safeguards.roadmap.models import Action, Roadmap, RoadmapReviewer, RoadmapState


def roadmap_policy(user, permission: Permission, roadmap: Roadmap) -> bool:
    role = roadmap.assessment.pilot.role_of(user)
    if permission is Permission.SAFEGUARDS_VIEW:
        return (
            role is not None
            or role_grants(user, Permission.SAFEGUARDS_MANAGE)
            or reviews.reviewer_of(roadmap.id, user) is not None
        )
    if permission is Permission.SAFEGUARDS_ASSESS:
        return role in (TeamRole.LEAD, TeamRole.CONTRIBUTOR)
    return False


def _owner_ids(action: Action) -> set[int]:
    return {action.owner_id, *(o.id for o in action.co_owners)}


def action_policy(user, permission: Permission, action: Action) -> bool:
    roadmap = action.roadmap
    if permission is Permission.SAFEGUARDS_ROADMAP_TRACK:
        if not getattr(user, "is_authenticated", False):
            return False
        if roadmap.assessment.pilot.role_of(user) is TeamRole.LEAD:
            return True
        return bool(_owner_ids(action) & {m.organisation_id for m in user.memberships})
    if permission is Permission.SAFEGUARDS_ROADMAP_RATE:
        reviewer = reviews.reviewer_of(roadmap.id, user)
        return reviewer is not None and not reviews.is_own_action(reviewer, action)
    return roadmap_policy(user, permission, roadmap)


def _with_pilot(loader=joinedload):
    """Loader options for a roadmap, or through ``loader`` for what leads to it, with its assessment,
    pilot, system and framework version in the same query: every roadmap page and policy reads them (the
    version: ``framework.index`` checks it before taking the worker's index)."""
    return (
        loader(Roadmap.assessment).options(
            joinedload(Assessment.pilot).joinedload(Pilot.system), joinedload(Assessment.framework)
        ),
    )


def roadmap_or_404(roadmap_id: int, user) -> Roadmap:
    roadmap = db.session.get(Roadmap, roadmap_id, options=_with_pilot())
    if roadmap is None or not can(Permission.SAFEGUARDS_VIEW, roadmap, user=user):
        abort(404)
    return roadmap


def public_roadmap_or_404(roadmap_id: int) -> Roadmap:
    """The roadmap for the public tracker and its open data, or 404 until it is public."""
    roadmap = db.session.get(Roadmap, roadmap_id, options=_with_pilot())
    if roadmap is None or not is_public(roadmap):
        abort(404)
    return roadmap


def action_or_404(action_id: int, user) -> Action:
    action = db.session.get(Action, action_id, options=_with_pilot(joinedload(Action.roadmap).joinedload))
    if action is None or not (
        can(Permission.SAFEGUARDS_VIEW, action, user=user)
        or can(Permission.SAFEGUARDS_ROADMAP_TRACK, action, user=user)
    ):
        abort(404)
    return action


def is_planner(user, roadmap: Roadmap) -> bool:
    """The pilot's team, who plan the roadmap whenever it is editable."""
    return can(Permission.SAFEGUARDS_ASSESS, roadmap, user=user)


def may_plan(user, roadmap: Roadmap) -> bool:
    return roadmap.is_editable and is_planner(user, roadmap)


def may_validate(user, roadmap: Roadmap) -> bool:
    return roadmap.is_editable and can(Permission.SAFEGUARDS_ROADMAP_VALIDATE, roadmap, user=user)


def may_track(user, action: Action) -> bool:
    return can(Permission.SAFEGUARDS_ROADMAP_TRACK, action, user=user)


def may_rate(user, action: Action) -> bool:
    """Only a named reviewer, on an action past "proposed" that their organisation does not own."""
    return (
        action.state in reviews.RATEABLE
        and reviews.reviewer_of(action.roadmap_id, user) is not None
        and can(Permission.SAFEGUARDS_ROADMAP_RATE, action, user=user)
    )


def may_name_reviewers(user, roadmap: Roadmap) -> bool:
    """Staff (who manage pilots) or the pilot's lead."""
    return getattr(user, "is_authenticated", False) and (
        role_grants(user, Permission.SAFEGUARDS_MANAGE)
        or roadmap.assessment.pilot.role_of(user) is TeamRole.LEAD
    )


def is_public(roadmap: Roadmap) -> bool:
    """The public tracker: the assessment is published and some version of the roadmap was validated."""
    return roadmap.assessment.state is AssessmentState.PUBLISHED and roadmap.has_validated_version


def _public_roadmaps() -> sa.ColumnElement[bool]:
    """``is_public`` as a WHERE clause on ``Roadmap`` (joined to its assessment)."""
    return sa.and_(
        Assessment.state == AssessmentState.PUBLISHED,
        sa.or_(Roadmap.number > 1, Roadmap.state == RoadmapState.VALIDATED),
    )


def visible_pilots(user) -> sa.ColumnElement[bool]:
    """The pilots ``user`` may list: staff all; others those with a public roadmap, and signed-in people
    also the pilots whose team they are on or whose roadmap they review."""
    if role_grants(user, Permission.SAFEGUARDS_MANAGE):
        return sa.true()
    public_roadmap = (
        sa.select(Roadmap.id)
        .join(Assessment, Assessment.id == Roadmap.assessment_id)
        .where(Roadmap.pilot_id == Pilot.id, _public_roadmaps())
        .exists()
    )
    if not getattr(user, "is_authenticated", False):
        return public_roadmap
    on_team = Pilot.id.in_(sa.select(PilotMember.pilot_id).where(PilotMember.user_id == user.id))
    reviewing = Pilot.id.in_(
        sa.select(Roadmap.pilot_id)
        .join(RoadmapReviewer, RoadmapReviewer.roadmap_id == Roadmap.id)
        .where(RoadmapReviewer.user_id == user.id)
    )
    return sa.or_(public_roadmap, on_team, reviewing)


def pilot_roadmap_or_404(pilot_id: int, user) -> tuple[Roadmap, bool]:
    """The pilot's latest roadmap ``user`` may read, and whether they read only its public version
    (the last validated one); 404 when there is none for them."""
    found = db.session.scalars(
        sa.select(Roadmap)
        .join(Assessment, Assessment.id == Roadmap.assessment_id)
        .where(Roadmap.pilot_id == pilot_id)
        .order_by(Assessment.cycle.desc(), Roadmap.id.desc())
    ).all()
    for roadmap in found:
        if can(Permission.SAFEGUARDS_VIEW, roadmap, user=user):
            return roadmap, False
        if is_public(roadmap):
            return roadmap, True
    abort(404)
