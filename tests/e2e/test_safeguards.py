"""Wizard autosave in a real browser: offline edits survive a reload and reach the server; conflicts show."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe

from consortium.db import db
from consortium.reference.systems import ensure_reference_systems
from safeguards import framework as fw
from safeguards import services
from safeguards.models import Answer, Process, TeamRole
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def wizard(app):
    framework, _ = fw.load_file(fw.FRAMEWORKS_DIR / "v1.0.json")
    lead = UserFactory(name="Lía Líder")
    colleague = UserFactory(name="Carlos Colega")
    system = ensure_reference_systems()[0]["bre-b"]  # the migration may have left it; tests empty tables
    pilot = services.create_pilot(system, "CO", "Bre-B · Colombia", lead=lead)
    services.add_member(pilot, colleague, TeamRole.CONTRIBUTOR)
    assessment = services.start_assessment(pilot)
    assessment.authorities, assessment.stages = ["R2"], ["L1"]
    db.session.commit()
    idx = fw.index(framework.id)
    item = next(i for i in services.items(assessment, idx) if i.in_scope and i.process.principle == "O5")
    return {
        "lead": lead,
        "colleague": colleague,
        "assessment": assessment,
        "code": item.process.code,
        "prefix": f"a{item.answer.id}",
        "path": f"/safeguards/assessments/{assessment.id}/steps/O5",
    }


def _login(page, live_server, user):
    page.goto(live_server + "/login")
    page.get_by_label("Correo electrónico").fill(user.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(live_server + "/home")


def _saved(wizard) -> Answer:
    db.session.rollback()  # a new transaction: see what the server committed since
    return db.session.scalar(
        sa.select(Answer)
        .join(Process)
        .where(Answer.assessment_id == wizard["assessment"].id, Process.code == wizard["code"])
    )


def test_offline_edits_survive_a_reload_and_reach_the_server_on_reconnection(page, live_server, wizard):
    prefix = wizard["prefix"]
    _login(page, live_server, wizard["lead"])
    page.goto(live_server + wizard["path"])
    page.context.set_offline(True)
    page.locator(f"#{prefix}-choice-2").check()
    page.locator(f"#{prefix}-evidence").fill("Acta de la mesa de diálogo, marzo de 2026")
    page.wait_for_timeout(3500)
    assert page.locator("#autosave-status").inner_text() != ""
    assert _saved(wizard).evidence == ""
    # The connection is still cut for saving (the autosave requests fail) while the page reloads.
    page.route("**/answers/**", lambda route: route.abort())
    page.context.set_offline(False)
    page.reload()
    assert page.locator(f"#{prefix}-evidence").input_value() == "Acta de la mesa de diálogo, marzo de 2026"
    assert page.locator(f"#{prefix}-choice-2").is_checked()
    page.wait_for_timeout(3500)
    assert _saved(wizard).evidence == ""
    # Reconnected: the kept change is sent.
    page.unroute("**/answers/**")
    page.wait_for_timeout(4000)
    answer = _saved(wizard)
    assert (answer.rating, answer.evidence) == (2, "Acta de la mesa de diálogo, marzo de 2026")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('safeguards:')).length") == 0


def test_two_pages_editing_the_same_answer_see_the_conflict(browser, live_server, wizard):
    prefix = wizard["prefix"]
    pages = []
    for user in (wizard["lead"], wizard["colleague"]):
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-ES")
        page = context.new_page()
        _login(page, live_server, user)
        page.goto(live_server + wizard["path"])
        pages.append(page)
    first, second = pages
    first.locator(f"#{prefix}-choice-1").check()
    first.locator(f"#{prefix}-evidence").fill("Versión de Lía")
    first.wait_for_timeout(3500)
    assert _saved(wizard).evidence == "Versión de Lía"
    second.locator(f"#{prefix}-choice-0").check()
    second.locator(f"#{prefix}-evidence").fill("Versión de Carlos")
    conflict = second.locator(".js-conflict")
    conflict.wait_for(timeout=8000)
    assert "Versión de Lía" in conflict.inner_text() and "Versión de Carlos" in conflict.inner_text()
    assert _saved(wizard).evidence == "Versión de Lía"  # nothing was overwritten
    conflict.get_by_role("button").first.click()  # "Keep mine"
    second.wait_for_timeout(4000)
    assert _saved(wizard).evidence == "Versión de Carlos"
    for page in pages:
        page.context.close()


@pytest.mark.parametrize("suffix", ["steps/O5", "scope", "results", "submit"])
def test_wizard_pages_fit_a_phone_and_have_no_serious_accessibility_problem(
    page, live_server, wizard, suffix
):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _login(page, live_server, wizard["lead"])
    page.goto(f"{live_server}/safeguards/assessments/{wizard['assessment'].id}/{suffix}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = [
        f"{v['id']}: {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == [] and errors == []


def test_save_button_works_without_javascript(browser, live_server, wizard):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="es-ES"
    )
    page = context.new_page()
    _login(page, live_server, wizard["lead"])
    page.goto(live_server + wizard["path"])
    prefix = wizard["prefix"]
    page.locator(f"input[name='{prefix}-choice'][value='not_applicable']").check()
    page.locator(f"#{prefix}-justification").fill("No hay datos biométricos")
    page.locator("button[name=go][value=stay]").click()
    answer = _saved(wizard)
    assert answer.status.value == "not_applicable" and answer.justification == "No hay datos biométricos"
    assert page.locator(f"#{prefix}-justification").input_value() == "No hay datos biométricos"
    context.close()
