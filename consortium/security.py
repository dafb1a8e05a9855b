"""Response hardening and HTTP caching applied to every response: pages, errors and static files."""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

from consortium.extensions import csrf

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _bearer_request() -> bool:
    """API calls authenticated by a bearer token carry no cookie, so they cannot be forged cross-site."""
    return request.headers.get("Authorization", "").startswith("Bearer ")


def init_app(app: Flask) -> None:
    @app.before_request
    def check_csrf():
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE") or _bearer_request():
            return
        if request.path.startswith("/api/") and not current_user.is_authenticated:
            return  # no session to ride on: the endpoint answers 401 (or serves a public call)
        csrf.protect()

    @app.after_request
    def harden(response):
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if not app.debug and app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response

    @app.after_request
    def cache_policy(response):
        if request.endpoint and (request.endpoint == "static" or request.endpoint.endswith(".static")):
            if request.args.get("v"):  # fingerprinted URL: the content behind it never changes
                response.cache_control.no_cache = None  # send_file's default, which would revalidate
                response.cache_control.public = True
                response.cache_control.max_age = 31536000
                response.cache_control.immutable = True
            return response
        if current_user and current_user.is_authenticated:
            response.cache_control.private = True
            response.cache_control.no_store = True
        elif (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and response.mimetype == "text/html"
            and not response.direct_passthrough
        ):
            # Public pages revalidate cheaply: an unchanged page answers 304 with no body.
            response.cache_control.no_cache = True
            response.vary.add("Cookie")
            response.vary.add("Accept-Language")
            response.add_etag()
            response.make_conditional(request)
        return response
