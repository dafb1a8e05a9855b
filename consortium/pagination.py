"""One rule for ``?page=`` on every list, so a hostile or stale page number never reaches the database.

- Pages (HTML): a list has pages 1 to its last, and page 1 always exists, even when empty. Any other
  ``page`` (not a number, 0, negative, past the last page) answers 404, as a missing row does.
- The JSON API documents ``page`` as an integer from 1 to ``MAX_PAGE`` (``page_argument``); anything
  else is refused with 422 like any invalid argument. A page past the end is an empty list, so
  clients page until they get one.

``macros/ui.html`` renders the pager of both kinds of page object (Flask-SQLAlchemy's and the
library's ``search.Page``).
"""

from __future__ import annotations

from flask import abort, request
from marshmallow import fields, validate

from consortium.db import db

MAX_PAGE = 10_000


def requested_page() -> int:
    """The ``page`` argument, or 404 when it cannot name a page."""
    raw = request.args.get("page", "").strip()
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or not 1 <= int(raw) <= MAX_PAGE:
        abort(404)
    return int(raw)


def paginate(query, *, per_page: int, count: bool = True):
    """``db.paginate`` on the requested page; a page past the last one answers 404."""
    return db.paginate(query, page=requested_page(), per_page=per_page, error_out=True, count=count)


def require_page(page: int, total: int, per_page: int) -> None:
    """For lists paged by hand: 404 when ``page`` lies past the last page of ``total`` items."""
    if page > 1 and (page - 1) * per_page >= total:
        abort(404)


def page_argument() -> fields.Integer:
    """The API's ``page`` query argument."""
    return fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "From 1; a page past the last one is empty"},
    )
