"""The library in a real browser at phone width: a guide reads without sideways scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from consortium.db import db, utcnow
from consortium.library import services
from consortium.library.models import ResourceKind, VersionStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

GUIDE = (
    Path(__file__).resolve().parents[2]
    / "consortium/library/demo_content/06-digital-identity-basics-for-csos/es.md"
)


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def guide():
    author = UserFactory(staff=True)
    body = GUIDE.read_text(encoding="utf-8") + (
        "\n\n| Sistema | País | Entidad | Observaciones largas |\n|---|---|---|---|\n"
        "| Pix | Brasil | Banco Central | https://www.bcb.gov.br/estabilidadefinanceira/pix-largo |\n"
    )
    resource = services.create_resource(
        by=author,
        title="Identidad digital: lo básico para organizaciones de la sociedad civil",
        summary="Qué preguntar sobre un sistema de identidad digital.",
        body=body,
        original_language="es",
        kind=ResourceKind.GUIDE,
        countries=["BR", "MX"],
        systems=["gov-br", "llave-mx"],
        principles=["F1", "F2"],
        authors=["Equipo del consorcio"],
    )
    services.save_version(resource, "en", by=author, title="Digital identity basics", body="In English.")
    for version in resource.versions:
        version.status, version.published_at = VersionStatus.PUBLISHED, utcnow()
    services.refresh_publication(resource)
    db.session.commit()
    return resource


def _check(page, url):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"
    assert errors == []
    assert _serious_violations(page) == []


def test_a_guide_reads_on_a_phone_without_sideways_scroll_or_serious_accessibility_problem(
    page, live_server, guide
):
    slug = guide.original.slug
    _check(page, f"{live_server}/library/es/{slug}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Identidad digital")
    assert page.locator("article").get_attribute("lang") == "es"


def test_the_list_and_a_search_fit_a_phone(page, live_server, guide):
    _check(page, f"{live_server}/library")
    _check(page, f"{live_server}/library?q=identificacion")
    expect(
        page.get_by_role("link", name="Identidad digital: lo básico para organizaciones de la sociedad civil")
    ).to_be_visible()


def test_a_fallback_notice_is_shown_to_a_reader_of_another_language(browser, live_server, guide):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="pt-BR")
    page = context.new_page()
    _check(page, f"{live_server}/library/es/{guide.original.slug}")
    assert "disponível em português" in page.locator(".notice").inner_text()  # named in the reader's words
    context.close()
