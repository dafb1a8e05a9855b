"""Security baseline through HTTP: CSRF, headers, cookies, caching, fields never taken from requests."""

from __future__ import annotations

import pytest

from consortium.config import ConfigurationError
from consortium.permissions import Role
from tests.factories import PASSWORD


def test_login_without_csrf_token_is_refused(client, member):
    response = client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "formulario" in response.get_data(as_text=True)  # translated explanation


@pytest.mark.parametrize(
    "url", ["/", "/login", "/no-such-page", "/static/css/site.css", "/api/v1/openapi.json"]
)
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    response.close()
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_is_httponly_and_samesite(client, submit, member):
    submit("/login", {"email": member.email, "password": PASSWORD})
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_production_requires_a_secret_key_and_database(monkeypatch):
    from consortium.app import create_app

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"ENV": "production"})


def test_production_cookies_are_secure_and_debug_is_off():
    from consortium.app import create_app

    app = create_app(
        {"ENV": "production", "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://", "DEBUG": True}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.debug is False


def test_public_page_answers_304_to_a_matching_etag(client):
    first = client.get("/")
    assert first.headers["ETag"] and "no-cache" in first.headers["Cache-Control"]
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_signed_in_pages_are_private_and_not_stored(client, login_as, member):
    login_as(member)
    cache_control = client.get("/").headers["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_fingerprinted_static_files_are_immutable(client):
    html = client.get("/").get_data(as_text=True)
    import re

    css = re.search(r'href="(/static/css/site\.css\?v=\w+)"', html).group(1)
    response = client.get(css)
    response.close()
    assert response.status_code == 200
    assert (
        "immutable" in response.headers["Cache-Control"]
        and "max-age=31536000" in response.headers["Cache-Control"]
    )


def test_a_role_sent_with_the_profile_form_is_ignored(client, submit, login_as, member, db):
    login_as(member)
    submit("/account", {"name": "Marta", "locale": "es", "timezone": "UTC", "role": "admin"})
    db.session.refresh(member)
    assert member.role is Role.MEMBER and member.name == "Marta"


def test_no_inline_script_in_pages(client):
    html = client.get("/signup").get_data(as_text=True)
    assert "<script>" not in html and "onclick=" not in html


def test_error_pages_are_translated(client, login_as, member, db):
    assert "No encontramos" in client.get("/no-such-page").get_data(as_text=True)
    english = client.get("/no-such-page", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "We could not find this page" in english
    member.locale = None  # no saved choice: the browser's language decides
    db.session.commit()
    login_as(member)
    forbidden = client.get("/admin/audit", headers={"Accept-Language": "pt-BR"})
    assert forbidden.status_code == 403 and '<html lang="pt-BR">' in forbidden.get_data(as_text=True)


def test_unexpected_errors_show_a_translated_500_page_and_roll_back(app):
    from consortium.app import create_app
    from tests.conftest import TEST_CONFIG

    broken = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    broken.add_url_rule("/boom", "boom", lambda: 1 / 0)
    with broken.app_context():
        response = broken.test_client().get("/boom", headers={"Accept-Language": "pt-BR"})
        broken.extensions["sqlalchemy"].engine.dispose()
    assert response.status_code == 500
    assert "Algo deu errado" in response.get_data(as_text=True) or "errado" in response.get_data(as_text=True)
