"""The phone check-in list: mark attendance at 360 px, reload, it stays."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from consortium.db import db
from consortium.users import sessions
from tests.factories import UserFactory
from tests.trainings.factories import make_member, make_training
from trainings.models import Modality, Registration, RegistrationState

pytestmark = pytest.mark.e2e
STARTED_MINUTES_AGO = 15  # attendance is marked from a session's start


def _sign_in(context, live_server, user):
    """A server-side session for ``user``, handed to the browser as Flask's session cookie."""
    from flask import current_app
    from flask.sessions import SecureCookieSessionInterface

    token = sessions.start_session(user)
    db.session.commit()
    serializer = SecureCookieSessionInterface().get_signing_serializer(current_app)
    cookie = serializer.dumps({"_user_id": token, "_fresh": True})
    context.add_cookies([{"name": "session", "value": cookie, "url": live_server}])


@pytest.mark.parametrize("javascript", [True, False])
def test_check_in_list_on_a_phone_keeps_attendance_after_reload(browser, live_server, javascript):
    training = make_training(
        days_ahead=-STARTED_MINUTES_AGO / 1440, title={"es": "Taller en el teléfono", "en": "Phone workshop"}
    )
    person = make_member(name="Rosa Presente")
    db.session.add(
        Registration(training_id=training.id, user_id=person.id, state=RegistrationState.CONFIRMED)
    )
    staff = UserFactory(staff=True, locale="en")
    db.session.commit()
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 360, "height": 740}, locale="es-ES"
    )
    _sign_in(context, live_server, staff)
    page = context.new_page()
    url = f"{live_server}/trainings/{training.id}/sessions/{training.sessions[0].id}/check-in"
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"
    button = page.get_by_role("button", name="Mark Rosa Presente present")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 360
    button.click()
    page.wait_for_load_state()
    page.reload()
    expect(page.get_by_role("button", name="Undo: Rosa Presente is present")).to_be_visible()
    assert "1 of 1 present" in page.content()
    context.close()


@pytest.mark.parametrize("path", ["/trainings", "/trainings/{id}", "/trainings/reach"])
def test_training_pages_fit_a_phone_without_serious_accessibility_problems(page, live_server, path):
    from tests.e2e.test_foundation import _check_phone_page

    training = make_training(sessions=2)
    db.session.commit()
    _check_phone_page(page, live_server + path.format(id=training.id))


@pytest.mark.parametrize(
    "path",
    [
        "/trainings/new",
        "/trainings/{id}/registrations",
        "/trainings/{id}/sessions/{sid}/check-in",
        "/trainings/reach/staff",
        "/trainings/{id}/register",
    ],
)
def test_staff_and_form_pages_fit_a_phone_without_serious_accessibility_problems(browser, live_server, path):
    from tests.e2e.test_foundation import _serious_violations
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(is_consortium_member=True)
    training = make_training(
        organiser=organisation, modality=Modality.IN_PERSON, days_ahead=-STARTED_MINUTES_AGO / 1440
    )
    person = make_member(organisation, name="Rosa Presente")
    db.session.add(
        Registration(training_id=training.id, user_id=person.id, state=RegistrationState.CONFIRMED)
    )
    staff = UserFactory(staff=True, locale="en")
    db.session.commit()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-ES")
    _sign_in(context, live_server, staff)
    page = context.new_page()
    page.goto(live_server + path.format(id=training.id, sid=training.sessions[0].id))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"
    assert _serious_violations(page) == []
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_phone_check_in_search_ignores_accents_and_finds_organisations(browser, live_server, javascript):
    from tests.factories import OrganisationFactory

    training = make_training(days_ahead=-STARTED_MINUTES_AGO / 1440)
    nandu = OrganisationFactory(name="Colectivo Ñandú")
    for name, organisation in (("María Peña", None), ("João Silva", nandu), ("Pedro Ruiz", None)):
        person = make_member(organisation, name=name)
        db.session.add(
            Registration(
                training_id=training.id,
                user_id=person.id,
                organisation_id=person.memberships[0].organisation_id,
                state=RegistrationState.CONFIRMED,
            )
        )
    staff = UserFactory(staff=True, locale="en")
    db.session.commit()
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 360, "height": 740}, locale="es-ES"
    )
    _sign_in(context, live_server, staff)
    page = context.new_page()
    page.goto(f"{live_server}/trainings/{training.id}/sessions/{training.sessions[0].id}/check-in")
    for query, found in (("maria pena", "María Peña"), ("nandu", "João Silva"), ("JOAO", "João Silva")):
        search = page.get_by_label("Find a person or an organisation")
        search.fill(query)
        search.press("Enter")
        page.wait_for_load_state()
        names = page.locator(".checkin .who strong").all_inner_texts()
        assert names == [found], (query, names)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        box = page.get_by_role("button", name=f"Mark {found} present").bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= 360
    context.close()
