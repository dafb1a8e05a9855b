"""Time zones: the visitor's own (browser cookie), choices grouped by country, one date style."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from consortium import dates
from consortium.organisations.models import Organisation
from consortium.timezones import canonical_zone, main_zone, timezone_choices
from tests.consortium.organisations.test_views import FORM
from tests.trainings.factories import make_training

SESSION = datetime(2026, 12, 11, 20, 0, tzinfo=UTC)  # 15:00 in Lima


def plain(text: str) -> str:
    """Babel's typography (en dash, thin and narrow spaces) as plain ASCII, to compare."""
    return text.replace("\N{EN DASH}", "-").replace("\u2009", " ").replace("\u202f", " ")


def test_old_aliases_resolve_and_unknown_zones_are_refused():
    assert canonical_zone("America/Buenos_Aires") == "America/Argentina/Buenos_Aires"
    assert canonical_zone("America/Lima") == "America/Lima"
    assert canonical_zone("Mars/Olympus") is None and canonical_zone("localtime") is None
    assert canonical_zone("x" * 200) is None


def test_choices_are_grouped_by_country_in_the_readers_language_without_aliases(app):
    with app.test_request_context(), force_locale("es"):
        choices = timezone_choices("BR")
    groups = {}
    for choice in choices:
        groups.setdefault(choice.optgroup, []).append(choice)
    countries = list(groups)
    assert countries[0] == "Brasil" and "Perú" in countries and countries[-1] == "UTC"
    assert groups["Brasil"][0].value == "America/Sao_Paulo" and groups["Brasil"][0].label == "São Paulo"
    values = {choice.value for choice in choices}
    assert "America/Buenos_Aires" not in values and "America/Cordoba" not in values  # old aliases
    assert "America/Argentina/Buenos_Aires" in values


def test_a_saved_zone_outside_the_list_stays_choosable(app):
    with app.test_request_context():
        choices = timezone_choices(current="Asia/Tokyo")
    assert any(choice.value == "Asia/Tokyo" for choice in choices)


@pytest.mark.parametrize(
    ("language", "expected_moment", "expected_span"),
    [
        ("es", "vie, 11 dic 2026, 15:00", "viernes, 11 de diciembre de 2026, 15:00-17:00"),
        ("pt_BR", "sex., 11 de dez. de 2026 15:00", "sexta-feira, 11 de dezembro de 2026 15:00 - 17:00"),
        ("en", "Fri, Dec 11, 2026, 3:00 PM", "Friday, December 11, 2026, 3:00 - 5:00 PM"),
    ],
)
def test_one_style_per_context_without_seconds(app, language, expected_moment, expected_span):
    with app.test_request_context(headers={"Cookie": "tz=America/Lima"}), force_locale(language):
        assert plain(dates.moment(SESSION)) == expected_moment
        span = dates.span(SESSION, SESSION + timedelta(hours=2))
        assert plain(span) == expected_span
        assert ":00:00" not in dates.long_moment(SESSION) and "Perú" not in span
        assert dates.iso(SESSION) == "2026-12-11T20:00:00+00:00"


def test_signed_out_visitor_reads_times_in_the_zone_their_browser_sent(client, db):
    training = make_training(timezone="America/Lima")
    training.sessions[0].starts_at = SESSION
    training.sessions[0].ends_at = SESSION + timedelta(hours=2)
    db.session.commit()
    client.set_cookie("tz", "America/Lima")
    html = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert "15:00-17:00" in plain(html) and "hora de Perú" in html
    assert "data-timezone-guess" not in html and "timezone.js" not in html
    client.delete_cookie("tz")
    utc = client.get(f"/trainings/{training.id}").get_data(as_text=True)
    assert "20:00-22:00" in plain(utc) and "Las horas se muestran en UTC" in utc
    assert "data-timezone-guess" in utc and "js/timezone.js?v=" in utc  # the script asks the browser
    assert "At the training" not in utc or "hora de Perú" in utc


def test_switcher_without_javascript_sets_the_cookie_and_returns(client):
    page = client.get("/timezone?next=/trainings")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<optgroup label="Perú">' in html and 'name="tz"' in html
    response = client.get("/timezone?tz=America/Lima&next=/trainings")
    assert response.status_code == 302 and response.headers["Location"] == "/trainings"
    assert "tz=America/Lima" in response.headers["Set-Cookie"]
    assert "hora de Perú" in client.get("/trainings").get_data(as_text=True)


@pytest.mark.parametrize("bad", ["Mars/Olympus", "<script>", "x" * 300])
def test_switcher_refuses_a_zone_that_does_not_exist(client, bad):
    response = client.get("/timezone", query_string={"tz": bad, "next": "https://evil.example"})
    assert response.status_code == 400 and "Set-Cookie" not in response.headers
    assert "Elija una zona horaria de la lista." in response.get_data(as_text=True)


def test_a_forged_cookie_is_ignored(client):
    client.set_cookie("tz", "Nowhere/Land")
    html = client.get("/trainings").get_data(as_text=True)
    assert "Las horas se muestran en UTC" in html


def test_new_organisation_gets_its_countrys_main_zone(client, submit, login_as, member, db):
    login_as(member)
    form = client.get("/organisations/new").get_data(as_text=True)
    assert 'selected value="America/Adak"' not in form
    assert 'name="timezone"><optgroup label="Predeterminada"><option value="">' in form
    submit("/organisations/new", {**FORM, "country": "BR", "timezone": ""})
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.timezone == "America/Sao_Paulo"


def test_new_training_starts_in_its_organisers_zone(client, login_as, staff, db):
    from tests.factories import OrganisationFactory

    OrganisationFactory(is_consortium_member=True, country="PE", timezone="America/Lima")
    db.session.commit()
    login_as(staff)
    html = client.get("/trainings/new").get_data(as_text=True)
    assert '<option selected value="America/Lima">Lima</option>' in html


def test_main_zone_of_a_country():
    assert main_zone("MX") == "America/Mexico_City" and main_zone("PE") == "America/Lima"
    assert main_zone(None) == "UTC" and main_zone("ZZ") == "UTC"


def test_the_zone_select_renders_without_copying_its_choices(app, monkeypatch):
    # WTForms copies each choice of a {group: choices} dict to set its group, on every render: for
    # ~150 zones that was a third of the account page. The choices name their groups instead.
    from wtforms.fields import choices as wtforms_choices

    from consortium.forms import FlaskForm, SelectField

    class ZoneForm(FlaskForm):
        zone = SelectField(choices=[])

    copies = []
    real_replace = wtforms_choices.replace
    monkeypatch.setattr(wtforms_choices, "replace", lambda *a, **k: copies.append(1) or real_replace(*a, **k))
    with app.test_request_context(), force_locale("es"):
        form = ZoneForm(meta={"csrf": False}, data={"zone": "America/Lima"})
        form.zone.choices = timezone_choices("PE")
        html = form.zone()
    assert copies == []
    assert '<optgroup label="Perú"><option selected value="America/Lima">Lima</option>' in html
