"""Translated error pages for people and JSON errors for the API; the session is rolled back first."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from consortium import transaction
from consortium.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A feature's rule was broken. ``message`` is translated and safe to show: a subclass names its own,
    or the raiser passes one."""

    message = _l("This action is not possible.")

    def __init__(self, message=None):
        super().__init__(str(message or self.message))
        if message is not None:
            self.message = message


MESSAGES = {
    400: _l("The request could not be understood. Please go back, reload the page and try again."),
    401: _l("Please log in to continue."),
    403: _l("Your account is not allowed to do this: it needs a role or a membership you do not have."),
    404: _l("We could not find this page. It may have moved, or you may not have access to it."),
    405: _l("This address does not accept that kind of request."),
    409: _l("Someone else changed this in the meantime. Reload to see the latest version."),
    412: _l("This was changed since you loaded it. Reload to see the latest version."),
    413: _l("The file or form you sent is too large."),
    422: _l("Some of the data sent is not valid."),
    428: _l("This request must say which version it changes (If-Match)."),
    429: _l("Too many attempts. Please wait a few minutes and try again."),
    500: _l("Something went wrong on our side. The team has been told; please try again later."),
}
TITLES = {
    400: _l("Bad request"),
    401: _l("Log-in required"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("Conflicting change"),
    412: _l("Outdated version"),
    413: _l("Too large"),
    422: _l("Invalid data"),
    428: _l("Version required"),
    429: _l("Too many requests"),
    500: _l("Server error"),
}
CSRF_MESSAGE = _l("This form has expired or was sent from another site. Reload the page and try again.")


class ErrorSchema(Schema):
    """The body of every JSON error; the OpenAPI document gives it to every error response."""

    code = fields.Int(required=True, metadata={"description": "The HTTP status code"})
    status = fields.Str(required=True, metadata={"description": "The status, in the reader's language"})
    message = fields.Str(required=True, metadata={"description": "What happened, in the reader's language"})
    errors = fields.Dict(
        keys=fields.Str(),
        values=fields.Raw(),
        metadata={"description": "Details: the invalid fields by where they were sent (json, query...)"},
    )


def json_error(code: int, message: str, **extra):
    """A JSON error response in ``ErrorSchema``'s shape; ``extra`` holds documented additions."""
    body = {"code": code, "status": str(TITLES.get(code, "")), "message": message, **extra}
    return make_response(jsonify(body), code)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _respond(code: int, message: str, errors: dict | None = None):
    if wants_json():
        return json_error(code, message, **({"errors": errors} if errors else {}))
    page = render_template(
        "errors/error.html", code=code, title=TITLES.get(code, TITLES[500]), message=message
    )
    return make_response(page, code)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        transaction.rollback()
        return _respond(400, str(CSRF_MESSAGE))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        transaction.rollback()
        code = error.code or 500
        # abort(code, message) gives its own translated reason; a rate limit's is the limit and a refused
        # host's is Werkzeug's English text, not sentences for the person
        foreign = isinstance(error, RateLimitExceeded | SecurityError)
        own = None if foreign else vars(error).get("description")
        message = own or MESSAGES.get(code)
        if isinstance(error, RateLimitExceeded) and error.limit.error_message:
            message = error.description  # a limit that says more than "too many" (log-in's unlock link)
        errors = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
        response = _respond(code, str(message) if message else error.description, errors)
        if code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        transaction.rollback()
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("Unhandled error on %s %s", request.method, request.path)
        if app.config.get("PROPAGATE_EXCEPTIONS"):
            raise error
        return http_error(InternalServerError())
