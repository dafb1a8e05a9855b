"""Invitations through HTTP: only the invited address accepts; admins see, resend and revoke them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.organisations.models import Invitation, Membership, OrganisationRole
from tests.conftest import hidden_fields
from tests.factories import PASSWORD, MembershipFactory, UserFactory


def _org_admin(db, organisation):
    membership = MembershipFactory(organisation=organisation, role=OrganisationRole.ADMIN)
    db.session.commit()
    return membership.user


def _invite(submit, organisation, email: str, role: str = "member", on=None):
    page = f"/organisations/{organisation.slug}"
    return submit(page, {"email": email, "role": role}, action=f"{page}/invite", on=on)


def _link(message) -> str:
    return re.search(r"http://localhost(/invitations/\S+)", message.body_text).group(1)


def _roles(db, user) -> list[OrganisationRole]:
    db.session.expire_all()
    return db.session.scalars(sa.select(Membership.role).where(Membership.user_id == user.id)).all()


@pytest.fixture
def invited(app, client, submit, login_as, db, organisation, mail_outbox):
    """An admin of ``organisation`` invites invitada@example.org; returns (admin, invitation link)."""

    def invite(role="member", email="invitada@example.org"):
        admin = _org_admin(db, organisation)
        _invite(submit, organisation, email, role, on=login_as(admin, on=app.test_client()))
        return admin, _link(mail_outbox()[-1])

    return invite


@pytest.mark.parametrize("role", ["member", "admin"])
def test_invitation_opened_by_another_account_is_refused(app, submit, login_as, db, invited, role):
    _admin, link = invited(role)
    stranger = UserFactory(email="otra@example.org")
    db.session.commit()
    other = login_as(stranger, on=app.test_client())
    page = other.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 403
    assert "Esta invitación se envió a otra dirección" in html
    assert "invitada@example.org" not in html  # the address is not shown to whoever holds the link
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    assert other.post(link, data={"csrf_token": token}).status_code == 403
    assert _roles(db, stranger) == []
    assert db.session.scalar(sa.select(Invitation.accepted_at)) is None


def test_owner_of_the_invited_address_accepts(app, submit, login_as, db, invited, organisation):
    _admin, link = invited("admin", email="Invitada@Example.org")
    invitee = UserFactory(email="invitada@example.org")
    db.session.commit()
    own = login_as(invitee, on=app.test_client())
    response = submit(link, {}, on=own)
    assert (
        response.status_code == 302 and response.headers["Location"] == f"/organisations/{organisation.slug}"
    )
    assert _roles(db, invitee) == [OrganisationRole.ADMIN]
    assert own.get(link).status_code == 302  # used up


def test_new_account_signing_up_with_the_invited_address_accepts_after_verifying(
    app, submit, db, invited, organisation, mail_outbox
):
    _admin, link = invited()
    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    signup = re.search(r'href="(/signup\?next=[^"]+)"', html).group(1).replace("&amp;", "&")
    fields = hidden_fields(visitor.get(signup).get_data(as_text=True), "")
    form = {"name": "Inés Invitada", "email": "invitada@example.org", "password": PASSWORD}
    visitor.post(signup, data={**fields, **form, "timezone": "America/Bogota", "accept_terms": "y"})
    verify = re.search(r"http://localhost(/verify/\S+)", mail_outbox()[-1].body_text).group(1)
    to_login = visitor.get(verify)
    assert to_login.status_code == 302 and "next=" in to_login.headers["Location"]
    login = to_login.headers["Location"]
    fields = hidden_fields(visitor.get(login).get_data(as_text=True), "")
    logged_in = visitor.post(login, data={**fields, "email": form["email"], "password": PASSWORD})
    assert logged_in.headers["Location"] == link  # back at the invitation
    assert submit(link, {}, on=visitor).status_code == 302
    invitee = db.session.scalar(sa.select(Membership).where(Membership.organisation_id == organisation.id))
    assert invitee is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 2


def test_pending_invitations_are_listed_for_the_organisation_admins(
    app, client, login_as, db, invited, organisation
):
    admin, _link = invited(email="pendiente@example.org")
    page = f"/organisations/{organisation.slug}"
    assert "pendiente@example.org" in login_as(admin).get(page).get_data(as_text=True)
    colleague = MembershipFactory(organisation=organisation).user
    db.session.commit()
    html = login_as(colleague, on=app.test_client()).get(page).get_data(as_text=True)
    assert "pendiente@example.org" not in html


def _invitation(db) -> Invitation | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Invitation))


def _invitation_action(client, db, organisation, what: str):
    page = f"/organisations/{organisation.slug}"
    action = f"{page}/invitations/{_invitation(db).id}/{what}"
    fields = hidden_fields(client.get(page).get_data(as_text=True), action)
    return client.post(action, data=fields)


def test_resending_an_invitation_sends_a_new_link_and_kills_the_old_one(
    app, client, login_as, db, invited, organisation, mail_outbox
):
    admin, old_link = invited()
    login_as(admin)
    assert _invitation_action(client, db, organisation, "resend").status_code == 302
    assert len(mail_outbox()) == 2
    new_link = _link(mail_outbox()[-1])
    assert new_link != old_link
    invitee = UserFactory(email="invitada@example.org")
    db.session.commit()
    own = login_as(invitee, on=app.test_client())
    assert own.get(old_link).status_code == 302  # dead: sent home with a message
    assert own.get(new_link).status_code == 200
    assert (
        db.session.scalar(
            sa.select(AuditEvent.actor_id).where(AuditEvent.action == "organisation.invitation_resent")
        )
        == admin.id
    )


def test_revoking_an_invitation_kills_its_link(app, client, login_as, db, invited, organisation, mail_outbox):
    admin, link = invited()
    login_as(admin)
    listed = f"/invitations/{_invitation(db).id}/resend"
    response = _invitation_action(client, db, organisation, "revoke")
    assert response.status_code == 302
    assert listed not in client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    invitee = UserFactory(email="invitada@example.org")
    db.session.commit()
    own = login_as(invitee, on=app.test_client())
    assert own.get(link).status_code == 302
    assert _roles(db, invitee) == []
    assert (
        db.session.scalar(
            sa.select(AuditEvent.actor_id).where(AuditEvent.action == "organisation.invitation_revoked")
        )
        == admin.id
    )


@pytest.mark.parametrize("what", ["resend", "revoke"])
def test_only_organisation_admins_resend_or_revoke(
    app, client, login_as, csrf_token, db, invited, organisation, mail_outbox, what
):
    invited()
    colleague = MembershipFactory(organisation=organisation).user
    db.session.commit()
    login_as(colleague)
    action = f"/organisations/{organisation.slug}/invitations/{_invitation(db).id}/{what}"
    assert client.post(action, data={"csrf_token": csrf_token(page="/account")}).status_code == 403
    assert len(mail_outbox()) == 1
    assert _invitation(db) is not None


def test_a_refused_invitation_is_shown_on_the_page_with_what_was_typed(
    client, submit, login_as, db, organisation
):
    login_as(_org_admin(db, organisation))
    response = _invite(submit, organisation, "no-es-un-correo")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="no-es-un-correo"' in html and 'aria-invalid="true"' in html
