"""Per-object answers. Drafts: the pilot team, its reviewers and admins; published results and the
record of a withdrawal: everyone.
Items' threads and history: the team and its reviewers write, staff read (SAFEGUARDS_ITEMS_READ).

The per-object rules are the two policies below, registered for ``can()``; the ``is_*``/``may_*``
helpers ask ``can()`` their question. Staff hold SAFEGUARDS_MANAGE by role, a pilot's lead for that
pilot; SAFEGUARDS_REVIEW is granted per assessment, to its pilot's assigned reviewers (admins hold it
everywhere).
Who reviews is decided by holders of SAFEGUARDS_ASSIGN_REVIEWERS (admins), never by the team or the
reviewer: ``may_give_role`` and ``may_remove`` keep leads off reviewer places and everyone off their own.

Every view and API endpoint loads through ``assessment_or_404``/``pilot_or_404``, and every list of
assessments filters by ``visible_assessments``: the visibility rule as SQL, the same rule as
``assessment_policy`` answers for one object.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from consortium.permissions import Permission, can, role_grants, visible_or_404
from safeguards.item_models import Side
from safeguards.models import PUBLIC, Assessment, AssessmentState, Pilot, PilotMember, TeamRole


def pilot_policy(user, permission: Permission, pilot: Pilot) -> bool:
    role = pilot.role_of(user)
    if permission is Permission.SAFEGUARDS_VIEW:
        return role is not None or role_grants(user, Permission.SAFEGUARDS_MANAGE)
    if permission is Permission.SAFEGUARDS_ASSESS:
        return role in (TeamRole.LEAD, TeamRole.CONTRIBUTOR)
    if permission is Permission.SAFEGUARDS_MANAGE:  # staff hold it by role; a lead for their own team
        return role is TeamRole.LEAD
    return False


def assessment_policy(user, permission: Permission, assessment: Assessment) -> bool:
    role = assessment.pilot.role_of(user)
    if permission is Permission.SAFEGUARDS_VIEW:
        if assessment.state in PUBLIC or role is not None:
            return True
        # staff see approved assessments so they can publish them
        return assessment.state is AssessmentState.APPROVED and role_grants(
            user, Permission.SAFEGUARDS_MANAGE
        )
    if permission is Permission.SAFEGUARDS_ASSESS:
        return role in (TeamRole.LEAD, TeamRole.CONTRIBUTOR)
    if permission is Permission.SAFEGUARDS_REVIEW:
        return role is TeamRole.REVIEWER
    if permission in (Permission.SAFEGUARDS_DISCUSS, Permission.SAFEGUARDS_ITEMS_READ):
        return role is not None  # the team and its assigned reviewers; staff read by role
    return False


def visible_assessments(user) -> sa.ColumnElement[bool]:
    """``assessment_policy``'s SAFEGUARDS_VIEW rule as a WHERE clause, for lists of assessments."""
    published = Assessment.state.in_(PUBLIC)
    if role_grants(user, Permission.SAFEGUARDS_VIEW):
        return sa.true()
    if not (user and user.is_authenticated):
        return published
    on_team = Assessment.pilot_id.in_(sa.select(PilotMember.pilot_id).where(PilotMember.user_id == user.id))
    visible = sa.or_(published, on_team)
    if role_grants(user, Permission.SAFEGUARDS_MANAGE):
        visible = sa.or_(visible, Assessment.state == AssessmentState.APPROVED)
    return visible


def assessment_or_404(assessment_id: int) -> Assessment:
    """The assessment with its pilot, system, team and framework version (``framework.index`` checks it before
    taking the worker's index), or 404 when the user may not see it."""
    return visible_or_404(
        Assessment,
        assessment_id,
        Permission.SAFEGUARDS_VIEW,
        options=(
            joinedload(Assessment.pilot).joinedload(Pilot.system),
            joinedload(Assessment.pilot).selectinload(Pilot.members).joinedload(PilotMember.user),
            joinedload(Assessment.framework),
        ),
    )


def pilot_or_404(pilot_id: int) -> Pilot:
    """The pilot with its system and team, or 404 when the user may not see it."""
    return visible_or_404(
        Pilot,
        pilot_id,
        Permission.SAFEGUARDS_VIEW,
        options=(joinedload(Pilot.system), selectinload(Pilot.members).joinedload(PilotMember.user)),
    )


def is_team(user, pilot: Pilot) -> bool:
    return can(Permission.SAFEGUARDS_ASSESS, pilot, user=user)


def may_review(user, assessment: Assessment) -> bool:
    return can(Permission.SAFEGUARDS_REVIEW, assessment, user=user)


def may_edit_answers(user, assessment: Assessment) -> bool:
    return assessment.is_team_editable and is_team(user, assessment.pilot)


def may_read_items(user, assessment: Assessment) -> bool:
    """Threads, answer history and private evidence: the team, its reviewers, and staff (read only)."""
    return can(Permission.SAFEGUARDS_ITEMS_READ, assessment, user=user)


def may_discuss(user, assessment: Assessment) -> bool:
    """Writing in the items' threads: the team and its reviewers, until the assessment is approved."""
    return not assessment.is_final and can(Permission.SAFEGUARDS_DISCUSS, assessment, user=user)


def side_of(user, assessment: Assessment):
    """Which side of a thread ``user`` writes on: the team's, or the reviewers' (admins included)."""
    on_team = assessment.pilot.role_of(user) in (TeamRole.LEAD, TeamRole.CONTRIBUTOR)
    return Side.TEAM if on_team else Side.REVIEWERS


def may_manage_team(user, pilot: Pilot) -> bool:
    return can(Permission.SAFEGUARDS_MANAGE, pilot, user=user)


def may_assign_reviewers(user) -> bool:
    return role_grants(user, Permission.SAFEGUARDS_ASSIGN_REVIEWERS)


def roles_offered(user) -> list[TeamRole]:
    """The roles ``user`` may give, for the add-a-person form."""
    return [r for r in TeamRole if r is not TeamRole.REVIEWER or may_assign_reviewers(user)]


def may_give_role(user, pilot: Pilot, person, role: TeamRole) -> bool:
    """Whether ``user`` may put ``person`` on the pilot as ``role``, or change their role to it.

    Taking a reviewer place, or moving someone off one, is a reviewer assignment. Nobody places
    themselves: that would let staff pick the drafts they read, or a lead pick their own role.
    """
    if person.id == user.id:
        return False
    if TeamRole.REVIEWER in (role, pilot.role_of(person)):
        return may_assign_reviewers(user)
    return may_manage_team(user, pilot)


def may_remove(user, member: PilotMember) -> bool:
    if member.role is TeamRole.REVIEWER:
        return may_assign_reviewers(user)
    return may_manage_team(user, member.pilot)
