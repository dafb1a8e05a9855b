"""Requests are answered only for the site's own hosts: any other ``Host`` gets the translated 400 page.

Flask checks ``TRUSTED_HOSTS`` (derived from ``PUBLIC_URL`` in ``consortium.config``) while it reads
the request, so a forged ``Host`` or, behind ProxyFix, ``X-Forwarded-Host`` never reaches a view.
Flask still runs the before-request hooks first, though, and leaves the request without a URL
adapter, so the error page could not build its links. This hook, registered before every other one,
gives the request an adapter for the public address and raises the refusal: no other hook (the page
cache, the log-in) runs for a host we do not serve.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request
from flask.globals import request_ctx
from werkzeug.exceptions import SecurityError


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_untrusted_host():
        error = request.routing_exception
        if isinstance(error, SecurityError):
            public = urlsplit(app.config["PUBLIC_URL"])
            request_ctx.url_adapter = app.url_map.bind(
                public.netloc, script_name=request.script_root or "/", url_scheme=public.scheme
            )
            raise error
