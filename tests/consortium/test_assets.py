"""Fingerprinted static files are cached for good: a phone fetches the CSS and the time-zone script once."""

from __future__ import annotations

from consortium.assets import asset


def test_fingerprinted_files_are_never_revalidated(client, app):
    with app.test_request_context():
        url = asset("js/timezone.js")
    with client.get(url) as response:
        cache = response.headers["Cache-Control"]
        size = len(response.data)
    assert "immutable" in cache and "max-age=31536000" in cache and "no-cache" not in cache
    assert size < 2500  # the script stays tiny


def test_links_built_once_per_worker_follow_where_the_app_is_mounted(app, client):
    """The layout's links are remembered per mount point: an app served under a prefix links under it."""
    with client.get("/login", base_url="http://localhost/consorcio/") as response:
        mounted = response.get_data(as_text=True)
    with client.get("/login") as response:
        at_root = response.get_data(as_text=True)
    assert 'href="/consorcio/trainings"' in mounted and 'href="/consorcio/static/css/' in mounted
    assert 'href="/trainings"' in at_root and 'href="/static/css/' in at_root
    assert "/consorcio" not in at_root
