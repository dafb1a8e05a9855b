"""Spaces: staff create, edit and move them through their states; visitors see what they may."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from consortium.governance.models import SeatRole, Space, SpaceState
from consortium.reference.systems import ensure_reference_systems
from tests.conftest import field_error, hidden_fields
from tests.factories import UserFactory


def _new_space_data(db, **overrides) -> dict:
    systems, _ = ensure_reference_systems()
    db.session.commit()
    return {
        "slug": "bre-b-colombia",
        "title_es": "Espacio de Bre-B",
        "charter_es": "Carta.",
        "scope": "system",
        "system_id": str(systems["bre-b"].id),
        "countries": ["CO"],
        "languages": ["es", "en"],
        "stage": "L3",
        "is_public": "y",
        **overrides,
    }


def test_staff_create_a_space_as_a_draft(client, login_as, staff, submit, db):
    login_as(staff)
    response = submit("/governance/spaces/new", _new_space_data(db))
    assert response.status_code == 302
    space = db.session.scalars(sa.select(Space)).one()
    assert space.state is SpaceState.DRAFT
    assert (space.title, space.languages) == ({"es": "Espacio de Bre-B"}, ["es", "en"])
    assert response.headers["Location"] == f"/governance/spaces/{space.id}"


def test_a_space_needs_a_title_in_some_language_and_keeps_what_was_typed(client, login_as, staff, submit, db):
    login_as(staff)
    response = submit("/governance/spaces/new", _new_space_data(db, title_es="", charter_es="Mi carta"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(html, "title_es")
    assert "Mi carta" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Space)) == 0


def test_a_taken_address_is_refused_with_a_translated_error(client, login_as, staff, submit, make_space, db):
    make_space(slug="bre-b-colombia")
    login_as(staff)
    response = submit("/governance/spaces/new", _new_space_data(db))
    assert field_error(response.get_data(as_text=True), "slug") == "Otro espacio ya usa esta dirección."


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_only_staff_create_spaces(client, login_as, member, who):
    if who == "member":
        login_as(member)
    assert client.get("/governance/spaces/new").status_code in ({"anonymous": 302, "member": 403}[who],)


def test_draft_spaces_are_hidden_from_everyone_but_staff(client, login_as, make_space, member, staff):
    draft = make_space(state=SpaceState.DRAFT)
    assert client.get(f"/governance/spaces/{draft.id}").status_code == 404
    assert "Espacio de Pix" not in client.get("/governance").get_data(as_text=True)
    login_as(member)
    assert client.get(f"/governance/spaces/{draft.id}").status_code == 404
    login_as(staff)
    assert client.get(f"/governance/spaces/{draft.id}").status_code == 200


def test_a_members_only_space_is_seen_by_its_seat_holders(client, login_as, make_space, seat_in, member):
    space = make_space(is_public=False)
    seated = seat_in(space, SeatRole.OBSERVER)
    assert client.get(f"/governance/spaces/{space.id}").status_code == 404
    login_as(member)
    assert client.get(f"/governance/spaces/{space.id}").status_code == 404
    assert "Espacio de Pix" not in client.get("/governance").get_data(as_text=True)
    login_as(seated)
    assert client.get(f"/governance/spaces/{space.id}").status_code == 200
    assert "Espacio de Pix" in client.get("/governance").get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "title", "notice"),
    [("es", "Espacio de Pix", True), ("pt_BR", "Espaço do Pix", False), ("en", "Espaço do Pix", True)],
)
def test_a_text_missing_in_the_readers_language_falls_back_with_a_notice(client, space, lang, title, notice):
    client.set_cookie("lang", lang)
    html = client.get(f"/governance/spaces/{space.id}").get_data(as_text=True)
    assert title in html
    assert "Carta do espaço." in html  # the charter exists only in Portuguese, the space's main language
    assert 'lang="pt-BR"' in html
    assert ('id="charter-fallback"' in html) is notice


def test_an_edit_on_an_outdated_page_is_shown_beside_the_saved_version(client, login_as, staff, space, db):
    login_as(staff)
    page = f"/governance/spaces/{space.id}/edit"
    fields = hidden_fields(client.get(page).get_data(as_text=True), "")
    db.session.get(Space, space.id).title = {"es": "Cambiado por otra persona"}
    db.session.commit()
    data = {**_new_space_data(db), **fields, "title_es": "Mi título"}
    response = client.post(page, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Cambiado por otra persona" in html and "Mi título" in html
    assert db.session.get(Space, space.id).title == {"es": "Cambiado por otra persona"}
    again = hidden_fields(html, "")
    assert client.post(page, data={**data, **again}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Space, space.id).title == {"es": "Mi título"}


def _token(client, page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).get_data(as_text=True)).group(1)


def test_states_move_only_along_the_allowed_transitions(client, login_as, staff, make_space, db):
    space = make_space(state=SpaceState.DRAFT)
    login_as(staff)
    token = _token(client, f"/governance/spaces/{space.id}")
    url = f"/governance/spaces/{space.id}/state"
    assert client.post(f"{url}/paused", data={"csrf_token": token}).status_code == 302  # refused: draft
    db.session.expire_all()
    assert db.session.get(Space, space.id).state is SpaceState.DRAFT
    for to in ("active", "paused", "active", "archived"):
        client.post(f"{url}/{to}", data={"csrf_token": token})
        db.session.expire_all()
        assert db.session.get(Space, space.id).state is SpaceState(to)
    client.post(f"{url}/active", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Space, space.id).state is SpaceState.ARCHIVED


def test_members_cannot_change_a_state(client, login_as, space, seat_in):
    convenor = seat_in(space, SeatRole.CONVENOR)
    login_as(convenor)
    token = _token(client, f"/governance/spaces/{space.id}/roster")
    response = client.post(f"/governance/spaces/{space.id}/state/paused", data={"csrf_token": token})
    assert response.status_code == 403


def test_the_list_shows_public_active_spaces_to_anonymous_visitors(client, make_space):
    make_space()
    make_space(slug="bre-b", title={"es": "Espacio de Bre-B"}, is_public=False)
    html = client.get("/governance").get_data(as_text=True)
    assert "Espacio de Pix" in html and "Espacio de Bre-B" not in html


def test_staff_see_the_list_with_drafts(client, login_as, make_space):
    make_space(state=SpaceState.DRAFT)
    login_as(UserFactory(staff=True))
    assert "Espacio de Pix" in client.get("/governance").get_data(as_text=True)
