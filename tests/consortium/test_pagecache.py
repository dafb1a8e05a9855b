"""The anonymous page cache: fast for readers, never wrong for people with a session."""

from __future__ import annotations

import pytest

from consortium.app import create_app
from tests.conftest import TEST_CONFIG
from tests.consortium.library.conftest import make_resource  # noqa: F401 - the library's fixture


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


def test_a_foreign_host_cannot_poison_the_cached_guide(cached_app, make_resource, monkeypatch):  # noqa: F811
    monkeypatch.setitem(cached_app.config, "PUBLIC_URL", "https://consorcio.example")
    make_resource({"es": ("Guía de pagos", "Texto.")})
    client = cached_app.test_client()
    guide = "/library/es/guia-de-pagos"
    assert client.get(guide, headers={"Host": "evil.example"}).status_code == 400
    html = client.get(guide).get_data(as_text=True)  # the next reader, at the real address
    assert f'<link rel="canonical" href="https://consorcio.example{guide}">' in html
    assert "evil.example" not in html


def test_cached_pages_are_kept_apart_per_host_and_query(cached_app, db):
    from tests.factories import OrganisationFactory

    client = cached_app.test_client()
    client.get("/organisations")
    client.get("/organisations?page=1")
    OrganisationFactory(name="Recién llegada")
    db.session.commit()
    assert "Recién llegada" not in client.get("/organisations").get_data(as_text=True)  # cached
    other_host = client.get("/organisations", headers={"Host": "127.0.0.1"})
    assert "Recién llegada" in other_host.get_data(as_text=True)
    assert "Recién llegada" in client.get("/organisations?page=1&q=").get_data(as_text=True)


def test_the_cache_is_safe_for_threads_sharing_it(monkeypatch):
    """gunicorn's gthread workers share one cache; eviction must not race (KeyError, changed-size dict)."""
    import sys
    import threading

    from flask import Response

    from consortium import pagecache

    monkeypatch.setattr(pagecache, "MAX_ENTRIES", 8)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible to expose races
    cache = pagecache.PageCache(60)
    response = Response("<p>page</p>", mimetype="text/html")
    errors: list[BaseException] = []

    def work(n):
        try:
            for i in range(2000):
                cache.put((n, i), response)
                cache.get((n, i - 1))
                if i % 500 == 0:
                    cache.clear()
        except Exception as error:  # any error is the failure we look for
            errors.append(error)

    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors and len(cache._entries) <= 8


def test_the_cache_keeps_one_page_per_time_zone(cached_app, db):
    from tests.trainings.factories import make_training

    training = make_training(timezone="America/Lima")
    db.session.commit()
    lima, tokyo, unknown = (cached_app.test_client() for _ in range(3))
    lima.set_cookie("tz", "America/Lima")
    tokyo.set_cookie("tz", "Asia/Tokyo")
    path = f"/trainings/{training.id}"
    lima_page = lima.get(path).get_data(as_text=True)
    tokyo_page = tokyo.get(path).get_data(as_text=True)
    guess_page = unknown.get(path).get_data(as_text=True)
    assert "hora de Perú" in lima_page and "hora de Japón" in tokyo_page
    assert "data-timezone-guess" in guess_page and "data-timezone-guess" not in lima_page
    assert lima.get(path).get_data(as_text=True) == lima_page  # served from the cache, still Lima's
