"""Consultations: the convenor writes the document in sections and opens it, seat holders contribute per
section (the lifecycle is in test_lifecycle, the official responses in test_responses)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from consortium.governance.contribution_models import Contribution
from consortium.governance.models import Consultation, ConsultationState, SeatRole, Section, Space, SpaceState
from tests.conftest import field_error, hidden_fields


def _reload(db, model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def _contribute(client, consultation, section, body="Propongo mostrar solo el primer nombre."):
    page = f"/governance/consultations/{consultation.id}"
    action = f"/governance/sections/{section.id}/contributions"
    fields = hidden_fields(client.get(page).get_data(as_text=True), action)
    return client.post(action, data={**fields, f"s{section.id}-body": body})


def _step(client, consultation, step):
    page = f"/governance/consultations/{consultation.id}"
    action = f"{page}/{step}"
    return client.post(action, data=hidden_fields(client.get(page).get_data(as_text=True), action))


@pytest.fixture
def consultation(space, make_consultation):
    return make_consultation(space)


def test_a_convenor_writes_a_draft_and_opens_it(client, login_as, space, convenor, submit, db):
    login_as(convenor)
    response = submit(
        f"/governance/spaces/{space.id}/consultations/new", {"title": "Consulta", "language": "es"}
    )
    consultation = db.session.scalars(sa.select(Consultation)).one()
    assert response.headers["Location"] == f"/governance/consultations/{consultation.id}"
    # opening an empty document is refused
    _step(client, consultation, "open")
    assert _reload(db, Consultation, consultation.id).state is ConsultationState.DRAFT
    page = f"/governance/consultations/{consultation.id}/sections/new"
    assert submit(page, {"heading": "Alcance", "body": "Texto."}).status_code == 302
    _step(client, consultation, "open")
    assert _reload(db, Consultation, consultation.id).state is ConsultationState.OPEN


def test_a_draft_consultation_is_hidden_from_visitors(client, space, make_consultation):
    draft = make_consultation(space, open_=False)
    assert client.get(f"/governance/consultations/{draft.id}").status_code == 404


def test_a_member_contributes_to_a_section(client, login_as, space, seat_in, consultation, db):
    login_as(seat_in(space, SeatRole.MEMBER))
    section = consultation.sections[1]
    assert _contribute(client, consultation, section).status_code == 302
    contribution = db.session.scalars(sa.select(Contribution)).one()
    assert (contribution.section_id, contribution.revision) == (section.id, 1)
    assert contribution.organisation_id is not None


def test_an_empty_contribution_shows_the_error_under_its_section(
    client, login_as, space, seat_in, consultation, db
):
    login_as(seat_in(space, SeatRole.MEMBER))
    section = consultation.sections[0]
    response = _contribute(client, consultation, section, body="")
    assert response.status_code == 200 and field_error(response.get_data(as_text=True), f"s{section.id}-body")
    assert db.session.scalars(sa.select(Contribution)).all() == []


@pytest.mark.parametrize("who", ["observer", "member without seat", "anonymous"])
def test_only_seat_holders_who_take_part_contribute(
    client, login_as, space, seat_in, member, consultation, who, db
):
    if who == "observer":
        login_as(seat_in(space, SeatRole.OBSERVER))
    elif who == "member without seat":
        login_as(member)
    page = f"/governance/consultations/{consultation.id}"
    html = client.get(page).get_data(as_text=True)
    assert "/contributions" not in html  # no form offered
    if who == "anonymous":
        html = client.get("/login").get_data(as_text=True)  # a token the session holds
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    data = {"csrf_token": token.group(1) if token else "", "s1-body": "Hola"}
    response = client.post(f"/governance/sections/{consultation.sections[0].id}/contributions", data=data)
    assert db.session.scalars(sa.select(Contribution)).all() == []
    assert response.status_code == (403 if who != "anonymous" else 302)


def test_a_section_edit_on_an_outdated_page_is_shown_beside_the_saved_one(
    client, login_as, space, convenor, consultation, db
):
    section = consultation.sections[0]
    login_as(convenor)
    page = f"/governance/sections/{section.id}/edit"
    fields = hidden_fields(client.get(page).get_data(as_text=True), "")
    other = hidden_fields(client.get(page).get_data(as_text=True), "")
    assert (
        client.post(page, data={**other, "heading": "Versión de otra persona", "body": "B"}).status_code
        == 302
    )
    response = client.post(page, data={**fields, "heading": "Mi versión", "body": "A"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Versión de otra persona" in html and "Mi versión" in html
    saved = _reload(db, Section, section.id)
    assert saved.heading == "Versión de otra persona"
    # an edit while open makes a new revision of the document
    assert _reload(db, Consultation, consultation.id).revision == 2


def test_a_space_with_an_open_consultation_cannot_be_archived(
    client, login_as, staff, space, consultation, db
):
    login_as(staff)
    page, action = f"/governance/spaces/{space.id}", f"/governance/spaces/{space.id}/state/archived"
    response = client.post(action, data=hidden_fields(client.get(page).get_data(as_text=True), action))
    assert response.status_code == 302
    assert _reload(db, Space, space.id).state is SpaceState.ACTIVE
    assert "Cierre las consultas abiertas" in client.get(page).get_data(as_text=True)
