"""Requests are answered only for the public site's host: any other ``Host`` gets a translated 400."""

from __future__ import annotations

import pytest

from consortium.app import create_app
from tests.conftest import TEST_CONFIG

REFUSED = "No se pudo entender la solicitud"  # the translated 400 page (Spanish by default)


@pytest.fixture
def proxied_app(app):
    """The documented deployment: behind one proxy that forwards X-Forwarded-Host."""
    proxied = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PUBLIC_URL": "https://consorcio.example",
            "PROXY_FIX_X_FOR": 1,
        }
    )
    proxied.test_client_class = app.test_client_class
    yield proxied
    with proxied.app_context():
        proxied.extensions["sqlalchemy"].engine.dispose()


@pytest.mark.parametrize("path", ["/", "/library", "/no-such-page", "/static/css/site.css"])
def test_request_for_another_host_is_refused_with_the_translated_page(client, path):
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)


def test_form_posted_to_another_host_is_refused_not_crashed(client, member):
    response = client.post("/login", data={"email": member.email}, headers={"Host": "evil.example"})
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)


def test_api_call_for_another_host_gets_a_json_400(client):
    response = client.get("/api/v1/resources", headers={"Host": "evil.example"})
    assert response.status_code == 400 and response.get_json()["code"] == 400


def test_forwarded_host_behind_the_proxy_is_checked_too(proxied_app):
    client = proxied_app.test_client()
    evil = client.get("/", headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"})
    assert evil.status_code == 400 and REFUSED in evil.get_data(as_text=True)
    good = client.get("/", headers={"X-Forwarded-Host": "consorcio.example", "X-Forwarded-Proto": "https"})
    assert good.status_code == 200


def test_trusted_hosts_come_from_the_public_address():
    testing = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_URL": "https://a.example"}
    )
    assert testing.config["TRUSTED_HOSTS"] == ["a.example", "127.0.0.1", "localhost"]
    production = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "x" * 32,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PUBLIC_URL": "https://consorcio.example:8443/base",
        }
    )
    assert production.config["TRUSTED_HOSTS"] == ["consorcio.example"]


def test_trusted_hosts_can_be_set_from_the_environment(monkeypatch):
    monkeypatch.setenv("CONSORTIUM_TRUSTED_HOSTS", '["consorcio.example", ".consorcio.example"]')
    configured = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert configured.config["TRUSTED_HOSTS"] == ["consorcio.example", ".consorcio.example"]
    response = configured.test_client().get("/static/css/site.css", headers={"Host": "www.consorcio.example"})
    response.close()
    assert response.status_code == 200


def test_absolute_links_are_built_only_from_the_public_address():
    """``url_for(..., _external=True)`` takes the request's host; ``public_url`` takes PUBLIC_URL."""
    from tests.conftest import ROOT

    sources = [
        path
        for package in ("consortium", "trainings", "safeguards")
        for path in (ROOT / package).rglob("*")
        if path.suffix in (".py", ".html", ".xml", ".txt", ".ics")
    ]
    assert sources
    assert [str(path) for path in sources if "_external" in path.read_text(encoding="utf-8")] == []
