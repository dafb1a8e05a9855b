"""Governance pages in a real browser: they fit a 360 px phone and a 1280 px screen without serious
accessibility problems, and a seat holder contributes with JavaScript switched off."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from consortium import transaction
from consortium.db import db
from consortium.governance import services
from consortium.governance.contribution_models import Contribution
from consortium.governance.models import LifecycleStage, Seat, SeatRole, Sector, SpaceState
from consortium.reference.systems import ensure_reference_systems
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("SCREENSHOTS_DIR")  # set it to look at the pages


@pytest.fixture
def governance():
    systems, _ = ensure_reference_systems()
    space = services.create_space(
        by=None,
        slug="pix-brasil",
        title={"pt_BR": "Espaço de governança do Pix", "es": "Espacio de gobernanza de Pix"},
        charter={"pt_BR": "Governo, regulador e sociedade civil discutem as salvaguardas do Pix. " * 8},
        system_id=systems["pix"].id,
        stage=LifecycleStage.L4,
        countries=["BR"],
        languages=["pt_BR", "es"],
    )
    space.state = SpaceState.ACTIVE
    people = {}
    for role, name in ((SeatRole.CONVENOR, "Andrea Convocante"), (SeatRole.MEMBER, "Mateo Miembro")):
        person = UserFactory(name=name)
        organisation = OrganisationFactory(name=f"Organización de {name} con un nombre bastante largo")
        MembershipFactory(user=person, organisation=organisation)
        db.session.add(
            Seat(
                space=space,
                user_id=person.id,
                organisation_id=organisation.id,
                sector=Sector.ADVOCATES,
                role=role,
                term_starts_on=date(2026, 1, 1),
                interests="Ninguno declarado.",
            )
        )
        people[role] = person
    db.session.commit()
    with transaction.writing():
        consultation = services.create_consultation(space, by=None, title="Datos en Pix", language="es")
        services.add_section(consultation, heading="Claves Pix", body="Las claves muestran el nombre. " * 10)
        services.open_consultation(consultation, by=None)
        db.session.commit()
    return {"space": space, "consultation": consultation, **{r.value: p for r, p in people.items()}}


def _log_in(app, context, live_server, user) -> None:
    from consortium.users import sessions

    token = sessions.start_session(user)
    db.session.commit()
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": token, "_fresh": True})
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server}])


def _fits(page, width: int) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        name = page.url.split("/governance", 1)[1].strip("/").replace("/", "-") or "list"
        page.screenshot(path=f"{SHOTS}/governance-{name}-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{page.url} scrolls sideways"
    violations = [
        f"{v['id']}: {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []


@pytest.mark.parametrize("width", [360, 1280])
def test_governance_pages_fit_phone_and_desktop(app, browser, live_server, governance, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="es-ES")
    _log_in(app, context, live_server, governance["convenor"])
    page = context.new_page()
    space, consultation = governance["space"], governance["consultation"]
    for path in (
        "/governance",
        f"/governance/spaces/{space.id}",
        f"/governance/spaces/{space.id}/roster",
        f"/governance/consultations/{consultation.id}",
        f"/governance/spaces/{space.id}/seats/new",
    ):
        page.goto(live_server + path)
        _fits(page, width)
    context.close()


def test_a_member_contributes_without_javascript_on_a_phone(app, browser, live_server, governance):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="es-ES", java_script_enabled=False
    )
    _log_in(app, context, live_server, governance["member"])
    page = context.new_page()
    consultation = governance["consultation"]
    page.goto(f"{live_server}/governance/consultations/{consultation.id}")
    page.get_by_label("Su contribución", exact=True).fill("Mostrar solo el primer nombre.")
    page.get_by_role("button", name="Enviar la contribución").click()
    page.wait_for_url(f"**/governance/consultations/{consultation.id}*")
    expect(page.get_by_text("Mostrar solo el primer nombre.")).to_be_visible()
    db.session.rollback()
    assert db.session.scalars(sa.select(Contribution.body)).all() == ["Mostrar solo el primer nombre."]
    context.close()


def test_a_member_writes_a_contribution_by_keyboard_on_a_phone(app, browser, live_server, governance):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-ES")
    _log_in(app, context, live_server, governance["member"])
    page = context.new_page()
    consultation = governance["consultation"]
    section_id = consultation.sections[0].id
    page.goto(f"{live_server}/governance/consultations/{consultation.id}")
    _fits(page, 360)
    focused = "document.activeElement.id"
    page.get_by_label("Tipo").focus()
    page.keyboard.press("ArrowDown")  # from comment to proposal
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == f"s{section_id}-body"
    page.keyboard.type("Publicar las estadísticas de devoluciones cada trimestre.")
    for field in ("link", "language", "organisation_id"):  # the fields come in reading order
        page.keyboard.press("Tab")
        assert page.evaluate(focused) == f"s{section_id}-{field}"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Enviar la contribución"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Publicar las estadísticas de devoluciones cada trimestre.")).to_be_visible()
    _fits(page, 360)  # with the contribution, its supports and co-signing controls
    db.session.rollback()
    (stored,) = db.session.scalars(sa.select(Contribution)).all()
    assert (stored.kind, stored.language, stored.organisation_id) == (
        "proposal",
        "es",
        governance["member"].memberships[0].organisation_id,
    )
    # the convenor's view of it: support, co-sign and the moderation form (opened) fit too
    _log_in(app, context, live_server, governance["convenor"])
    page.goto(f"{live_server}/governance/consultations/{consultation.id}")
    page.locator("summary", has_text="Moderar").click()
    expect(page.get_by_label("Motivo para ocultarla")).to_be_visible()
    _fits(page, 360)
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_you_said_we_did_report_reads_without_sideways_scrolling(app, browser, live_server, width):
    """Six columns of long texts: on a phone each contribution becomes a card of labelled lines, instead of
    a table the reader pans sideways through, a column at a time."""
    from consortium import demo
    from consortium.governance.models import Consultation, ConsultationState

    with transaction.writing():
        demo.load()
        db.session.commit()
    published = db.session.scalar(
        sa.select(Consultation.id).where(Consultation.state == ConsultationState.PUBLISHED)
    )
    for locale in ("pt-BR", "es-ES", "en-GB"):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale=locale)
        page = context.new_page()
        page.goto(f"{live_server}/governance/consultations/{published}/report")
        _fits(page, width)
        sideways = page.evaluate(
            # what a reader would pan: not the headings kept for screen readers in a 1 px box
            "[...document.querySelectorAll('main *')].filter(e => e.clientWidth > 1"
            " && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')"
            ".map(e => e.className || e.tagName)"
        )
        assert sideways == [], f"{locale}: {sideways} scroll sideways"
        context.close()
