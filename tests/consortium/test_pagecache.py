"""The anonymous page cache: fast for readers, never wrong for people with a session."""

from __future__ import annotations

import pytest

from consortium.app import create_app
from tests.conftest import TEST_CONFIG


@pytest.fixture
def cached_app(app):
    cached = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PAGE_CACHE_SECONDS": 60,
        }
    )
    cached.test_client_class = app.test_client_class
    yield cached
    with cached.app_context():
        cached.extensions["sqlalchemy"].engine.dispose()


def test_anonymous_page_is_served_from_the_cache_per_language(cached_app, db):
    from tests.factories import OrganisationFactory

    client = cached_app.test_client()
    before = client.get("/organisations").get_data(as_text=True)
    OrganisationFactory(name="Recién llegada")
    db.session.commit()
    assert client.get("/organisations").get_data(as_text=True) == before  # cached
    english = client.get("/organisations", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Recién llegada" in english and '<html lang="en">' in english  # another language: fresh
    cached_app.extensions["page_cache"].clear()
    assert "Recién llegada" in client.get("/organisations").get_data(as_text=True)


def test_pages_with_a_csrf_token_are_never_cached(cached_app):
    first, second = cached_app.test_client(), cached_app.test_client()
    token_one = first.get("/login").get_data(as_text=True)
    token_two = second.get("/login").get_data(as_text=True)
    assert token_one != token_two


def test_signed_in_people_never_get_a_cached_page(cached_app, login_as, member):
    client = cached_app.test_client()
    client.get("/")  # fills the cache for anonymous visitors
    login_as(member, on=client)
    assert member.name in client.get("/").get_data(as_text=True)
