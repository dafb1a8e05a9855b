"""Organisations through HTTP: creation, permissions, concurrent edits, invitations, verification."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from consortium.organisations.models import Membership, Organisation, OrganisationRole
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

FORM = {
    "name": "Datos Vivos",
    "country": "PE",
    "city": "Cusco",
    "timezone": "America/Lima",
    "kind": "open_data",
    "focus_areas": ["inclusion", "governance"],
    "website": "https://datosvivos.example",
    "description": "Una **red** local.",
}


def _org_admin(db, organisation):
    membership = MembershipFactory(organisation=organisation, role=OrganisationRole.ADMIN)
    db.session.commit()
    return membership.user


def test_member_registers_an_organisation_and_becomes_its_admin(client, submit, login_as, member, db):
    login_as(member)
    response = submit("/organisations/new", FORM)
    assert response.status_code == 302
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Datos Vivos"))
    assert organisation.verified_at is None and organisation.focus_areas == ["inclusion", "governance"]
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == member.id))
    assert membership.role is OrganisationRole.ADMIN


def test_submitting_the_form_twice_creates_one_organisation(client, login_as, member, db):
    from tests.conftest import hidden_fields

    login_as(member)
    fields = hidden_fields(client.get("/organisations/new").get_data(as_text=True), "/organisations/new")
    first = client.post("/organisations/new", data={**fields, **FORM})
    second = client.post("/organisations/new", data={**fields, **FORM})
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


def test_invalid_form_keeps_what_was_typed(client, submit, login_as, member):
    login_as(member)
    response = submit("/organisations/new", {**FORM, "country": "", "website": "not a url"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="Datos Vivos"' in html and "https://example.org" in html


def test_unverified_organisation_is_hidden_from_the_public(client, db):
    OrganisationFactory(slug="pendiente", verified_at=None)
    db.session.commit()
    assert client.get("/organisations/pendiente").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("member", 403), ("other_admin", 403), ("own_admin", 200), ("staff", 200)],
)
def test_only_own_admins_and_staff_edit_an_organisation(app, client, login_as, db, organisation, who, status):
    users = {
        "member": lambda: MembershipFactory(organisation=organisation).user,
        "other_admin": lambda: MembershipFactory(role=OrganisationRole.ADMIN).user,
        "own_admin": lambda: MembershipFactory(organisation=organisation, role=OrganisationRole.ADMIN).user,
        "staff": lambda: UserFactory(staff=True),
    }
    if who != "anonymous":
        user = users[who]()
        db.session.commit()
        login_as(user)
    assert client.get(f"/organisations/{organisation.slug}/edit").status_code == status


def test_concurrent_edit_is_detected_and_keeps_both_versions(app, client, submit, login_as, db, organisation):
    from tests.conftest import hidden_fields

    admin = _org_admin(db, organisation)
    login_as(admin)
    url = f"/organisations/{organisation.slug}/edit"
    stale = hidden_fields(client.get(url).get_data(as_text=True), url)
    other = login_as(admin, on=app.test_client())
    submit(url, {**FORM, "name": "Saved First"}, on=other)
    response = client.post(url, data={**stale, **FORM, "name": "Typed Second"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'value="Typed Second"' in html and "Saved First" in html
    db.session.refresh(organisation)
    assert organisation.name == "Saved First"


def test_invitation_adds_the_person_once(app, client, submit, login_as, db, organisation, mail_outbox):
    admin = _org_admin(db, organisation)
    invitee = UserFactory(email="nuevo@example.org")
    db.session.commit()
    login_as(admin)
    submit(
        f"/organisations/{organisation.slug}",
        {"email": "nuevo@example.org", "role": "member"},
        action=f"/organisations/{organisation.slug}/invite",
    )
    [message] = mail_outbox()
    token_path = re.search(r"http://localhost(/invitations/\S+)", message.body_text).group(1)
    invited = login_as(invitee, on=app.test_client())
    assert submit(token_path, {}, on=invited).status_code == 302
    roles = db.session.scalars(sa.select(Membership.role).where(Membership.user_id == invitee.id)).all()
    assert roles == [OrganisationRole.MEMBER]
    assert invited.get(token_path).status_code == 302  # used up


def test_staff_verify_an_organisation_and_its_admins_are_told(
    app, client, submit, login_as, db, staff, mail_outbox
):
    organisation = OrganisationFactory(verified_at=None)
    db.session.flush()
    _org_admin(db, organisation)
    login_as(staff)
    page = f"/organisations/{organisation.slug}"
    response = submit(page, {}, action=f"{page}/verify")
    assert response.status_code == 302
    db.session.refresh(organisation)
    assert organisation.verified_at is not None
    assert [m.template for m in mail_outbox()] == ["organisation_verified"]


def test_member_cannot_verify(client, login_as, member, csrf_token, db):
    organisation = OrganisationFactory(verified_at=None)
    db.session.commit()
    login_as(member)
    token = csrf_token(page="/account")
    assert (
        client.post(f"/organisations/{organisation.slug}/verify", data={"csrf_token": token}).status_code
        == 403
    )


def test_directory_query_count_does_not_grow_with_organisations(client, db, count_queries):
    def queries_for(total):
        OrganisationFactory.create_batch(total)
        db.session.commit()
        with count_queries() as queries:
            assert client.get("/organisations").status_code == 200
        return len(queries)

    few = queries_for(5)
    many = queries_for(60)
    assert few == many <= 4
