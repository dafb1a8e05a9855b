"""A short-lived, per-worker cache of public pages for anonymous visitors.

Anonymous readers on slow phones make most of the traffic to the catalogue, the library and the home
page, and those pages are the same for everyone who asks for the same address (scheme, host, path and
query) in the same language and time zone (the browser's, sent in a cookie by ``timezone.js``, or none
yet: then the page carries that script), so the key holds nothing else. Links in pages come from
``PUBLIC_URL`` and other hosts are refused (``consortium.hosts``), so the host in the key is only a
second guard. A page is stored only when it is a 200 HTML answer to an anonymous GET that embedded no
CSRF token and left the session untouched, and it is served only to visitors without a signed-in session
or pending messages. It lives ``PAGE_CACHE_SECONDS`` (10 by default; 0 turns the cache off), so an edit
shows within seconds, as behind any HTTP cache. gunicorn's threaded workers share one cache, so a lock
guards the dict.
A state change (``consortium.signals.state_changed``: an assessment published, a guide approved...)
empties the cache of the worker that committed it at once; other workers' copies expire with their time.
"""

from __future__ import annotations

import threading
import time

from flask import Flask, Response, current_app, g, request, session

from consortium import transaction
from consortium.i18n import select_locale
from consortium.signals import state_changed
from consortium.timezones import visitor_zone

MAX_ENTRIES = 1024


class PageCache:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self._entries: dict[tuple, tuple[float, bytes, dict]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Response | None:
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        _, body, headers = entry
        return Response(body, headers=headers)

    def put(self, key: tuple, response: Response) -> None:
        headers = {
            k: v for k, v in response.headers.items() if k.lower() not in ("set-cookie", "content-length")
        }
        entry = (time.monotonic() + self.seconds, response.get_data(), headers)
        with self._lock:
            if key not in self._entries and len(self._entries) >= MAX_ENTRIES:
                del self._entries[next(iter(self._entries))]  # the oldest entry
            self._entries[key] = entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _cacheable_request() -> bool:
    return (
        request.method == "GET"
        and "Authorization" not in request.headers
        and "_user_id" not in session
        and "_flashes" not in session
    )


def _key() -> tuple:
    """Everything a public page depends on; the query string is part of ``full_path``."""
    return request.scheme, request.host, request.full_path, select_locale(), visitor_zone()


def _purge_after_commit(sender, **_change) -> None:
    cache = current_app.extensions.get("page_cache")
    if cache is not None:
        transaction.after_commit(cache.clear)


def init_app(app: Flask) -> None:
    seconds = app.config["PAGE_CACHE_SECONDS"]
    if not seconds:
        return
    cache = app.extensions["page_cache"] = PageCache(seconds)
    state_changed.connect(_purge_after_commit)

    @app.before_request
    def serve_cached_page():
        if _cacheable_request():
            g.page_cache_key = _key()
            cached = cache.get(g.page_cache_key)
            if cached is not None:
                g.page_cache_hit = True
                return cached
        return None

    @app.after_request
    def store_page(response: Response):
        key = g.get("page_cache_key")
        if (
            key is not None
            and not g.get("page_cache_hit")
            and response.status_code == 200
            and response.mimetype == "text/html"
            and not response.direct_passthrough
            and not g.get("csrf_token")  # a page with a form carries this visitor's token
            and not session.modified
        ):
            cache.put(key, response)
        return response
