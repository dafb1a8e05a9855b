"""The wizard's layout at phone, tablet and desktop widths, and the review cycle's new pages, in Chromium."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from consortium.db import db
from safeguards.models import Assessment, AssessmentState
from tests.e2e import test_safeguards
from tests.e2e.test_trainings import _sign_in
from tests.factories import UserFactory
from tests.safeguards.conftest import answer_all

pytestmark = pytest.mark.e2e
wizard = test_safeguards.wizard  # the same assessment, lead and colleague as the autosave tests
_login = test_safeguards._login

WIDTHS = (360, 768, 1280)


def _serious(page) -> list[str]:
    return [
        f"{v['id']}: {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _open(browser, live_server, user, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-ES")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if user.is_staff:  # staff log in with a second factor: hand the browser a session instead
        db.session.rollback()
        _sign_in(context, live_server, user)
    else:
        _login(page, live_server, user)
    page.goto(live_server + path)
    return page, errors


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("suffix", ["steps/O5", "scope", "submit"])
def test_wizard_pages_fit_every_width_with_the_questions_taking_the_room(
    browser,
    live_server,
    wizard,
    suffix,
    width,
):
    path = f"/safeguards/assessments/{wizard['assessment'].id}/{suffix}"
    page, errors = _open(browser, live_server, wizard["lead"], path, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    side = page.locator(".wizard-side").bounding_box()
    main = page.locator(".wizard-main").bounding_box()
    if width >= 960:  # a side column, and the questions take at least 60 % of the window
        assert side["x"] + side["width"] <= main["x"] and abs(side["y"] - main["y"]) < 2
        assert main["width"] >= 0.6 * width, main["width"]
    else:  # the compact step list stays above the questions, which take the full width
        assert side["y"] + side["height"] <= main["y"]
        assert main["width"] >= 0.9 * (width - 32)
    assert _serious(page) == [] and errors == []
    page.context.close()


@pytest.fixture
def cycle(wizard):
    """The wizard's assessment answered, with a staff reviewer and an admin."""
    assessment = wizard["assessment"]
    reviewer = UserFactory(staff=True, name="Rita Revisora")
    admin = UserFactory(admin=True, name="Ada Admin")
    db.session.commit()
    from safeguards import services
    from safeguards.models import TeamRole

    services.add_member(assessment.pilot, reviewer, TeamRole.REVIEWER)
    db.session.commit()
    answer_all(assessment, rating=2)
    return {**wizard, "reviewer": reviewer, "admin": admin}


def _set_state(assessment, state):
    db.session.rollback()  # a fresh snapshot: the server wrote since (SQLite refuses a write on a stale one)
    db.session.get(Assessment, assessment.id).state = state
    db.session.commit()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_review_cycle_pages_fit_and_are_accessible(browser, live_server, cycle, width):
    assessment = cycle["assessment"]
    base = f"/safeguards/assessments/{assessment.id}"
    pages = [
        (AssessmentState.DRAFT, cycle["lead"], f"{base}/submit/confirm"),
        (AssessmentState.SUBMITTED, cycle["reviewer"], f"{base}/approve"),
        (AssessmentState.SUBMITTED, cycle["reviewer"], "/safeguards/review"),
        (AssessmentState.APPROVED, cycle["admin"], f"{base}/publish"),
        (AssessmentState.PUBLISHED, cycle["admin"], f"{base}/withdraw"),
    ]
    problems = {}
    for state, user, path in pages:
        _set_state(assessment, state)
        page, errors = _open(browser, live_server, user, path, width)
        wide = page.evaluate("document.documentElement.scrollWidth") > width
        found = _serious(page) + errors + (["sideways scroll"] if wide else [])
        if found:
            problems[path] = found
        page.context.close()
    assert problems == {}


def test_a_withdrawal_without_javascript_shows_on_the_public_page(browser, live_server, cycle, mail_outbox):
    assessment = cycle["assessment"]
    _set_state(assessment, AssessmentState.PUBLISHED)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="es-ES"
    )
    page = context.new_page()
    db.session.rollback()
    _sign_in(context, live_server, cycle["admin"])
    page.goto(f"{live_server}/safeguards/assessments/{assessment.id}/withdraw")
    page.get_by_label("Motivo público del retiro").fill("Se publicó con datos de otro sistema.")
    page.get_by_role("button", name="Retirar la evaluación").click()
    public = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-ES").new_page()
    public.goto(f"{live_server}/safeguards/assessments/{assessment.id}/results")
    assert "Se publicó con datos de otro sistema." in public.locator("main").inner_text()
    public.context.close()
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_publish_page_asks_per_evidence_file_and_fits(browser, live_server, cycle, width, tmp_path):
    import io

    from consortium import transaction
    from safeguards import evidence, services
    from safeguards import framework as fw
    from tests.safeguards.views.test_evidence import PDF, PNG

    assessment = cycle["assessment"]
    db.session.rollback()
    first = next(
        i.answer for i in services.items(assessment, fw.index(assessment.framework_id)) if i.in_scope
    )
    with transaction.writing(), transaction.action():
        evidence.attach(first, io.BytesIO(PDF), "Acta de la mesa de diálogo.pdf", is_public=True, by=None)
        evidence.attach(first, io.BytesIO(PNG), "captura-del-panel-interno.png", by=None)
    _set_state(assessment, AssessmentState.APPROVED)
    page, errors = _open(
        browser, live_server, cycle["admin"], f"/safeguards/assessments/{assessment.id}/publish", width
    )
    assert page.get_by_label("acta-de-la-mesa-de-dialogo.pdf", exact=False).is_checked()
    assert not page.get_by_label("captura-del-panel-interno.png", exact=False).is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert _serious(page) == [] and errors == []
    page.screenshot(path=tmp_path / f"publish-{width}.png", full_page=True)
    page.context.close()
