"""What people may type into the organisation forms: one-line names, links a browser cannot run."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.organisations.models import Organisation
from tests.conftest import field_error
from tests.consortium.organisations.test_views import FORM


def test_organisation_name_with_a_line_break_is_refused(client, submit, login_as, member, db):
    login_as(member)
    response = submit("/organisations/new", {**FORM, "name": "Datos Vivos\r\nBcc: everyone@example.org"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(html, "name") and 'value="Cusco"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_renaming_an_organisation_refuses_a_line_break(client, submit, login_as, staff, organisation, db):
    login_as(staff)
    name = organisation.name
    response = submit(
        f"/organisations/{organisation.slug}/edit", {**FORM, "name": "Nuevo\nBcc: x@example.org"}
    )
    assert response.status_code == 200
    db.session.refresh(organisation)
    assert organisation.name == name


@pytest.mark.parametrize(
    "website",
    [
        "javascript://example.org/%0Aalert(document.cookie)",  # passes the URL format check
        "JavaScript://example.org/%0Aalert(1)",
        "data://example.org/text/html,<script>alert(1)</script>",
        "ftp://example.org/file",
    ],
)
def test_website_must_be_a_web_address(client, submit, login_as, member, db, website):
    login_as(member)
    response = submit("/organisations/new", {**FORM, "website": website})
    assert response.status_code == 200 and field_error(response.get_data(as_text=True), "website")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_description_refuses_nul_but_keeps_line_breaks(client, submit, login_as, member, db):
    login_as(member)
    refused = submit("/organisations/new", {**FORM, "description": "Una\x00red"})
    assert refused.status_code == 200 and field_error(refused.get_data(as_text=True), "description")
    assert (
        submit("/organisations/new", {**FORM, "description": "Una red.\r\n\r\n\tLocal."}).status_code == 302
    )


def test_a_stored_javascript_website_is_never_a_link(client, db, organisation):
    organisation.website = "javascript://example.org/%0Aalert(1)"
    db.session.commit()
    html = client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert 'href="javascript' not in html.lower()
