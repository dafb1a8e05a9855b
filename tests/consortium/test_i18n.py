"""Language and time-zone selection through HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from consortium.templating import when


@pytest.mark.parametrize(
    ("header", "lang", "phrase"),
    [
        (None, "es", "Capacitaciones"),
        ("pt-BR,pt;q=0.9", "pt-BR", "Capacitações"),
        ("en-US,en;q=0.8", "en", "Trainings"),
        ("fr-FR", "es", "Capacitaciones"),
    ],
)
def test_home_page_language_follows_accept_language(client, header, lang, phrase):
    headers = {"Accept-Language": header} if header else {}
    html = client.get("/", headers=headers).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html and phrase in html


def test_language_switcher_sets_a_cookie_that_beats_accept_language(client):
    response = client.get("/language?lang=en&next=/organisations", headers={"Accept-Language": "pt-BR"})
    assert response.status_code == 302 and response.headers["Location"] == "/organisations"
    html = client.get("/organisations", headers={"Accept-Language": "pt-BR"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_language_switcher_never_redirects_off_site(client):
    response = client.get("/language?lang=en&next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_saved_profile_language_beats_the_cookie(client, login_as, member, db):
    member.locale = "pt_BR"
    db.session.commit()
    login_as(member)
    client.set_cookie("lang", "en")
    assert '<html lang="pt-BR">' in client.get("/").get_data(as_text=True)


def test_switching_language_when_signed_in_updates_the_profile(client, login_as, csrf_token, member, db):
    login_as(member)
    html = client.get("/organisations").get_data(as_text=True)
    assert 'action="/account/language"' in html and 'name="lang" value="en"' in html
    token = csrf_token(page="/account")
    form = {"lang": "en", "next": "/organisations", "csrf_token": token}
    response = client.post("/account/language", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/organisations"
    db.session.refresh(member)
    assert member.locale == "en"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_language_link_changes_only_the_cookie(client, login_as, member, db):
    """A GET never writes: the link anonymous visitors follow sets the cookie and nothing else."""
    member.locale = "pt_BR"
    db.session.commit()
    login_as(member)
    response = client.get("/language?lang=en")
    assert response.status_code == 302 and "lang=en" in response.headers["Set-Cookie"]
    db.session.refresh(member)
    assert member.locale == "pt_BR"


def test_saving_the_language_needs_a_csrf_token(client, login_as, member, db):
    login_as(member)
    assert client.post("/account/language", data={"lang": "en"}).status_code == 400
    db.session.refresh(member)
    assert member.locale != "en"


def test_times_are_shown_in_the_viewers_zone_and_language(app):
    moment = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert "10:30" in when(moment, zone="America/Bogota")
        assert "mar" in when(moment, zone="America/Bogota")
    with app.test_request_context(headers={"Accept-Language": "pt-BR"}):
        assert "12:30" in when(moment, zone="America/Sao_Paulo")


def test_countries_are_named_in_the_readers_language(client):
    spanish = client.get("/organisations").get_data(as_text=True)
    english = client.get("/organisations", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "México" in spanish and "Brasil" in spanish
    assert "Mexico" in english and "Brazil" in english
