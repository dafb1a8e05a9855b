"""Reading through HTTP: the reader's language, fallbacks and notices, requests, feeds, query counts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from consortium.library.models import TranslationRequest
from tests.factories import UserFactory


@pytest.fixture
def bilingual(make_resource):
    return make_resource(
        {
            "es": ("Identidad digital para organizaciones", "## Qué es\n\nUna guía.", "Resumen en español."),
            "en": ("Digital identity for organisations", "## What it is\n\nA guide.", "English summary."),
        },
        original="en",
    )


@pytest.fixture
def english_only(make_resource):
    return make_resource({"en": ("Consent in data exchange", "Consent matters.", "About consent.")})


def test_list_shows_resources_in_the_readers_language(client, bilingual):
    client.set_cookie("lang", "es")
    html = client.get("/library").get_data(as_text=True)
    assert "Identidad digital para organizaciones" in html and "Digital identity for" not in html
    assert 'href="/library/es/identidad-digital-para-organizaciones"' in html


def test_list_marks_a_fallback_with_its_available_languages(client, english_only):
    client.set_cookie("lang", "pt_BR")
    html = client.get("/library").get_data(as_text=True)
    assert "Consent in data exchange" in html
    assert "Disponível em: Inglês" in html  # the language named in the reader's language


def test_guide_page_has_stable_url_opengraph_and_alternates(client, bilingual):
    client.set_cookie("lang", "es")
    html = client.get("/library/es/identidad-digital-para-organizaciones").get_data(as_text=True)
    assert '<meta property="og:title" content="Identidad digital para organizaciones">' in html
    assert 'property="og:locale:alternate" content="en_US"' in html
    assert 'hreflang="en" href="http://localhost/library/en/digital-identity-for-organisations"' in html
    assert "<h2>Qué es</h2>" in html
    assert "not yet available" not in html and "todavía no" not in html.lower()


def test_guide_and_feed_links_point_at_the_public_address_whatever_the_host(
    client, app, bilingual, monkeypatch
):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://consorcio.example/")
    public = "https://consorcio.example/library/"
    local = {"Host": "127.0.0.1:5000"}  # trusted, but not the public address
    page = client.get("/library/es/identidad-digital-para-organizaciones", headers=local)
    html = page.get_data(as_text=True)
    assert f'<link rel="canonical" href="{public}es/identidad-digital-para-organizaciones">' in html
    assert f'hreflang="en" href="{public}en/digital-identity-for-organisations"' in html
    assert f'<meta property="og:url" content="{public}es/identidad-digital-para-organizaciones">' in html
    feed = client.get("/library/es/feed.atom", headers=local).get_data(as_text=True)
    assert f"<id>{public}es/feed.atom</id>" in feed and f'href="{public}es/identidad-digital' in feed
    assert "127.0.0.1" not in html + feed


def test_reader_of_another_language_sees_a_notice_and_a_request_button(
    client, login_as, member, english_only
):
    login_as(member)  # the member reads in Spanish
    html = client.get("/library/en/consent-in-data-exchange").get_data(as_text=True)
    assert f"/library/resources/{english_only.id}/request-translation" in html
    assert 'lang="en"' in html


def test_anonymous_reader_is_invited_to_log_in_to_request(client, english_only):
    html = client.get("/library/en/consent-in-data-exchange").get_data(as_text=True)
    assert "/login?next=" in html and "request-translation" not in html


def test_translation_requests_count_once_per_person(client, login_as, submit, member, english_only, db):
    login_as(member)
    page = "/library/en/consent-in-data-exchange"
    action = f"/library/resources/{english_only.id}/request-translation"
    for _ in range(2):
        assert submit(page, {"language": "es"}, action=action).status_code == 302
    other = UserFactory()
    db.session.commit()
    second = client.application.test_client()
    login_as(other, on=second)
    submit(page, {"language": "es"}, action=action, on=second)
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(TranslationRequest).where(TranslationRequest.language == "es")
    )
    assert count == 2


def test_requesting_needs_a_log_in(client, english_only, csrf_token):
    response = client.post(
        f"/library/resources/{english_only.id}/request-translation",
        data={"csrf_token": csrf_token(), "language": "es"},
    )
    assert response.status_code in (302, 401) and "/login" in response.headers.get("Location", "/login")


def test_resource_link_redirects_to_the_readers_language_or_the_original(client, bilingual, english_only):
    client.set_cookie("lang", "es")
    assert (
        client.get(f"/library/resources/{bilingual.id}")
        .headers["Location"]
        .endswith("/library/es/identidad-digital-para-organizaciones")
    )
    assert (
        client.get(f"/library/resources/{english_only.id}")
        .headers["Location"]
        .endswith("/library/en/consent-in-data-exchange")
    )


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_unpublished_versions_are_not_found(client, login_as, make_resource, who):
    make_resource({"es": ("Borrador", "Texto.")}, published=())
    if who == "member":
        login_as(UserFactory())
    assert client.get("/library/es/borrador").status_code == 404


def test_staff_preview_an_unpublished_version(client, login_as, staff, make_resource):
    make_resource({"es": ("Borrador", "Texto.")}, published=())
    login_as(staff)
    response = client.get("/library/es/borrador")
    assert response.status_code == 200 and "Borrador" in response.get_data(as_text=True)


def test_atom_feed_per_language_lists_only_that_language(client, bilingual, english_only):
    response = client.get("/library/es/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)  # noqa: S314 - our own feed
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.findtext("a:title", namespaces=ns) for entry in feed.findall("a:entry", ns)]
    assert titles == ["Identidad digital para organizaciones"]
    english = ET.fromstring(client.get("/library/en/feed.atom").data)  # noqa: S314 - our own feed
    assert len(english.findall("a:entry", ns)) == 2


def test_guide_page_links_a_print_stylesheet(client, bilingual):
    html = client.get("/library/es/identidad-digital-para-organizaciones").get_data(as_text=True)
    css_url = re.search(r'href="(/library/static/css/library\.css\?v=[^"]+)"', html).group(1)
    response = client.get(css_url)
    assert "@media print" in response.get_data(as_text=True)
    response.close()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_hostile_markdown_is_sanitised(client, make_resource):
    hostile = (
        "<script>alert('x')</script>\n\n"
        "[click](javascript:alert(1))\n\n"
        '<img src="x" onerror="alert(1)">\n\n'
        "![pic](javascript:alert(2))\n\n"
        '<a href="https://ok.example" onclick="alert(3)">ok</a>\n\n'
        "[fine](https://example.org)"
    )
    make_resource({"es": ("Página hostil", hostile)})
    html = client.get("/library/es/pagina-hostil").get_data(as_text=True)
    article = html[html.index('<div class="prose">') : html.index("</article>")]
    parser = _Tags()
    parser.feed(article)
    assert all(tag != "script" for tag, _ in parser.tags)
    for _tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs)
        assert not any((value or "").strip().lower().startswith("javascript:") for value in attrs.values())
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">fine</a>' in article


def _seed(make_resource, n, start=0):
    for i in range(start, start + n):
        versions = {"es": (f"Guía {i} de datos", "Texto sobre datos.")}
        if i % 2:
            versions["en"] = (f"Guide {i} on data", "Text on data.")
        make_resource(
            versions, original="es" if i % 3 else "en" if i % 2 else "es", commit=False, countries=["BR"]
        )
    from consortium.db import db

    db.session.commit()


@pytest.mark.parametrize("url", ["/library", "/library?q=datos", "/library?q=datos&country=BR&kind=guide"])
def test_list_and_search_query_count_does_not_grow(client, make_resource, count_queries, url):
    _seed(make_resource, 5)
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _seed(make_resource, 10, start=5)
    with count_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert "Guía 14 de datos" in html
    assert len(few) == len(many) <= 4
