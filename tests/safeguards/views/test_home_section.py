"""/home lists a pilot team member's pilots with their latest cycle's state; others see no such section."""

from __future__ import annotations

from consortium.db import db
from safeguards import services


def test_a_pilot_member_finds_the_latest_cycle_of_each_pilot_on_home(client, login_as, make_pilot, lead):
    pilot = make_pilot("Bre-B · Colombia", lead=lead)
    first = services.start_assessment(pilot, by=lead)
    db.session.commit()
    page = login_as(lead).get("/home").get_data(as_text=True)
    assert "Sus pilotos" in page
    assert "Bre-B · Colombia" in page
    assert f"/safeguards/assessments/{first.id}" in page
    assert "Ciclo 1" in page


def test_someone_in_no_pilot_sees_no_pilot_section(client, login_as, member):
    page = login_as(member).get("/home").get_data(as_text=True)
    assert "Sus pilotos" not in page
