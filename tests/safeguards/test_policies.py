"""The visibility rule has two spellings, one per object and one as SQL; they must agree for everyone."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from consortium.permissions import Permission, can
from safeguards import policies
from safeguards.models import Assessment, AssessmentState
from tests.factories import UserFactory


@pytest.mark.parametrize("role", ["anonymous", "team", "other_team", "reviewer", "staff", "admin"])
def test_list_clause_shows_exactly_the_assessments_the_policy_shows(
    role, lead, reviewer, staff, admin, make_pilot, make_assessment, db
):
    outsider = UserFactory()
    assessments = []
    for state in AssessmentState:
        assessment = make_assessment(make_pilot(f"Piloto {state.value}", lead=lead, reviewer=reviewer))
        assessment.state = state
        assessments.append(assessment)
    make_assessment(make_pilot("Llave MX · México", lead=outsider))
    db.session.commit()
    user = {
        "anonymous": AnonymousUserMixin(),
        "team": lead,
        "other_team": outsider,
        "reviewer": reviewer,
        "staff": staff,
        "admin": admin,
    }[role]
    listed = set(db.session.scalars(sa.select(Assessment.id).where(policies.visible_assessments(user))))
    everything = db.session.scalars(sa.select(Assessment)).all()
    assert listed == {a.id for a in everything if can(Permission.SAFEGUARDS_VIEW, a, user=user)}
    assert listed  # every role sees at least the published one
