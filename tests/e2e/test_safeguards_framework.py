"""The staff framework pages in Chromium: upload → preview in the browser, and every page fits 360 and 1280 px
in the three languages with no serious accessibility problem."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from consortium import transaction
from consortium.db import db
from safeguards import framework as fw
from safeguards import framework_versions as versions
from safeguards.framework_files import read_upload
from safeguards.framework_import import check
from tests.factories import UserFactory
from tests.safeguards.test_framework_import import reference_shape

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("SCREENSHOTS_DIR")  # set it to look at the pages
PAGES = [
    "/safeguards/frameworks",
    "/safeguards/frameworks/import",
    "/safeguards/frameworks/1.1",
    "/safeguards/frameworks/1.1/publish",
    "/safeguards/frameworks/1.1/translations",
    "/safeguards/frameworks/1.1/processes/F7.5/texts",
]


def reference_file() -> bytes:
    data = json.loads((fw.FRAMEWORKS_DIR / "v1.0.1.json").read_text())
    return json.dumps(reference_shape(data), indent=1).encode()


@pytest.fixture
def draft(app):
    """Version 1.0 published and 1.1 imported from the reference-shaped file, as a draft."""
    base, _ = fw.load_file(fw.FRAMEWORKS_DIR / "v1.0.json")
    db.session.commit()
    with app.test_request_context(), transaction.writing(), transaction.action():
        checked = check(read_upload(reference_file(), "framework-v1.json"), "1.1", fw.index(base.id))
        versions.import_version(checked)
    return fw.by_version("1.1", drafts=True)


def _login_staff(app, page, live_server, language: str) -> None:
    """Staff log in with a second factor; the browser gets the session cookie that log-in would give."""
    from consortium.users import sessions

    token = sessions.start_session(UserFactory(staff=True, locale=language))
    db.session.commit()
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": token, "_fresh": True})
    page.context.add_cookies(
        [{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server}]
    )


def _fits(page, width: int, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width >= 1280:  # the main column uses the screen, not a narrow strip of it
        assert page.evaluate("document.querySelector('main h1').getBoundingClientRect().width") >= 0.6 * 1100
    violations = [
        f"{v['id']}: {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []


@pytest.mark.parametrize("language", ["es", "pt_BR", "en"])
@pytest.mark.parametrize("width", [360, 1280])
def test_framework_pages_fit_both_widths_in_three_languages(app, page, live_server, draft, language, width):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _login_staff(app, page, live_server, language)
    page.set_viewport_size({"width": width, "height": 900})
    for path in PAGES:
        page.goto(live_server + path)
        assert page.locator("html").get_attribute("lang") == language.replace("_", "-")
        _fits(page, width, f"{language}{path.replace('/', '_')}")
    assert errors == []


@pytest.mark.parametrize("width", [360, 1280])
def test_an_upload_shows_its_preview_and_a_broken_one_its_lines(
    app, page, live_server, draft, tmp_path, width
):
    _login_staff(app, page, live_server, "es")
    page.set_viewport_size({"width": width, "height": 900})
    good = tmp_path / "framework-v1.json"
    good.write_bytes(reference_file())
    page.goto(live_server + "/safeguards/frameworks/import")
    page.get_by_label("Archivo del marco").set_input_files(str(good))
    page.get_by_label("Número de versión").fill("1.2")
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(page.get_by_role("heading", name="Revisar la importación de la versión 1.2")).to_be_visible()
    expect(page.get_by_text("7 procesos agregados")).to_be_visible()
    _fits(page, width, "es_preview")
    broken = tmp_path / "broken.csv"
    broken.write_text("code,principle,title_en\nF1.1,F1,Uno\nF1.1,F1,Dos\n")
    page.goto(live_server + "/safeguards/frameworks/import")
    page.get_by_label("Archivo del marco").set_input_files(str(broken))
    page.get_by_label("Número de versión").fill("1.2")
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(
        page.get_by_text("Línea 3: el código F1.1 aparece dos veces (primero en la línea 2).")
    ).to_be_visible()
    _fits(page, width, "es_errors")
