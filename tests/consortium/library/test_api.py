"""The library API: fallbacks flagged, detail with sanitised HTML, staff create and edit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.library import services
from consortium.library.models import Resource
from consortium.users import services as user_services
from tests.factories import UserFactory


@pytest.fixture
def resources(make_resource):
    both = make_resource(
        {"es": ("Guía de pagos", "**Pix**"), "en": ("Payments guide", "**Pix**")}, countries=["BR"]
    )
    english = make_resource({"en": ("Consent guide", "Consent.")}, countries=["MX"])
    return both, english


def _bearer(db, user):
    _, secret = user_services.create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_list_returns_the_requested_language_or_the_original_flagged_as_fallback(client, resources):
    items = {i["id"]: i for i in client.get("/api/v1/resources?lang=es").get_json()["items"]}
    both, english = resources
    assert items[both.id]["title"] == "Guía de pagos" and items[both.id]["is_fallback"] is False
    assert items[english.id]["title"] == "Consent guide" and items[english.id]["is_fallback"] is True
    assert items[english.id]["language"] == "en" and items[english.id]["available_languages"] == ["en"]


def test_list_searches_and_filters(client, resources):
    body = client.get("/api/v1/resources?lang=es&q=pagos&country=BR").get_json()
    assert [i["title"] for i in body["items"]] == ["Guía de pagos"] and body["total"] == 1
    assert client.get("/api/v1/resources?lang=es&country=MX").get_json()["total"] == 1
    assert client.get("/api/v1/resources?kind=nonsense").status_code == 422


def test_detail_has_markdown_and_sanitised_html(client, resources):
    both, _ = resources
    body = client.get(f"/api/v1/resources/{both.id}?lang=en").get_json()
    assert body["body"] == "**Pix**" and body["body_html"].strip() == "<p><strong>Pix</strong></p>"
    assert client.get("/api/v1/resources/999999").status_code == 404


def test_links_in_answers_use_the_public_address(client, app, resources, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://consorcio.example")
    both, _ = resources
    body = client.get(f"/api/v1/resources/{both.id}?lang=es", headers={"Host": "127.0.0.1"}).get_json()
    assert body["url"] == f"https://consorcio.example/library/es/{body['slug']}"


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/resources", "/api/v1/resources/{resource_id}"} <= set(paths)


def test_staff_create_and_edit_resources_and_versions(client, db):
    staff = UserFactory(staff=True)
    reviewer = UserFactory(staff=True)
    db.session.commit()
    headers = _bearer(db, staff)
    created = client.post(
        "/api/v1/resources",
        json={
            "kind": "report",
            "original_language": "es",
            "title": "Informe",
            "body": "Texto.",
            "countries": ["CO"],
        },
        headers=headers,
    )
    assert created.status_code == 201
    resource_id = created.get_json()["id"]
    patched = client.patch(
        f"/api/v1/resources/{resource_id}", json={"organisation": "Cepei", "version": 1}, headers=headers
    )
    assert patched.status_code == 200 and patched.get_json()["organisation"] == "Cepei"
    stale = client.patch(
        f"/api/v1/resources/{resource_id}", json={"organisation": "X", "version": 1}, headers=headers
    )
    assert stale.status_code == 409
    publish = client.patch(
        f"/api/v1/resources/{resource_id}/versions/es", json={"status": "published"}, headers=headers
    )
    assert publish.status_code == 200
    added = client.post(
        f"/api/v1/resources/{resource_id}/versions",
        json={"language": "en", "title": "Report", "body": "Text.", "status": "in_review"},
        headers=headers,
    )
    assert added.status_code == 201
    own = client.patch(
        f"/api/v1/resources/{resource_id}/versions/en", json={"status": "published"}, headers=headers
    )
    assert own.status_code == 409  # the translator cannot review their own translation
    other = client.patch(
        f"/api/v1/resources/{resource_id}/versions/en",
        json={"status": "published"},
        headers=_bearer(db, reviewer),
    )
    assert other.status_code == 200
    listed = client.get("/api/v1/resources?lang=en").get_json()["items"]
    assert [(i["title"], i["is_fallback"]) for i in listed] == [("Report", False)]


def test_members_cannot_write(client, db, resources):
    member = UserFactory()
    db.session.commit()
    headers = _bearer(db, member)
    response = client.post(
        "/api/v1/resources", json={"kind": "guide", "original_language": "es", "title": "x"}, headers=headers
    )
    assert response.status_code == 403
    both, _ = resources
    assert (
        client.patch(f"/api/v1/resources/{both.id}", json={"licence": "x"}, headers=headers).status_code
        == 403
    )
    assert client.post("/api/v1/resources", json={"kind": "guide"}).status_code in (
        400,
        401,
    )  # CSRF or log-in


def test_unknown_topics_are_refused(client, db):
    from consortium.library import services

    services.save_topic(None, slug="payments", names={"es": "Pagos"})
    staff = UserFactory(staff=True)
    db.session.commit()
    headers = _bearer(db, staff)
    base = {"kind": "guide", "original_language": "es", "title": "Guía"}
    refused = client.post(
        "/api/v1/resources", json={**base, "topics": ["payments", "nonsense"]}, headers=headers
    )
    assert refused.status_code == 422
    accepted = client.post("/api/v1/resources", json={**base, "topics": ["payments"]}, headers=headers)
    assert accepted.status_code == 201 and accepted.get_json()["topics"] == ["payments"]


def test_an_edit_that_loses_the_race_at_save_answers_409(app, client, db, make_resource, monkeypatch):
    resource = make_resource({"es": ("Guía", "x")})
    headers = _bearer(db, UserFactory(staff=True))
    update_resource = services.update_resource

    def someone_else_saves_first(found, **fields):
        # As if their commit had landed between this request's check of the version and its UPDATE.
        db.session.execute(
            sa.update(Resource)
            .where(Resource.id == found.id)
            .values(version=Resource.version + 1)
            .execution_options(synchronize_session=False)
        )
        return update_resource(found, **fields)

    monkeypatch.setattr(services, "update_resource", someone_else_saves_first)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.patch(
        f"/api/v1/resources/{resource.id}",
        json={"organisation": "Cepei", "version": resource.version},
        headers=headers,
    )

    assert response.status_code == 409
    db.session.rollback()
    assert db.session.get(Resource, resource.id).organisation == ""
