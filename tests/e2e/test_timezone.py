"""The visitor's time zone: the browser's, set by a tiny script; without JavaScript, said and switchable."""

from __future__ import annotations

import gzip
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from consortium.db import db
from tests.e2e.test_foundation import _serious_violations
from tests.trainings.factories import make_training

pytestmark = pytest.mark.e2e


def _lima_session_training():
    training = make_training(timezone="America/Lima")
    start = datetime(2030, 3, 15, 20, 0, tzinfo=UTC)  # 15:00 in Lima, 05:00 next day in Tokyo
    training.sessions[0].starts_at, training.sessions[0].ends_at = start, start + timedelta(hours=2)
    training.starts_at, training.ends_at = start, start + timedelta(hours=2)
    db.session.commit()
    return training


@pytest.fixture
def counted_server(app):
    """A live server that records what reaches it (the browser's own cache answers the rest) and the
    gzip size of each answer, as a compressing proxy would send it."""
    served: list[tuple[str, int]] = []

    def counting(environ, start_response):
        answer = app.wsgi_app(environ, start_response)
        try:
            body = b"".join(answer)
        finally:
            answer.close()
        served.append((environ["PATH_INFO"], len(gzip.compress(body))))
        return [body]

    server = make_server("127.0.0.1", 0, counting, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", served
    server.shutdown()
    thread.join()


def test_with_javascript_the_first_visit_shows_the_browsers_local_time(browser, counted_server):
    live_server, served = counted_server
    training = _lima_session_training()
    context = browser.new_context(
        timezone_id="America/Lima", locale="es-ES", viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server}/trainings/{training.id}")
    # Refreshed once. A locator, not wait_for_function: that evaluates a string, which the page's CSP refuses.
    page.locator("body[data-timezone='America/Lima']").wait_for(state="attached")
    assert "15:00" in page.locator("ol.sessions").inner_text()
    assert "hora de Perú" in page.locator(".zone-note").first.inner_text()
    assert {c["name"]: c["value"] for c in context.cookies()}["tz"] == "America/Lima"
    assert errors == []  # the CSP allows the script: no refused inline code
    page.wait_for_load_state("networkidle")
    assert len(served) <= 6 and sum(size for _, size in served) <= 60_000, served  # light first visit
    page.goto(f"{live_server}/trainings")  # later pages know the zone at once: no script, no reload
    assert page.locator("script[src*='timezone.js']").count() == 0
    context.close()


def test_without_javascript_the_page_names_its_zone_and_offers_a_switcher(browser, live_server):
    training = _lima_session_training()
    context = browser.new_context(
        java_script_enabled=False,
        timezone_id="Asia/Tokyo",
        locale="es-ES",
        viewport={"width": 360, "height": 740},
    )
    page = context.new_page()
    page.goto(f"{live_server}/trainings/{training.id}")
    assert "20:00" in page.locator("ol.sessions").inner_text()
    assert "Las horas se muestran en UTC." in page.locator(".zone-note").first.inner_text()
    page.locator(".zone-note").first.get_by_role("link", name="Cambiar la zona horaria").click()
    page.get_by_label("Zona horaria").select_option("America/Lima")
    page.get_by_role("button", name="Usar esta zona horaria").click()
    expect(page).to_have_url(re.compile(rf"/trainings/{training.id}$"))
    assert "15:00" in page.locator("ol.sessions").inner_text()
    assert "hora de Perú" in page.locator(".zone-note").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_switcher_page_has_no_serious_accessibility_problem(page, live_server):
    page.goto(f"{live_server}/timezone?next=/trainings")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert _serious_violations(page) == []
