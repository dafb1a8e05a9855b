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
