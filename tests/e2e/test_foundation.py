"""Home page and log-in in a real browser at phone width."""

from __future__ import annotations

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _check_phone_page(page, url):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"
    assert errors == []
    assert _serious_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/login", "/signup"])
def test_page_fits_a_phone_and_has_no_serious_accessibility_problem(page, live_server, path):
    _check_phone_page(page, live_server + path)


def test_language_switcher_changes_the_page_language(page, live_server):
    page.goto(live_server + "/")
    assert page.get_attribute("html", "lang") == "es"
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Civil society")


def test_log_in_works_without_javascript(browser, live_server, member):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="es-ES"
    )
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Correo electrónico").fill(member.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(live_server + "/home")  # log-in lands on the person's own page
    # the account menu is a <details>: it opens without JavaScript
    page.locator(".account-menu summary", has_text=member.name).click()
    expect(page.get_by_role("link", name="Mi cuenta")).to_be_visible()
    context.close()


def test_a_signed_in_admins_header_is_one_row_at_desktop_width(browser, live_server, admin):
    """Staff links (audit log, outgoing e-mail) sit in the account menu: the header never wraps at 1280 px."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="es-ES")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Correo electrónico").fill(admin.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_label("Código").fill(pyotp.TOTP(admin.totp_secret).now())
    page.get_by_role("button", name="Continuar").click()
    expect(page).to_have_url(live_server + "/home")
    brand = page.locator(".brand").bounding_box()
    menu = page.locator(".account-menu summary").bounding_box()
    assert abs(brand["y"] - menu["y"]) < brand["height"], "the header wraps to a second row"
    page.locator(".account-menu summary").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Registro de auditoría")).to_be_visible()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    context.close()
