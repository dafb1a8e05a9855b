"""Meetings, decisions and following in a real browser: the pages fit a 360 px phone and a 1280 px screen
without serious accessibility problems, and a person follows a space with JavaScript switched off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from consortium import transaction
from consortium.db import db
from consortium.governance import services
from consortium.governance.records import Position, SpaceFollow
from consortium.governance.services import minutes
from tests.e2e.test_governance import _fits, _log_in, governance  # noqa: F401  (the fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def records(app, governance, mail_outbox):  # noqa: F811
    space = governance["space"]
    seats = sorted(space.seats, key=lambda seat: seat.id)
    start = datetime.now(UTC) - timedelta(days=3)
    # the attendees are e-mailed a link to the draft: the links need the site's address
    with app.test_request_context(), transaction.writing():
        space.timezone = "America/Sao_Paulo"
        meeting = services.schedule_meeting(
            space,
            by=None,
            title="Plenaria de diciembre con un título bastante largo para un teléfono",
            agenda="1. Devoluciones\n2. Datos personales",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            online_url="https://meet.example.org/una-direccion-de-reunion-bastante-larga-para-el-telefono",
            place="Brasília",
        )
        services.record_attendance(meeting, by=None, seat_ids={s.id for s in seats})
        minutes.post_draft(
            meeting,
            by=None,
            minutes={"pt_BR": "Ata aprovada. " * 20},
            review_until=start + timedelta(days=1),
            now=start + timedelta(hours=3),
        )
        minutes.approve(meeting, by=None)
        # a correction under the attendees' review: the page shows the draft, its comments and the form
        minutes.post_draft(
            meeting,
            by=None,
            minutes={"pt_BR": "Ata corrigida. " * 20},
            review_until=datetime.now(UTC) + timedelta(days=1),
        )
        decision = services.record_decision(
            space,
            by=None,
            text="Mostrar solo el primer nombre. " * 5,
            rationale="Las contribuciones lo pidieron. " * 5,
            language="es",
            meeting=meeting,
            positions={seats[0].id: Position.SUPPORTED, seats[1].id: Position.ABSTAINED},
            principles=["F4", "O3"],
        )
        db.session.commit()
    return {**governance, "meeting": meeting, "decision": decision}


@pytest.mark.parametrize("width", [360, 1280])
def test_meeting_and_decision_pages_fit_phone_and_desktop(app, browser, live_server, records, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="es-ES")
    _log_in(app, context, live_server, records["convenor"])
    page = context.new_page()
    space, meeting, decision = records["space"], records["meeting"], records["decision"]
    for path in (
        f"/governance/spaces/{space.id}",
        f"/governance/spaces/{space.id}/meetings",
        f"/governance/meetings/{meeting.id}",
        f"/governance/spaces/{space.id}/meetings/new",
        f"/governance/meetings/{meeting.id}/attendance",
        f"/governance/meetings/{meeting.id}/minutes",
        f"/governance/meetings/{meeting.id}/edit",
        f"/governance/meetings/{meeting.id}/cancel",
        f"/governance/spaces/{space.id}/decisions",
        f"/governance/decisions/{decision.id}",
        f"/governance/spaces/{space.id}/decisions/new",
    ):
        page.goto(live_server + path)
        _fits(page, width)
    if width == 1280:  # reading pages are not squeezed into a form's column on a wide screen
        for path in (f"/governance/meetings/{meeting.id}", f"/governance/decisions/{decision.id}"):
            page.goto(live_server + path)
            column = page.evaluate(
                "document.querySelector('main > .wrap > div').getBoundingClientRect().width"
            )
            assert column >= 0.6 * 1088, (path, column)
    context.close()


def test_a_person_follows_a_space_without_javascript_on_a_phone(app, browser, live_server, records):
    person = UserFactory(locale="es")
    db.session.commit()
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="es-ES", java_script_enabled=False
    )
    _log_in(app, context, live_server, person)
    page = context.new_page()
    space = records["space"]
    page.goto(f"{live_server}/governance/spaces/{space.id}")
    page.get_by_role("button", name="Seguir este espacio").click()
    page.wait_for_url(f"**/governance/spaces/{space.id}")
    expect(page.get_by_role("button", name="Dejar de seguir")).to_be_visible()
    db.session.rollback()
    assert db.session.scalars(sa.select(SpaceFollow.user_id)).all() == [person.id]
    context.close()
