"""Two API clients sending the same action's version at once, from two OS processes: one change lands,
the other answers 409 (the harness is tests/safeguards/race.py)."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.db import db
from safeguards import services
from safeguards.models import TeamRole
from safeguards.roadmap.models import Action, ActionState
from tests.factories import MembershipFactory, UserFactory
from tests.safeguards.race import Job, Request, race
from tests.safeguards.roadmap.test_api import bearer


def test_two_owners_moving_one_version_at_once_move_it_once(database_url, owner, owner_org, validated):
    _roadmap, action = validated
    colleague = UserFactory(name="Otto Owner")
    MembershipFactory(user=colleague, organisation=owner_org)
    db.session.commit()
    url = f"/api/v1/roadmap-actions/{action.id}"
    version = db.session.get(Action, action.id).version
    jobs = [
        Job(None, [Request("PATCH", url, json={"version": version, "state": to}, headers=bearer(who))])
        for who, to in ((owner, "in_progress"), (colleague, "at_risk"))
    ]
    (first,), (second,) = race(database_url, jobs)
    assert sorted([first.status, second.status]) == [200, 409]
    winner = ActionState.IN_PROGRESS if first.status == 200 else ActionState.AT_RISK
    assert db.session.get(Action, action.id).state is winner
    moves = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action.in_(["safeguards.action_in_progress", "safeguards.action_at_risk"]))
    )
    assert moves == 1


def test_two_team_members_editing_one_version_at_once_save_once(database_url, pilot, lead, planned):
    _roadmap, action = planned
    colleague = UserFactory(name="Carla Contribuyente")
    services.add_member(pilot, colleague, TeamRole.CONTRIBUTOR)
    db.session.commit()
    url = f"/api/v1/roadmap-actions/{action.id}"
    version = action.version
    jobs = [
        Job(None, [Request("PATCH", url, json={"version": version, "due_on": day}, headers=bearer(who))])
        for who, day in ((lead, "2027-08-31"), (colleague, "2027-09-30"))
    ]
    (first,), (second,) = race(database_url, jobs)
    assert sorted([first.status, second.status]) == [200, 409]
    saved = db.session.get(Action, action.id)
    db.session.refresh(saved)
    assert saved.due_on.isoformat() == ("2027-08-31" if first.status == 200 else "2027-09-30")
    assert saved.version == version + 1
