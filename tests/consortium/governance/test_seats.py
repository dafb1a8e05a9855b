"""Seats: convenors and staff grant them to people acting for verified organisations; the roster is public."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.governance.models import Seat, SeatRole
from tests.conftest import hidden_fields
from tests.consortium.governance.conftest import end_from_the_roster
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

# granting and ending a seat tell the person (tests/consortium/governance/test_seat_mail.py)
pytestmark = pytest.mark.usefixtures("mail_outbox")


@pytest.fixture
def candidate(db):
    """A person and the verified organisation they act for."""
    person = UserFactory(email="nina@example.org", name="Nina Navarro")
    organisation = OrganisationFactory(name="Fundación Abierta")
    MembershipFactory(user=person, organisation=organisation)
    db.session.commit()
    return person, organisation


def _seat_data(organisation, **overrides) -> dict:
    return {
        "email": "nina@example.org",
        "organisation_id": str(organisation.id),
        "sector": "advocates",
        "role": "member",
        "term_starts_on": "2026-01-01",
        "term_ends_on": "2027-12-31",
        "interests": "Ninguno declarado.",
        **overrides,
    }


def _seats(db) -> list[Seat]:
    db.session.expire_all()
    return db.session.scalars(sa.select(Seat)).all()


def test_a_convenor_grants_a_seat_and_the_roster_shows_it_publicly(
    client, login_as, space, convenor, candidate, submit, db
):
    person, organisation = candidate
    login_as(convenor)
    response = submit(f"/governance/spaces/{space.id}/seats/new", _seat_data(organisation))
    assert response.status_code == 302
    seat = next(s for s in _seats(db) if s.user_id == person.id)
    assert (seat.role, seat.sector, seat.organisation_id) == (SeatRole.MEMBER, "advocates", organisation.id)
    client.get("/logout")
    anonymous = client.application.test_client()
    html = anonymous.get(f"/governance/spaces/{space.id}/roster").get_data(as_text=True)
    assert "Nina Navarro" in html and "Fundación Abierta" in html and "Ninguno declarado." in html


def test_a_convenor_cannot_make_another_convenor(client, login_as, space, convenor, candidate, submit, db):
    login_as(convenor)
    page = f"/governance/spaces/{space.id}/seats/new"
    assert 'value="convenor"' not in client.get(page).get_data(as_text=True)
    response = submit(page, _seat_data(candidate[1], role="convenor"))
    assert response.status_code == 200
    assert len(_seats(db)) == 1  # only the convenor's own


def test_staff_make_convenors(client, login_as, staff, space, candidate, submit, db):
    login_as(staff)
    response = submit(f"/governance/spaces/{space.id}/seats/new", _seat_data(candidate[1], role="convenor"))
    assert response.status_code == 302
    assert [s.role for s in _seats(db)] == [SeatRole.CONVENOR]


@pytest.mark.parametrize("role", [SeatRole.MEMBER, SeatRole.OBSERVER, SeatRole.FOCAL_POINT])
def test_other_seat_holders_cannot_grant_seats(client, login_as, space, seat_in, role):
    login_as(seat_in(space, role))
    assert client.get(f"/governance/spaces/{space.id}/seats/new").status_code == 403


def test_members_without_a_seat_cannot_grant_seats(client, login_as, space, member):
    login_as(member)
    assert client.get(f"/governance/spaces/{space.id}/seats/new").status_code == 403


def test_seats_are_for_verified_organisations(client, login_as, staff, space, candidate, submit, db):
    organisation = candidate[1]
    organisation.verified_at = None
    db.session.commit()
    login_as(staff)
    page = f"/governance/spaces/{space.id}/seats/new"
    # an unverified organisation is not even offered; a forged choice is refused
    assert "Fundación Abierta" not in client.get(page).get_data(as_text=True)
    response = submit(page, _seat_data(organisation))
    assert response.status_code == 200 and _seats(db) == []


def test_the_person_must_act_for_the_organisation(client, login_as, staff, space, candidate, submit, db):
    other = OrganisationFactory(name="Otra")
    db.session.commit()
    login_as(staff)
    response = submit(f"/governance/spaces/{space.id}/seats/new", _seat_data(other))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Esta persona no actúa en nombre de esta organización." in html
    assert "Ninguno declarado." in html  # what was typed is kept
    assert _seats(db) == []


def test_one_seat_per_person_and_space(client, login_as, staff, space, candidate, submit, db):
    login_as(staff)
    page = f"/governance/spaces/{space.id}/seats/new"
    assert submit(page, _seat_data(candidate[1])).status_code == 302
    response = submit(page, _seat_data(candidate[1], role="observer"))
    assert "ya ocupa un puesto" in response.get_data(as_text=True)
    assert len(_seats(db)) == 1


def test_a_term_cannot_end_before_it_starts(client, login_as, staff, space, candidate, submit, db):
    login_as(staff)
    data = _seat_data(candidate[1], term_ends_on="2025-01-01")
    response = submit(f"/governance/spaces/{space.id}/seats/new", data)
    assert "El mandato no puede terminar antes de empezar." in response.get_data(as_text=True)


def test_a_convenor_ends_a_members_term_and_it_stops_counting(client, login_as, space, convenor, seat_in, db):
    seated = seat_in(space, SeatRole.MEMBER)
    login_as(convenor)
    ended = end_from_the_roster(client, space, seated)
    assert ended.term_ends_on is not None and not ended.is_current(space.today())


def test_a_seat_granted_twice_at_once_is_granted_once(
    post_at_once, client, login_as, staff, space, candidate, db
):
    login_as(staff)
    page = f"/governance/spaces/{space.id}/seats/new"
    data = {**hidden_fields(client.get(page).get_data(as_text=True), ""), **_seat_data(candidate[1])}
    answers = post_at_once(client, page, data)
    assert sorted(status for status, _ in answers)[0] == 302, answers
    assert len(_seats(db)) == 1
