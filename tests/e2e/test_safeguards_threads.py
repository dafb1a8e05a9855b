"""Items' threads and history in a real browser: the step, the item page and the review page fit 360 and
1280 px in every language, with no serious accessibility problem. Screenshots go to $SCREENSHOTS if set."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from consortium import transaction
from consortium.db import db
from consortium.reference.systems import ensure_reference_systems
from safeguards import answers, evidence, services, threads, workflow
from safeguards import framework as fw
from safeguards.item_models import Side
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def _pilot(slug, title, lead, reviewer):
    system = ensure_reference_systems()[0][slug]  # Bre-B and Pix are kernel reference systems
    pilot = services.create_pilot(system, "CO", title, lead=lead)
    services.add_member(pilot, reviewer, services.TeamRole.REVIEWER)
    assessment = services.start_assessment(pilot)
    assessment.authorities, assessment.stages = ["R2"], ["L1"]
    db.session.flush()
    return assessment


def _round(assessment, lead, reviewer, *, resubmit: bool):
    idx = fw.index(assessment.framework_id)
    items = [i for i in services.items(assessment, idx) if i.in_scope and i.process.principle == "F1"]
    for item in items:
        data = answers.AnswerInput.from_choice("1", evidence="Acta de la junta directiva de 2023")
        answers.save_answer(item.answer, data, expected_version=None, by=lead)
    workflow.submit(assessment, by=lead)
    first = items[0].answer
    changes = [
        workflow.ReviewInput(
            first.id, 0, "El acta no muestra quién decide ni cuándo se revisa.", first.version
        )
    ]
    workflow.review(
        assessment, changes, decision=workflow.Decision.REQUEST_CHANGES, note="Revisen F1", by=reviewer
    )
    threads.post(
        first, "Subimos el acta firmada de 2024 y el calendario de revisión.", by=lead, side=Side.TEAM
    )
    data = answers.AnswerInput.from_choice("2", evidence="Acta de la junta directiva de 2024, firmada")
    answers.save_answer(first, data, expected_version=None, by=lead)
    pdf = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    evidence.attach(first, pdf, "Acta firmada de la junta directiva 2024.pdf", is_public=True, by=lead)
    if resubmit:
        workflow.submit(assessment, by=lead)
    return items[0].process


@pytest.fixture
def scene(app):
    fw.load_file(fw.FRAMEWORKS_DIR / "v1.0.json")
    lead = UserFactory(name="Lía Líder")
    reviewer = UserFactory(staff=True, name="Rita Revisora")
    with app.test_request_context(), transaction.writing():  # the decisions' e-mails build links
        fixing = _pilot("bre-b", "Bre-B · Colombia", lead, reviewer)
        process = _round(fixing, lead, reviewer, resubmit=False)
        reviewing = _pilot("pix", "Pix · Brasil", lead, reviewer)
        _round(reviewing, lead, reviewer, resubmit=True)
        db.session.commit()
    return {
        "lead": lead,
        "reviewer": reviewer,
        "fixing": fixing,
        "reviewing": reviewing,
        "code": process.code,
    }


def _signed_in(context, app, login_as, live_server, user):
    """A browser session as the log-in (and, for staff, its second factor) would leave it."""
    client = login_as(user, on=app.test_client())
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server}])


@pytest.mark.parametrize("language", ["es", "pt_BR", "en"])
@pytest.mark.parametrize("width", [360, 1280])
def test_thread_pages_fit_and_pass_axe(
    app, browser, login_as, live_server, scene, mail_outbox, language, width
):
    for person in ("lead", "reviewer"):
        scene[person].locale = language
    db.session.commit()
    fixing, reviewing, code = scene["fixing"], scene["reviewing"], scene["code"]
    pages = {
        "lead": [
            ("step", f"/safeguards/assessments/{fixing.id}/steps/F1"),
            ("item", f"/safeguards/assessments/{fixing.id}/items/{code}?back=step"),
        ],
        "reviewer": [
            ("review", f"/safeguards/assessments/{reviewing.id}/review"),
            ("item-review", f"/safeguards/assessments/{reviewing.id}/items/{code}?back=review"),
            ("awaiting", "/safeguards/threads"),
        ],
    }
    shots = os.environ.get("SCREENSHOTS")
    errors: list[str] = []
    for person, visits in pages.items():
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale=language.replace("_", "-")
        )
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        _signed_in(context, app, login_as, live_server, scene[person])
        for name, path in visits:
            response = page.goto(live_server + path)
            assert response.status == 200, (path, response.status)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, "scrolls sideways")
            violations = [
                f"{v['id']}: {v['help']}"
                for v in Axe().run(page).response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert violations == [], (name, violations)
            if shots:
                if name == "review":
                    page.locator(f'[id="review-{code}"]').scroll_into_view_if_needed()
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{name}-{language}-{width}.png", full_page=name != "review")
        assert errors == []
        context.close()
