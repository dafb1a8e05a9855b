"""Accounts through HTTP: sign-up, verification, log-in, sessions, passwords and two-factor log-in."""

from __future__ import annotations

import re

import pyotp
import pytest
import sqlalchemy as sa

from consortium.mail import deliver_pending
from consortium.permissions import Role
from consortium.users.models import User
from tests.factories import PASSWORD, UserFactory

STRONG = "Tres-Llamas-Cruzan-El-Rio"


def _signup(submit, **overrides):
    data = {
        "name": "Lucía Pérez",
        "email": "lucia@example.org",
        "password": STRONG,
        "timezone": "America/Lima",
        "accept_terms": "y",
        **overrides,
    }
    return submit("/signup", data)


def test_signup_sends_verification_mail_in_the_readers_language(client, submit, smtp, db):
    client.set_cookie("lang", "pt_BR")
    response = _signup(submit)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/signup/done")
    deliver_pending()
    [message] = smtp
    assert message["To"] == "Lucía Pérez <lucia@example.org>"
    assert message["Subject"] == "Confirme seu endereço de e-mail"
    link = re.search(r"http://localhost(/verify/\S+)", message.get_body(("plain",)).get_content()).group(1)
    user = db.session.scalar(sa.select(User).where(User.email == "lucia@example.org"))
    assert user.email_verified_at is None and user.locale == "pt_BR" and user.timezone == "America/Lima"
    assert client.get(link).status_code == 302
    db.session.refresh(user)
    assert user.email_verified_at is not None


def test_signup_with_a_registered_address_reveals_nothing(client, submit, member, mail_outbox):
    response = _signup(submit, email=member.email.upper())
    assert response.status_code == 302 and response.headers["Location"].endswith("/signup/done")
    [message] = mail_outbox()
    assert message.template == "account_exists" and message.to_email == member.email


def test_common_password_is_refused_and_typed_values_are_kept(client, submit):
    response = _signup(submit, password="password123")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "demasiado común" in html  # Spanish by default
    assert 'value="Lucía Pérez"' in html and 'value="lucia@example.org"' in html


def test_double_submitted_signup_creates_one_account(client, db, mail_outbox):
    from tests.conftest import hidden_fields

    fields = hidden_fields(client.get("/signup").get_data(as_text=True), "/signup")
    data = {
        **fields,
        "name": "Ana",
        "email": "ana@example.org",
        "password": STRONG,
        "timezone": "UTC",
        "accept_terms": "y",
    }
    assert client.post("/signup", data=data).status_code == 302
    assert client.post("/signup", data=data).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert len(mail_outbox()) == 1


def test_login_and_logout(client, submit, member):
    response = submit("/login", {"email": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert submit("/account", {}, action="/logout").status_code == 302
    assert client.get("/account").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(client, submit, member):
    wrong = submit("/login", {"email": member.email, "password": "not-it"}).get_data(as_text=True)
    unknown = submit("/login", {"email": "nobody@example.org", "password": "not-it"}).get_data(as_text=True)
    message = "El correo electrónico o la contraseña no son correctos."
    assert message in wrong and message in unknown


def test_unverified_account_cannot_log_in_and_gets_a_new_link(client, submit, db, mail_outbox):
    user = UserFactory(email_verified_at=None)
    db.session.commit()
    response = submit("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert [m.template for m in mail_outbox()] == ["verify_email"]


def test_session_cookie_copied_before_logout_stops_working(app, client, submit, member):
    submit("/login", {"email": member.email, "password": PASSWORD})
    copied = client.get_cookie("session").value
    submit("/account", {}, action="/logout")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/account").status_code == 302


def test_password_change_ends_other_sessions(app, client, submit, member, mail_outbox):
    other = app.test_client()
    submit("/login", {"email": member.email, "password": PASSWORD}, on=other)
    submit("/login", {"email": member.email, "password": PASSWORD})
    response = submit(
        "/account", {"current": PASSWORD, "password": STRONG, "confirm": STRONG}, action="/account/password"
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_password_reset_link_works_once(client, submit, member, smtp):
    submit("/forgot-password", {"email": member.email})
    deliver_pending()
    link = re.search(
        r"http://localhost(/reset-password/\S+)", smtp[0].get_body(("plain",)).get_content()
    ).group(1)
    assert submit(link, {"password": STRONG, "confirm": STRONG}).status_code == 302
    assert client.get(link).status_code == 302  # the token named the old password
    assert submit("/login", {"email": member.email, "password": STRONG}).status_code == 302


def test_password_reset_for_unknown_address_sends_nothing(client, submit, mail_outbox):
    response = submit("/forgot-password", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail_outbox() == []


def test_staff_must_set_up_two_factor_before_anything_else(client, submit, db):
    user = UserFactory(role=Role.STAFF)
    db.session.commit()
    response = submit("/login", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/account/two-factor")
    assert client.get("/admin/audit").headers["Location"].endswith("/account/two-factor")
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">(\w+)</code>', page).group(1)
    response = submit("/account/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert "códigos de recuperación" in response.get_data(as_text=True).lower()
    assert client.get("/admin/audit").status_code == 200


def test_two_factor_log_in_accepts_a_code_once_and_recovery_codes(client, submit, db):
    user = UserFactory(staff=True)
    db.session.commit()
    assert (
        submit("/login", {"email": user.email, "password": PASSWORD})
        .headers["Location"]
        .endswith("/login/verify")
    )
    assert client.get("/account").status_code == 302  # not logged in yet
    code = pyotp.TOTP(user.totp_secret).now()
    assert submit("/login/verify", {"code": code}).status_code == 302
    assert client.get("/account").status_code == 200
    submit("/account", {}, action="/logout")
    submit("/login", {"email": user.email, "password": PASSWORD})
    assert submit("/login/verify", {"code": code}).status_code == 200  # replayed code refused


def test_recovery_code_logs_in_once(client, submit, login_as, db):
    from consortium.users import services

    user = UserFactory(staff=True)
    db.session.flush()
    [code, *_] = services.new_recovery_codes(user)
    db.session.commit()
    submit("/login", {"email": user.email, "password": PASSWORD})
    assert submit("/login/verify", {"code": code}).status_code == 302
    submit("/account", {}, action="/logout")
    submit("/login", {"email": user.email, "password": PASSWORD})
    assert submit("/login/verify", {"code": code}).status_code == 200


def test_profile_saves_language_and_time_zone(client, submit, login_as, member, db):
    login_as(member)
    response = submit("/account", {"name": "Marta M.", "locale": "en", "timezone": "America/Sao_Paulo"})
    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert '<html lang="en">' in page and "Your account" in page


@pytest.mark.parametrize("limit_by", ["account", "address"])
def test_login_is_rate_limited_with_a_translated_message(
    app, client, submit, member, monkeypatch, limit_by, mail_outbox
):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per minute")
    monkeypatch.setitem(
        app.config, "LOGIN_LIMIT_PER_ADDRESS", "3 per minute" if limit_by == "address" else "50 per minute"
    )
    for attempt in range(3):
        email = member.email if limit_by == "account" else f"other{attempt}@example.org"
        assert submit("/login", {"email": email, "password": "wrong"}).status_code == 200
    response = submit("/login", {"email": member.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Demasiados intentos" in response.get_data(as_text=True)


def test_successful_log_ins_do_not_count_towards_the_limit(app, client, submit, member, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per minute")
    for _ in range(3):
        assert submit("/login", {"email": member.email, "password": PASSWORD}).status_code == 302
        submit("/account", {}, action="/logout")


def test_a_signed_in_page_reads_the_person_and_their_organisations_in_one_statement(
    client, login_as, db, count_queries
):
    """The layout shows times in the viewer's zone, their organisation's when they set none: the session,
    the person and their memberships come in one statement, not one more on every page."""
    from tests.factories import OrganisationFactory
    from tests.trainings.factories import make_member

    person = make_member(OrganisationFactory(timezone="America/Lima"), timezone=None)
    db.session.commit()
    login_as(person)
    with count_queries() as statements:
        html = client.get("/").get_data(as_text=True)
    assert len(statements) == 1, statements
    assert "Lima" in html or "Perú" in html or "Peru" in html  # the organisation's zone is named


def test_a_profile_without_a_zone_keeps_following_its_organisation(client, submit, login_as, db):
    # With no zone saved, the select showed nothing chosen: the browser took its first option, and saving
    # a new name set the person's zone to Antigua. "Automatic" is shown chosen, and saving keeps it.
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    person = UserFactory(timezone="", locale="es")
    MembershipFactory(user=person, organisation=OrganisationFactory(country="PE", timezone="America/Lima"))
    db.session.commit()
    login_as(person)
    page = client.get("/account").get_data(as_text=True)
    select = re.search(r'<select id="timezone".*?</select>', page, re.S).group(0)
    assert re.findall(r"<option selected[^>]*>([^<]*)", select) == ["Automática: hora de Perú"]
    assert submit("/account", {"name": "Rita Renombrada"}).status_code == 302
    db.session.expire_all()
    assert (person.name, person.timezone) == ("Rita Renombrada", "")
