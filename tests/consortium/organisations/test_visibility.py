"""An organisation awaiting verification is seen by its own people and consortium staff only."""

from __future__ import annotations

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

EXPECTED = {"anonymous": 404, "other_member": 404, "own_member": 200, "staff": 200, "admin": 200}


@pytest.fixture
def pending(db):
    organisation = OrganisationFactory(slug="en-espera", name="Red En Espera", verified_at=None)
    db.session.commit()
    return organisation


def _viewer(who, app, login_as, db, organisation):
    client = app.test_client()
    people = {
        "other_member": lambda: MembershipFactory().user,
        "own_member": lambda: MembershipFactory(organisation=organisation).user,
        "staff": lambda: UserFactory(staff=True),
        "admin": lambda: UserFactory(admin=True),
    }
    if who != "anonymous":
        user = people[who]()
        db.session.commit()
        login_as(user, on=client)
    return client


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("path", ["/organisations/en-espera", "/api/v1/organisations/en-espera"])
def test_unverified_organisation_is_seen_only_by_its_members_and_staff(app, login_as, db, pending, who, path):
    client = _viewer(who, app, login_as, db, pending)
    assert client.get(path).status_code == EXPECTED[who]


@pytest.mark.parametrize("who", ["anonymous", "other_member", "own_member"])
def test_directory_lists_only_verified_organisations(app, login_as, db, pending, who):
    client = _viewer(who, app, login_as, db, pending)
    assert "Red En Espera" not in client.get("/organisations?pending=1").get_data(as_text=True)
    names = [o["name"] for o in client.get("/api/v1/organisations").get_json()]
    assert "Red En Espera" not in names


def test_staff_find_unverified_organisations_in_the_directory(app, login_as, db, pending):
    client = _viewer("staff", app, login_as, db, pending)
    assert "Red En Espera" in client.get("/organisations?pending=1").get_data(as_text=True)
