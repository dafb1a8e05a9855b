"""The JSON API: OpenAPI document, token authentication and JSON errors."""

from __future__ import annotations

import pytest

from consortium.users import services
from tests.trainings.factories import make_training


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


# Hostile input: every refusal is a documented JSON error, never a 500 ----------------------------


@pytest.fixture
def bearer(member, db):
    _, secret = services.create_api_token(member, "script")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize(
    "url", ["/api/v1/trainings/2147483648", "/api/v1/assessments/6488701378181000593408/scores"]
)
def test_ids_beyond_the_database_integer_range_answer_404(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response.get_json()["code"] == 404


@pytest.mark.parametrize(
    ("url", "field"),
    [("/api/v1/organisations?kind=null", "kind"), ("/api/v1/trainings?modality=zzz", "modality")],
)
def test_unknown_filter_values_answer_422_with_a_translated_message(client, url, field):
    response = client.get(url, headers={"Accept-Language": "pt-BR"})
    body = response.get_json()
    assert response.status_code == 422 and body["message"] == "Alguns dos dados enviados não são válidos."
    assert field in body["errors"]["query"]


def test_page_numbers_beyond_the_documented_maximum_answer_422(client):
    response = client.get("/api/v1/trainings?page=99999999999999999999")
    assert response.status_code == 422 and "page" in response.get_json()["errors"]["query"]


def test_pages_past_the_last_one_are_empty(client):
    response = client.get("/api/v1/trainings?page=500")
    assert response.status_code == 200 and response.get_json() == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"motivation": "\\udbc4"}',  # an unpaired surrogate cannot be stored or sent back
        b'{"motivation": "a\\u0000b"}',  # nor can a NUL character (PostgreSQL refuses it)
        b'{"\\ud800": ""}',
        b"[" * 1000 + b"]" * 1000,
        b'{"a": ' * 100 + b"1" + b"}" * 100,
        b'{"motivation": ',
    ],
    ids=["surrogate", "nul", "surrogate-key", "nested-lists", "nested-objects", "truncated"],
)
def test_json_that_cannot_be_stored_answers_400_in_the_error_schema(client, bearer, db, body):
    training = make_training()
    db.session.commit()
    response = client.post(
        f"/api/v1/trainings/{training.id}/registrations",
        data=body,
        headers={**bearer, "Content-Type": "application/json", "Accept-Language": "en"},
    )
    error = response.get_json()
    assert response.status_code == 400 and error["code"] == 400
    assert set(error) <= {"code", "status", "message", "errors"} and error["message"]


def test_nul_characters_in_the_address_answer_400(client):
    for url in ("/api/v1/organisations/a%00b", "/api/v1/resources?q=%00"):
        response = client.get(url)
        assert response.status_code == 400 and response.get_json()["code"] == 400


def test_ids_beyond_the_database_range_in_a_body_answer_422(client, bearer, db):
    training = make_training()
    db.session.commit()
    response = client.post(
        f"/api/v1/trainings/{training.id}/registrations", json={"organisation_id": 2**70}, headers=bearer
    )
    assert response.status_code == 422 and "organisation_id" in response.get_json()["errors"]["json"]


def test_numbers_a_column_cannot_hold_answer_422(client, staff, db):
    training = make_training()
    _, secret = services.create_api_token(staff, "script")
    db.session.commit()
    response = client.patch(
        f"/api/v1/trainings/{training.id}",
        json={"seats_per_organisation": 2**40},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422 and "seats_per_organisation" in response.get_json()["errors"]["json"]


def test_every_operation_documents_its_errors_with_the_error_schema(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    components = spec["components"]

    def schema_of(response):
        response = (
            components["responses"][response["$ref"].rsplit("/", 1)[1]] if "$ref" in response else response
        )
        schema = response["content"]["application/json"]["schema"]
        return components["schemas"][schema["$ref"].rsplit("/", 1)[1]]

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            expected = (
                {"400"}
                | ({"404"} if "{" in path else set())
                | ({"401"} if "security" in operation else set())
            )
            assert "default" not in responses and expected <= set(responses), f"{method} {path}"
            for code, response in responses.items():
                if code.startswith("4"):
                    assert {"code", "status", "message"} <= set(schema_of(response)["properties"]), code
