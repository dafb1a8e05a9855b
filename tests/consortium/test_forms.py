"""The kernel's form helpers through HTTP: list filters and the double-submission key take any input."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium.organisations.models import Organisation
from tests.conftest import field_error, hidden_fields
from tests.consortium.organisations.test_views import FORM


@pytest.mark.parametrize(
    "url",
    [
        "/organisations?country=%00",
        "/trainings?topic=%00&country=PE%0A",
        "/library?q=gu%C3%ADa%00&topic=%00",
        "/admin/audit?actor=%00&action=x%0Ay&object_type=%00&object_id=%00",
        "/api/v1/organisations?country=%00",
        "/api/v1/trainings?topic=%00",
        "/api/v1/resources?q=%00&topic=%00&country=%0A",
    ],
)
def test_filters_with_control_characters_are_answered_not_crashed(client, login_as, admin, url):
    """PostgreSQL refuses NUL in a query parameter: these answered 500 there before."""
    login_as(admin)
    response = client.get(url)
    if "%00" in url:  # NUL can be stored nowhere: consortium.inputs refuses the request as a whole
        assert response.status_code == 400
    else:
        assert response.status_code == (422 if url.startswith("/api/") else 200)


def test_a_list_filter_that_fails_its_check_is_ignored_and_explained(client, db, organisation):
    html = client.get("/organisations?country=ZZ").get_data(as_text=True)
    assert organisation.name in html and field_error(html, "country")


def test_a_tampered_submission_key_still_saves_once(client, login_as, member, db):
    login_as(member)
    fields = hidden_fields(client.get("/organisations/new").get_data(as_text=True), "/organisations/new")
    response = client.post("/organisations/new", data={**fields, **FORM, "submission_key": "a\x00b" * 30})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


def test_a_select_renders_as_wtforms_would_only_faster(app):
    """The quick option writer gives WTForms' own markup, escaping included, for every kind of choice."""
    from wtforms.fields.choices import SelectChoice
    from wtforms.widgets import Select

    from consortium.forms import ListFilterForm, QuickSelect, SelectField

    choices = [
        SelectChoice(*each) for each in [("", "Any"), ("a&b", 'Tom "&" <Jerry>'), ("2", "Two"), (3, "")]
    ]

    class Filters(ListFilterForm):
        kind = SelectField(choices=choices)

    with app.test_request_context("/?kind=a%26b"):
        from flask import request

        form = Filters(request.args)
        quick = str(form.kind())
        assert type(form.kind.widget) is QuickSelect
        assert quick == str(Select()(form.kind))
    assert '<option selected value="a&amp;b">Tom &#34;&amp;&#34; &lt;Jerry&gt;</option>' in quick


def test_wtforms_own_messages_speak_each_requests_language(app):
    """WTForms' catalogue is read once per worker and language, and each request still gets its own."""
    from flask_babel import refresh
    from werkzeug.datastructures import MultiDict
    from wtforms import IntegerField

    from consortium.forms import ListFilterForm

    class Numbers(ListFilterForm):
        count = IntegerField()

    seen = []
    for language in ("es", "pt-BR", "en", "es"):
        with app.test_request_context(headers={"Accept-Language": language}):
            refresh()  # the test's app context is reused by the request: forget the last one's language
            form = Numbers(MultiDict({"count": "many"}))
            form.validate()
            seen.append(form.count.errors)
    assert seen == [
        ["No es un valor entero válido."],
        ["O valor inteiro não é válido."],
        ["Not a valid integer value."],
        ["No es un valor entero válido."],
    ]
