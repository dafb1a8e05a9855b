"""Every page survives hostile query strings and ids: no input answers 500.

The pages are found in ``app.url_map``: every GET rule without arguments, and every rule whose
arguments name rows the fixture creates (a training's registrants, a session's check-in, an
organisation), so a new page is covered without editing this file. The filter names sent are the
page's own GET form fields plus the usual ones; each hostile value goes to all of them at once.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from werkzeug.routing import IntegerConverter

from consortium.db import db
from tests.factories import OrganisationFactory, UserFactory
from tests.trainings.factories import make_training

ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
HUGE = "9999999999999999999999"
USUAL_FILTERS = (
    "kind",
    "modality",
    "country",
    "topic",
    "language",
    "lang",
    "status",
    "state",
    "q",
    "when",
    "ids",
)
HOSTILE_VALUES = {
    "unknown": "zzz",
    "null": "null",
    "nul": "\x00",
    "huge": HUGE,
    "negative": "-1",
    "surrogate": "%ED%A0%80",  # an unpaired UTF-16 surrogate, UTF-8 encoded (not valid UTF-8)
    "long": "x" * 5000,
    "first-day": "0001-01-01",  # dates at the ends of the calendar, where time zones overflow
    "last-day": "9999-12-31",
}
HOSTILE_PAGES = (HUGE, "-1", "0", "abc", "²", "10001", "9" * 5000)
# The paged lists: any page but 1 to the last answers 404 (consortium.pagination).
PAGED = (
    "/trainings",
    "/organisations",
    "/library",
    "/library/translations",
    "/library/manage",
    "/admin/audit",
    "/governance",
)
# Not pages: files, feeds of files, and routes that only redirect.
SKIP = {"static", "main.set_language", "users.logout", "api-docs.openapi_json"}


class _GetFormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif self._in_get_form and tag in ("input", "select", "textarea") and attrs.get("name"):
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def _pages(app, rows: dict) -> list[str]:
    return sorted(
        ARGUMENT.sub(lambda match: str(rows[match.group(1)]), rule.rule)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.arguments <= set(rows)
        and rule.endpoint not in SKIP
        and not rule.endpoint.endswith(".static")
    )


@pytest.fixture
def rows():
    """Some rows to list, by the names routes give their ids."""
    training = make_training(organiser=OrganisationFactory(is_consortium_member=True))
    db.session.commit()
    return {
        "training_id": training.id,
        "session_id": training.sessions[0].id,
        "slug": training.organiser.slug,
    }


@pytest.fixture
def visitor(client, login_as, rows):
    """Pages are visited by an admin, who may see every page, west of UTC (dates at the calendar's end)."""
    admin = UserFactory(admin=True, timezone="America/Bogota")
    db.session.commit()
    return login_as(admin)


@pytest.mark.parametrize("value", HOSTILE_VALUES.values(), ids=HOSTILE_VALUES.keys())
def test_hostile_filter_values_never_break_a_page(app, visitor, rows, value):
    failures = []
    for url in _pages(app, rows):
        reader = _GetFormFields()
        reader.feed(visitor.get(url).get_data(as_text=True))
        names = (reader.names | set(USUAL_FILTERS)) - {"page", "csrf_token"}
        query = "&".join(f"{name}={value}" for name in sorted(names))
        response = visitor.get(f"{url}?{query}")
        if response.status_code >= 500:
            failures.append(f"{url}?{query[:80]} answered {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("number", [*HOSTILE_PAGES, "2"])
def test_pages_that_do_not_exist_answer_404(app, visitor, rows, number):
    failures = []
    pages = _pages(app, rows)
    assert set(PAGED) <= set(pages)
    for url in pages:
        code = visitor.get(f"{url}?page={number}").status_code
        if code >= 500 or (url in PAGED and code != 404):
            failures.append(f"{url}?page={number[:40]} answered {code}")
    assert not failures, "\n".join(failures)


def test_page_one_of_an_empty_list_exists(client):
    assert [client.get(f"{url}?page=1").status_code for url in ("/trainings", "/library")] == [200, 200]


def test_ids_beyond_the_database_range_answer_404(app, visitor):
    """Every GET rule with an integer argument, given an id no table can hold."""
    answers = {}
    for rule in app.url_map.iter_rules():
        converters = rule._converters
        if "GET" not in rule.methods or not any(isinstance(c, IntegerConverter) for c in converters.values()):
            continue
        values = {
            name: HUGE if isinstance(c, IntegerConverter) else sorted(getattr(c, "items", ["x"]))[0]
            for name, c in converters.items()
        }
        url = ARGUMENT.sub(lambda match, values=values: values[match.group(1)], rule.rule)
        answers[url] = visitor.get(url).status_code
    wrong = [f"{url} answered {code}" for url, code in answers.items() if code != 404]
    assert answers and not wrong, "\n".join(wrong)


def test_an_unknown_filter_value_is_ignored_and_the_field_says_so(client, rows):
    response = client.get("/trainings?modality=zzz", headers={"Accept-Language": "pt-BR"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Escolha inválida." in html  # WTForms' own message, translated
    assert 'aria-invalid="true"' in html and f'/trainings/{rows["training_id"]}"' in html
