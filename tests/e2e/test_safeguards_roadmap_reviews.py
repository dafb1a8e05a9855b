"""Independent ratings at phone and desktop widths in Chromium: a reviewer rates without JavaScript, the
action page and the public tracker fit and have no serious axe finding."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from consortium.db import db
from safeguards.models import AssessmentState
from safeguards.roadmap.models import ActionRating, RoadmapReviewer
from tests.e2e import test_safeguards_roadmap as roadmap_pages
from tests.e2e.test_safeguards_roadmap import _page, _serious
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

# the roadmap pages' fixtures, borrowed as that file borrows the features' own
framework = roadmap_pages.framework
make_pilot = roadmap_pages.make_pilot
make_assessment = roadmap_pages.make_assessment
lead = roadmap_pages.lead
reviewer = roadmap_pages.reviewer
pilot = roadmap_pages.pilot
assessment = roadmap_pages.assessment
approved = roadmap_pages.approved
owner_org = roadmap_pages.owner_org
owner = roadmap_pages.owner
roadmap = roadmap_pages.roadmap
first_code = roadmap_pages.first_code
planned = roadmap_pages.planned
validated = roadmap_pages.validated

pytestmark = pytest.mark.e2e
WIDTHS = (360, 1280)


@pytest.fixture
def rater(validated):
    made, _action = validated
    cso = OrganisationFactory(name="Observatorio Ciudadano")
    user = UserFactory(name="Rita Revisora")
    MembershipFactory(user=user, organisation=cso)
    db.session.flush()
    db.session.add(RoadmapReviewer(roadmap_id=made.id, user_id=user.id, organisation_id=cso.id))
    made.assessment.state = AssessmentState.PUBLISHED
    db.session.commit()
    return user


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reviewer_rates_without_javascript_and_the_pages_fit(
    browser, live_server, validated, rater, lead, width
):
    made, action = validated
    page = _page(browser, live_server, width, rater, javascript=False)
    page.goto(f"{live_server}/safeguards/roadmap-actions/{action.id}")
    page.select_option("#completion", "2")
    page.select_option("#results", "3")
    page.fill("#justification", "El registro existe pero cubre solo un trimestre.")
    page.get_by_role("button", name="Guardar la calificación").click()
    expect(page.get_by_text("Se guardó tu calificación.")).to_be_visible()
    page.context.close()
    db.session.rollback()  # read what the server committed
    assert db.session.query(ActionRating).count() == 1
    for user, path in (
        (rater, f"/safeguards/roadmap-actions/{action.id}"),
        (lead, f"/safeguards/roadmaps/{made.id}/reviewers"),
        (None, f"/safeguards/roadmaps/{made.id}/public"),
    ):
        page = _page(browser, live_server, width, user)
        page.goto(live_server + path)
        expect(page.get_by_text("Observatorio Ciudadano").first, path).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert _serious(page) == [], path
        page.context.close()
