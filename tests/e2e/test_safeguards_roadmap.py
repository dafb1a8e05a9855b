"""The roadmap's pages at phone and desktop widths in Chromium: no sideways scroll, no serious axe finding,
and the public tracker without JavaScript."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from consortium.db import db
from safeguards.models import AssessmentState
from safeguards.roadmap.models import ProgressUpdate
from tests.e2e.test_trainings import _sign_in
from tests.safeguards import conftest as safeguards_fixtures
from tests.safeguards.roadmap import conftest as roadmap_fixtures

# the feature's fixtures, as the layout tests borrow theirs (conftest files do not reach tests/e2e)
framework = safeguards_fixtures.framework
make_pilot = safeguards_fixtures.make_pilot
make_assessment = safeguards_fixtures.make_assessment
lead = safeguards_fixtures.lead
reviewer = safeguards_fixtures.reviewer
pilot = safeguards_fixtures.pilot
assessment = safeguards_fixtures.assessment
approved = roadmap_fixtures.approved
owner_org = roadmap_fixtures.owner_org
owner = roadmap_fixtures.owner
roadmap = roadmap_fixtures.roadmap
first_code = roadmap_fixtures.first_code
planned = roadmap_fixtures.planned
validated = roadmap_fixtures.validated

pytestmark = pytest.mark.e2e
WIDTHS = (360, 1280)


def _serious(page) -> list[str]:
    return [
        f"{v['id']}: {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _page(browser, live_server, width, user=None, *, javascript=True):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="es-ES", java_script_enabled=javascript
    )
    if user is not None:
        _sign_in(context, live_server, user)
    return context.new_page()


@pytest.mark.parametrize("width", WIDTHS)
def test_roadmap_pages_fit_phone_and_desktop(browser, live_server, validated, lead, owner, width):
    made, action = validated
    db.session.commit()
    for user, path in (
        (lead, f"/safeguards/roadmaps/{made.id}/priorities"),
        (lead, f"/safeguards/roadmaps/{made.id}"),
        (owner, f"/safeguards/roadmap-actions/{action.id}"),
    ):
        page = _page(browser, live_server, width, user)
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert _serious(page) == [], path
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_public_tracker_reads_without_javascript(browser, live_server, validated, width):
    made, action = validated
    made.assessment.state = AssessmentState.PUBLISHED
    # a long evidence link once made the action list (a flex row then) wider than a phone
    db.session.add(
        ProgressUpdate(
            action_id=action.id,
            state=action.state,
            narrative="Modelo de datos acordado.",
            links="https://www.bcb.gov.br/estabilidadefinanceira/pix-registro-trimestral-de-reclamacoes",
        )
    )
    db.session.commit()
    path = live_server + f"/safeguards/roadmaps/{made.id}/public"
    page = _page(browser, live_server, width, javascript=False)
    page.goto(path)
    expect(page.get_by_text("Publicar el registro de reclamos")).to_be_visible()
    page.context.close()
    page = _page(browser, live_server, width)  # axe and the layout check need scripts of their own
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert _serious(page) == []
    page.context.close()
