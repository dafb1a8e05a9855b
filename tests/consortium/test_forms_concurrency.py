"""consortium.forms under concurrency: a form sent twice at once (a double click reaching two server
processes) acts once. Organisation creation, invitation and sign-up use OnceForm and first_submission."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.organisations.models import Invitation, Membership, Organisation, OrganisationRole
from consortium.users.models import User
from tests.conftest import hidden_fields
from tests.factories import MembershipFactory

ORGANISATION = {
    "name": "Datos Vivos",
    "country": "PE",
    "city": "Cusco",
    "timezone": "America/Lima",
    "kind": "open_data",
    "focus_areas": ["inclusion"],
    "website": "https://datosvivos.example",
    "description": "Una red local.",
}


def _form(client, page: str, action: str | None = None) -> dict:
    return hidden_fields(client.get(page).get_data(as_text=True), action or page)


def _one_answer_for_all(answers) -> None:
    """Every process answers as the first one did: the same redirect, never an error."""
    assert {status for status, _ in answers} == {302}, answers
    assert len({location for _, location in answers}) == 1, answers


def test_organisation_sent_twice_at_once_is_created_once(post_at_once, client, login_as, member, db):
    login_as(member)
    answers = post_at_once(
        client, "/organisations/new", {**_form(client, "/organisations/new"), **ORGANISATION}
    )
    _one_answer_for_all(answers)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 1


def test_invitation_sent_twice_at_once_invites_once(
    post_at_once, client, login_as, organisation, db, mail_outbox
):
    admin = MembershipFactory(organisation=organisation, role=OrganisationRole.ADMIN).user
    db.session.commit()
    login_as(admin)
    page, action = f"/organisations/{organisation.slug}", f"/organisations/{organisation.slug}/invite"
    data = {**_form(client, page, action), "email": "nuevo@example.org", "role": "member"}
    answers = post_at_once(client, action, data, page=page)
    _one_answer_for_all(answers)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1
    assert [message.to_email for message in mail_outbox()] == ["nuevo@example.org"]


def test_signup_sent_twice_at_once_creates_one_account_and_one_mail(post_at_once, client, db, mail_outbox):
    data = {
        **_form(client, "/signup"),
        "name": "Ana",
        "email": "ana@example.org",
        "password": "Tres-Llamas-Cruzan-El-Rio",
        "timezone": "UTC",
        "accept_terms": "y",
    }
    answers = post_at_once(client, "/signup", data)
    _one_answer_for_all(answers)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert [message.template for message in mail_outbox()] == ["verify_email"]
