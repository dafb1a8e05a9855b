"""Input no database can hold is refused before any view sees it, so it never becomes a 500.

- Ids: PostgreSQL ``integer`` columns end at 2**31 - 1 (SQLite's at 2**63 - 1), and a larger number
  in a query fails on either. The ``int`` URL converter's pattern matches no number beyond that, so
  such an address answers 404 like a missing row (a pattern, not a check after matching: werkzeug
  would answer 405 where another method's rule shares the path). ``parse_id`` reads ids from query
  strings and forms alike, and the ``Id`` field from API bodies (with 422 beyond the range).
- Text: PostgreSQL cannot store a NUL character, and an unpaired UTF-16 surrogate (``"\\ud800"``
  in JSON) cannot be encoded at all. A request carrying either in its path, query or JSON body
  answers 400, as does JSON nested deeper than any of our documents. Forms are left to their fields:
  every text field refuses such characters with an error beside it, keeping what was typed
  (``consortium.forms.SingleLine``/``PlainText``; ``tests/test_architecture.py`` checks every field).
"""

from __future__ import annotations

import json
from typing import NoReturn

from flask import Flask, request
from marshmallow import fields, validate
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from consortium.i18n import lazy_gettext as _l

MAX_ID = 2**31 - 1
MAX_JSON_DEPTH = 32

UNSTORABLE_TEXT = _l("The request contains characters that cannot be stored (NUL or unpaired surrogates).")
TOO_DEEP = _l("The JSON document is nested too deeply.")
NOT_JSON = _l("The request body is not valid JSON.")


def _numbers_up_to(limit: int) -> str:
    """A regular expression for the decimal numbers 0 to ``limit``: shorter ones, then digit by digit."""
    digits = str(limit)
    alternatives = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - position - 1
            alternatives.append(rf"{digits[:position]}[0-{int(digit) - 1}]\d{{{rest}}}")
    return "(?:" + "|".join([*alternatives, digits]) + ")"


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a number beyond ``MAX_ID`` matches no route, so it answers 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)
        if not (signed or fixed_digits):
            self.regex = _numbers_up_to(MAX_ID if max is None else max)


def parse_id(value: str | None) -> int | None:
    """An id from a query string or form, or None when it is not one a table can hold."""
    if not value or not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


class Id(fields.Integer):
    """An id in an API body or query: an integer from 1 to ``MAX_ID`` (so documented), else 422."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse(message) -> NoReturn:
    error = BadRequest()
    error.data = {"messages": {"request": [str(message)]}}  # the error page and JSON body show it
    raise error


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")  # Python accepts NaN and Infinity; JSON does not


def _check_json(data: bytes) -> None:
    try:
        document = json.loads(data, parse_constant=_no_constants)
    except RecursionError:
        _refuse(TOO_DEEP)
    except ValueError:  # malformed JSON, or bytes that are not UTF-8
        _refuse(NOT_JSON)
    stack = [(document, 1)]
    while stack:  # iterative, so the check itself cannot run out of stack
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            _refuse(TOO_DEEP)
        if isinstance(value, str) and not _storable(value):
            _refuse(UNSTORABLE_TEXT)
        elif isinstance(value, dict):
            for key, item in value.items():
                if not _storable(key):
                    _refuse(UNSTORABLE_TEXT)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def check_request() -> None:
    """Runs before every view (and before the CSRF check): 400 for text no column can store."""
    texts = [request.path, *(key + "".join(values) for key, values in request.args.lists())]
    if "\x00" in "".join(texts):  # URL-decoding replaces invalid UTF-8, so NUL is all that is left
        _refuse(UNSTORABLE_TEXT)
    if request.is_json and request.get_data(cache=True):
        _check_json(request.get_data(cache=True))


def init_app(app: Flask) -> None:
    """Called first in ``create_app``: the converter must be in place before any route is added."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(check_request)
