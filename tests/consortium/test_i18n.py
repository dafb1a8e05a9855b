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


# The cached catalogue (consortium.i18n.fast_gettext) must answer exactly as Flask-Babel does.

_STRINGS = ["Trainings", "Log out", "Language", "Page %(n)s"]
_PLURAL = ("%(num)s organisation", "%(num)s organisations")


@pytest.mark.parametrize("header", ["es", "pt-BR", "en"])
def test_fast_gettext_answers_as_flask_babel_does(app, header):
    import flask_babel
    from flask import render_template_string

    from consortium.i18n import fast_gettext, fast_ngettext, lazy_gettext

    with app.test_request_context(headers={"Accept-Language": header}):
        for message in _STRINGS:
            assert fast_gettext(message) == flask_babel.gettext(message)
            assert str(lazy_gettext(message)) == str(flask_babel.lazy_gettext(message))
        for number in (1, 5):
            # raw form, as Jinja's newstyle gettext wants it: the template fills in num itself
            assert fast_ngettext(*_PLURAL, number) % {"num": number} == flask_babel.ngettext(*_PLURAL, number)
        rendered = render_template_string(
            '{{ _("Trainings") }}|{{ ngettext("%(num)s organisation", "%(num)s organisations", 5) }}'
        )
        assert rendered == f"{flask_babel.gettext('Trainings')}|{flask_babel.ngettext(*_PLURAL, 5)}"


def test_fast_gettext_follows_a_changed_locale(app):
    import flask_babel

    from consortium.i18n import fast_gettext, lazy_gettext

    label = lazy_gettext("Trainings")
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert fast_gettext("Trainings") == "Capacitaciones"
        with flask_babel.force_locale("pt_BR"):
            assert fast_gettext("Trainings") == "Capacitações" and str(label) == "Capacitações"
        with flask_babel.force_locale("en"):
            assert fast_gettext("Trainings") == "Trainings"
        assert str(label) == "Capacitaciones"


# Templates' `_()` (consortium.templating.template_gettext) reads the catalogue the render put in its
# context, in one call: it must give what Jinja's newstyle gettext gives, escaping and "%" included.
_TEMPLATE = (
    '{{ _("Trainings") }}|{{ _("Page %(n)s", n="<b>2</b>") }}|{{ _("100%% sure") }}'
    '|{% set t = _("Log out") %}{{ t }}|{{ _("Language")|upper }}'
    '|{% from "macros/ui.html" import badge %}{{ badge(_("Open thread"), "warn") }}'
)


@pytest.mark.parametrize("header", ["es", "pt-BR", "en"])
def test_templates_translate_as_jinjas_newstyle_gettext_does(app, header):
    import flask_babel
    from flask import render_template_string
    from jinja2 import Environment

    stock = Environment(loader=app.jinja_env.loader, extensions=["jinja2.ext.i18n"], autoescape=True)
    stock.install_gettext_callables(flask_babel.gettext, flask_babel.ngettext, newstyle=True)
    with app.test_request_context(headers={"Accept-Language": header}):
        assert render_template_string(_TEMPLATE) == stock.from_string(_TEMPLATE).render()
        with flask_babel.force_locale("en"):  # a mail in its reader's language, rendered mid-request
            assert render_template_string(_TEMPLATE) == stock.from_string(_TEMPLATE).render()
        assert app.jinja_env.from_string(_TEMPLATE).render() == stock.from_string(_TEMPLATE).render()
