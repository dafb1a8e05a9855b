"""A short-lived, per-worker cache of public pages for anonymous visitors.

Anonymous readers on slow phones make most of the traffic to the catalogue, the library and the home
page, and those pages are the same for everyone who reads in the same language. A page is stored only
when it is a 200 HTML answer to an anonymous GET that embedded no CSRF token and left the session
untouched, and it is served only to visitors without a signed-in session or pending messages. It
lives ``PAGE_CACHE_SECONDS`` (10 by default; 0 turns the cache off), so an edit shows within seconds,
as behind any HTTP cache.
"""

from __future__ import annotations

import time

from flask import Flask, Response, g, request, session

from consortium.i18n import select_locale

MAX_ENTRIES = 1024


class PageCache:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self._entries: dict[tuple, tuple[float, bytes, dict]] = {}

    def get(self, key: tuple) -> Response | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        _, body, headers = entry
        return Response(body, headers=headers)

    def put(self, key: tuple, response: Response) -> None:
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.pop(next(iter(self._entries)))  # the oldest entry
        headers = {
            k: v for k, v in response.headers.items() if k.lower() not in ("set-cookie", "content-length")
        }
        self._entries[key] = (time.monotonic() + self.seconds, response.get_data(), headers)

    def clear(self) -> None:
        self._entries.clear()


def _cacheable_request() -> bool:
    return (
        request.method == "GET"
        and "Authorization" not in request.headers
        and "_user_id" not in session
        and "_flashes" not in session
    )


def _key() -> tuple:
    return request.full_path, select_locale()


def init_app(app: Flask) -> None:
    seconds = app.config["PAGE_CACHE_SECONDS"]
    if not seconds:
        return
    cache = app.extensions["page_cache"] = PageCache(seconds)

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
