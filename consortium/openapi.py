"""The API's OpenAPI document: every error an operation can answer is listed, with one error schema.

flask-smorest would document a catch-all ``default`` error; we list the statuses instead, so clients
(and the contract test, ``tests/test_api_contract.py``) can tell a documented refusal from a bug.
``ErrorResponses`` adds those every operation of a kind can meet; views add the rest with
``@blp.alt_response(409, response="CONFLICT")`` and the like (flask-smorest names a component
response after each HTTP status, all with ``consortium.errors.ErrorSchema``).
"""

from __future__ import annotations

from http import HTTPStatus

from apispec import BasePlugin
from flask_smorest import Api

from consortium.errors import ErrorSchema

BEARER = {"type": "http", "scheme": "bearer", "description": "A personal token (or the session cookie)"}


class ErrorResponses(BasePlugin):
    """Errors by kind of operation: any request may be malformed (400: bad JSON, NUL characters, an
    expired CSRF token); a path with parameters may name nothing (404); an operation that needs a
    log-in refuses anonymous callers (401), and callers whose role lacks its permission (403); a
    body may be too large (413)."""

    def __init__(self, api: ConsortiumApi):
        super().__init__()
        self.api = api

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs["rule"]
        view = self.api._app.view_functions[rule.endpoint]
        for operation in (operations or {}).values():
            codes = {HTTPStatus.BAD_REQUEST}
            if rule.arguments:
                codes.add(HTTPStatus.NOT_FOUND)
            if getattr(view, "is_protected", False):
                codes.add(HTTPStatus.UNAUTHORIZED)
                operation.setdefault("security", [{"bearerAuth": []}])
            if getattr(view, "required_permission", None) is not None:
                codes.add(HTTPStatus.FORBIDDEN)
            if "requestBody" in operation:
                codes.add(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(str(code.value), code.name)


class ConsortiumApi(Api):
    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None  # statuses are listed instead of a catch-all

    def _init_spec(self, **options):
        options.setdefault("extra_plugins", [ErrorResponses(self)])
        super()._init_spec(**options)
        self.spec.components.security_scheme("bearerAuth", BEARER)
