"""Pilots through HTTP: creating one, its team and starting a new cycle."""

from __future__ import annotations

import re

import sqlalchemy as sa

from consortium.reference.systems import DpiSystem, SystemKind, create_system
from safeguards.models import AssessmentState
from tests.factories import UserFactory
from tests.safeguards.conftest import answer_all
from tests.safeguards.views.conftest import answer_of, client_as, in_scope_codes


def test_new_cycle_starts_from_a_copy_of_the_last(client, login_as, submit, lead, assessment, db):
    answer_all(assessment, rating=3)
    assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    login_as(lead)
    response = submit(
        f"/safeguards/pilots/{assessment.pilot_id}",
        {},
        action=f"/safeguards/pilots/{assessment.pilot_id}/cycles",
    )
    assert response.status_code == 302
    db.session.expire_all()
    new = next(a for a in assessment.pilot.assessments if a.cycle == 2)
    code = in_scope_codes(assessment)[0]
    copied = answer_of(db, new, code)
    assert new.authorities == assessment.authorities and copied.rating == 3 and copied.version == 1
    assert answer_of(db, assessment, code).rating == 3


def test_staff_create_a_pilot_and_add_a_contributor(client, login_as, submit, staff, lead, framework, db):
    login_as(staff)
    create_system(
        slug="pix-test",
        name="Pix",
        countries=["BR"],
        kind=SystemKind.PAYMENTS,
        operator="BCB",
    )
    db.session.commit()
    system_id = db.session.scalar(sa.select(DpiSystem.id).where(DpiSystem.slug == "pix-test"))
    response = submit(
        "/safeguards/pilots/new",
        {"system": str(system_id), "country": "BR", "title": "Pix · Brasil", "lead_email": lead.email},
    )
    assert response.status_code == 302
    pilot_url = response.headers["Location"]
    contributor = UserFactory()
    db.session.commit()
    pilot_id = int(re.search(r"/pilots/(\d+)", pilot_url).group(1))
    submit(
        pilot_url,
        {"email": contributor.email, "role": "contributor"},
        action=f"/safeguards/pilots/{pilot_id}/members",
    )
    html = client.get(pilot_url).get_data(as_text=True)
    assert contributor.name in html and lead.name in html


def test_pilot_page_lists_team_and_hides_from_others(app, client, login_as, people, assessment):
    html = (
        client_as("team", app, login_as, people)
        .get(f"/safeguards/pilots/{assessment.pilot_id}")
        .get_data(as_text=True)
    )
    assert people["team"].name in html and people["reviewer"].name in html
    assert (
        client_as("other_team", app, login_as, people)
        .get(f"/safeguards/pilots/{assessment.pilot_id}")
        .status_code
        == 404
    )
