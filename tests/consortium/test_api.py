"""The JSON API: OpenAPI document, token authentication and JSON errors."""

from __future__ import annotations

from consortium.users import services


def test_openapi_document_parses_and_lists_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/me", "/api/v1/organisations", "/api/v1/organisations/{slug}"} <= set(spec["paths"])


def test_human_docs_page_lists_the_endpoints(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "GET /api/v1/organisations" in html


def test_bearer_token_authenticates_and_revocation_ends_it(client, member, db):
    token, secret = services.create_api_token(member, "script")
    db.session.commit()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.get_json()["email"] == member.email
    services.revoke_api_token(token)
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_tokens_are_stored_hashed(member, db):
    token, secret = services.create_api_token(member, "script")
    assert secret not in (token.token_hash, token.prefix) and token.prefix.startswith("dpi_")


def test_token_created_on_the_profile_page_is_shown_once(client, submit, login_as, member):
    login_as(member)
    response = submit("/account", {"name": "reports"}, action="/account/tokens")
    assert response.status_code == 200 and "dpi_" in response.get_data(as_text=True)


def test_errors_are_json_with_a_translated_message(client):
    response = client.get("/api/v1/organisations/nope", headers={"Accept-Language": "pt-BR"})
    body = response.get_json()
    assert response.status_code == 404 and body["code"] == 404
    assert "Não encontramos" in body["message"] or "não" in body["message"].lower()


def test_organisations_endpoint_lists_verified_organisations(client, organisation, db):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="Pendiente", verified_at=None)
    db.session.commit()
    names = [o["name"] for o in client.get("/api/v1/organisations").get_json()]
    assert organisation.name in names and "Pendiente" not in names


def test_cli_prints_a_working_token(app, client, member):
    result = app.test_cli_runner().invoke(args=["users", "token", member.email])
    secret = result.output.strip()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_anonymous_api_write_gets_401_not_a_csrf_error(client):
    response = client.post("/api/v1/me", json={})
    assert response.status_code == 405  # routing answers, not the CSRF check (which would say 400)


def test_session_api_writes_still_need_the_csrf_token(client, login_as, member, csrf_token):
    login_as(member)
    assert client.post("/api/v1/me", json={}).status_code == 400  # CSRF refused before anything else
