"""What staff may type into the library: one-line titles and names, links a browser cannot run."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.library.models import Resource
from consortium.users import services as user_services
from tests.conftest import field_error
from tests.consortium.library.test_workflow import NEW
from tests.factories import UserFactory


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Resource))


def _bearer(db):
    _, secret = user_services.create_api_token(UserFactory(staff=True), "test")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Guía\r\nBcc: everyone@example.org"),
        ("organisation", "Cepei\x1b[31m"),  # a terminal escape
        ("body", "Texto\x00oculto"),
        ("source_url", "javascript://example.org/%0Aalert(document.cookie)"),
        ("source_url", "https://example.org@evil.example/guia"),
    ],
)
def test_new_resource_refuses_control_characters_and_script_links(
    client, submit, login_as, staff, db, field, value
):
    login_as(staff)
    response = submit("/library/manage/new", {**NEW, field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(html, field) and "Un resumen." in html
    assert _count(db) == 0


def test_topic_names_are_one_line(client, submit, login_as, staff, db):
    login_as(staff)
    response = submit("/library/manage/topics", {"slug": "identidad", "name_es": "Identidad\ndigital"})
    assert response.status_code == 200 and field_error(response.get_data(as_text=True), "name_es")


@pytest.mark.parametrize(
    "body",
    [
        {"title": "Informe\nBcc: x@example.org"},
        {"title": "Informe", "authors": ["Ana\rBcc: x@example.org"]},
        {"title": "Informe", "source_url": "ftp://example.org/informe.pdf"},
        {"title": "Informe", "body": "Texto\x00"},
    ],
)
def test_api_refuses_control_characters_and_non_web_links(client, db, body):
    response = client.post(
        "/api/v1/resources",
        json={"kind": "report", "original_language": "es", **body},
        headers={**_bearer(db), "Accept-Language": "en"},
    )
    # NUL cannot be stored at all, so consortium.inputs refuses it (400) before the schema looks (422)
    assert response.status_code == (400 if "\x00" in body.get("body", "") else 422), response.get_json()
    assert _count(db) == 0


def test_a_stored_script_source_is_never_a_link(client, db, make_resource):
    make_resource({"es": ("Guía", "Texto.")}, source_url="javascript://example.org/%0Aalert(1)")
    html = client.get("/library/es/guia").get_data(as_text=True)
    assert "Guía" in html and 'href="javascript' not in html.lower()


@pytest.mark.parametrize(
    "markdown",
    [
        "[clic](javascript:alert(1))",
        "[clic](JAVASCRIPT:alert(1))",
        "[clic](java&#09;script:alert(1))",
        "<a href='javascript:alert(1)'>clic</a>",
        "[clic](data:text/html;base64,PHNjcmlwdD4=)",
        "![img](javascript:alert(1))",
    ],
)
def test_markdown_bodies_never_link_to_scripts(client, make_resource, markdown):
    make_resource({"es": ("Guía", markdown)})
    html = client.get("/library/es/guia").get_data(as_text=True).lower()
    assert 'href="javascript' not in html and 'src="javascript' not in html and 'href="data:' not in html
