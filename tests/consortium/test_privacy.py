"""Personal data through HTTP: the privacy page, downloading one's data, deleting one's account."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.db import utcnow
from consortium.organisations.models import Invitation, Membership, OrganisationRole
from consortium.permissions import Role
from consortium.users.models import ApiToken, User, UserSession
from tests.factories import PASSWORD, MembershipFactory, UserFactory

STRONG = "Tres-Llamas-Cruzan-El-Rio"


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("es", "Qué datos guardamos"),
        ("pt_BR", "Quais dados guardamos"),
        ("en", "What we keep"),
    ],
)
def test_privacy_page_speaks_three_languages_and_is_linked_from_every_page(client, language, sentence):
    client.set_cookie("lang", language)
    page = client.get("/privacy")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert sentence in html and "90" in html  # says how long registration answers are kept
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)


def _export(submit, client):
    response = submit("/account", {}, action="/account/export", on=client)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return json.loads(response.get_data(as_text=True))


def test_person_downloads_their_account_data_as_json(client, submit, login_as, db):
    person = UserFactory(name="Dora Datos", email="dora@example.org")
    MembershipFactory(user=person)
    db.session.commit()
    login_as(person)
    submit("/account", {"name": "script"}, action="/account/tokens")
    data = _export(submit, client)
    assert data["account"]["email"] == "dora@example.org" and data["account"]["name"] == "Dora Datos"
    assert [m["role"] for m in data["memberships"]] == ["member"]
    assert [t["name"] for t in data["api_tokens"]] == ["script"]
    assert data["sessions"] and "user_agent" in data["sessions"][0]
    assert any(a["action"] == "create" for a in data["activity"])
    text = json.dumps(data)
    hashes = [
        *db.session.scalars(sa.select(ApiToken.token_hash)),
        *db.session.scalars(sa.select(UserSession.token_hash)),
    ]
    assert not [h for h in hashes if h in text]
    assert person.password_hash not in text


def test_export_needs_a_signed_in_person(client, submit, member, login_as):
    login_as(member)
    token = client.get("/account").get_data(as_text=True)
    assert 'action="/account/export"' in token
    assert client.application.test_client().post("/account/export").status_code in (302, 400)


def _delete(submit, password=PASSWORD, on=None):
    return submit("/account/delete", {"current": password, "confirm": "y"}, on=on)


def test_deleting_the_account_erases_personal_fields_and_keeps_the_audit_log(
    app, client, submit, login_as, db, mail_outbox
):
    person = UserFactory(name="Bruno Borrar", email="bruno@example.org")
    membership = MembershipFactory(user=person)
    for accepted_at in (utcnow(), None):
        db.session.add(
            Invitation(
                organisation_id=membership.organisation_id,
                email="bruno@example.org",
                role=OrganisationRole.MEMBER,
                token_hash=secrets.token_hex(32),
                expires_at=utcnow() + timedelta(days=1),
                accepted_at=accepted_at,
            )
        )
    db.session.commit()
    person_id = person.id
    submit("/login", {"email": "bruno@example.org", "password": "wrong"}, on=app.test_client())
    submit("/login", {"email": "bruno@example.org", "password": PASSWORD})
    other = login_as(person, on=app.test_client())
    submit("/account", {"name": "Bruno B.", "locale": "es", "timezone": "America/Lima"})
    events_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))

    assert _delete(submit, password="wrong-password").status_code == 422
    assert db.session.get(User, person_id).deleted_at is None
    response = _delete(submit)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/account").status_code == 302 and other.get("/account").status_code == 302

    db.session.expire_all()
    gone = db.session.get(User, person_id)
    assert gone.deleted_at is not None and not gone.is_active
    assert "bruno" not in gone.email.lower() and "Bruno" not in gone.name
    assert not db.session.scalars(sa.select(Membership).where(Membership.user_id == person_id)).all()
    assert not db.session.scalars(sa.select(UserSession).where(UserSession.user_id == person_id)).all()
    assert db.session.scalars(sa.select(Invitation.email)).all() == [gone.email]  # the accepted one stays
    events = db.session.scalars(sa.select(AuditEvent)).all()
    assert len(events) > events_before  # nothing was removed; the deletion itself is recorded
    assert "user.deleted" in {e.action for e in events}
    logged = json.dumps([[e.actor_label, e.summary, e.changes] for e in events], ensure_ascii=False)
    assert "bruno@example.org" not in logged and "Bruno" not in logged
    assert {e.actor_label for e in events if e.actor_id == person_id} == {f"deleted account {person_id}"}

    assert submit("/login", {"email": "bruno@example.org", "password": PASSWORD}).status_code == 200
    again = {
        "name": "Bruno",
        "email": "bruno@example.org",
        "password": STRONG,
        "timezone": "UTC",
        "accept_terms": "y",
    }
    assert submit("/signup", again).status_code == 302
    assert [m.template for m in mail_outbox()][-1] == "verify_email"  # the address is free again


def test_the_only_administrator_cannot_delete_their_account(client, submit, login_as, db):
    admin = UserFactory(admin=True)
    db.session.commit()
    login_as(admin)
    response = _delete(submit)
    assert response.status_code == 422
    assert db.session.get(User, admin.id).deleted_at is None
    UserFactory(role=Role.ADMIN)
    db.session.commit()
    assert _delete(submit).status_code == 302
