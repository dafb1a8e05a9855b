"""One paginator for every list, in pages and in the API: ``paginate(query, per_page)``.

The page number comes from ``?page=`` (``page_number()``). A page that cannot exist answers 404, as
any other missing address does: a malformed number, one below 1 or past ``MAX_PAGE``, or a page past
the last (page 1 always exists, empty or not). Lists that skip the count for speed (the audit log)
read one row more than they show, so they still know whether a next page exists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort, request
from marshmallow import fields, validate

from consortium.db import db

MAX_PAGE = 10_000


@dataclass
class Page:
    items: list[Any]
    total: int | None  # None when the list was not counted
    page: int
    per_page: int
    more: bool = False  # for uncounted lists: a row exists past this page

    @property
    def pages(self) -> int:
        if self.total is None:
            return self.page + self.more
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_number() -> int:
    """The requested page: 1 without ``?page=``, 404 for anything but a number from 1 to ``MAX_PAGE``."""
    raw = request.args.get("page")
    if raw is None:
        return 1
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or not 1 <= int(raw) <= MAX_PAGE:
        abort(404)
    return int(raw)


def paginate(
    query: sa.Select, per_page: int, *, page: int | None = None, count: bool = True, api: bool = False
) -> Page:
    """One page of ``query``'s rows (the request's ``?page=`` unless ``page`` is given).

    Past the last page, pages answer 404; the API (``api=True``) answers an empty list, as it documents.
    """
    page = page_number() if page is None else page
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    rows = (
        db.session.execute(query.limit(per_page + 1).offset((page - 1) * per_page)).unique().scalars().all()
    )
    more, items = len(rows) > per_page, rows[:per_page]
    if page > 1 and not items and not api:
        abort(404)
    total = None
    if count:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    return Page(items=items, total=total, page=page, per_page=per_page, more=more)


def page_argument() -> fields.Integer:
    """The API's ``page`` query argument: documented as 1 to ``MAX_PAGE``, so anything else is a 422.

    A page past the end of an API list is an empty list (clients page until they get one); pages in HTML
    answer 404 instead, as a missing address does.
    """
    return fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "From 1; a page past the last one is empty"},
    )


def require_page(page: int, total: int, per_page: int) -> None:
    """For lists paged by their own query (search, the translation board): 404 past the last page."""
    if page > 1 and (page - 1) * per_page >= total:
        abort(404)
