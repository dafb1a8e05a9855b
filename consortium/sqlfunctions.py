"""SQL that means the same on SQLite and PostgreSQL: accent- and case-blind matching, and local years.

- ``contains_folded(column, text)``: "maria", "pena", "joao", "nandu" find María, Peña, João, Ñandú.
  PostgreSQL folds with ``public.library_unaccent`` (the ``unaccent`` extension with its dictionary named,
  created by the library's migration for its full-text search) and ``lower``; SQLite with ``fold``, the
  Python function below, which ``consortium.db`` registers on every SQLite connection.
- ``local_year(utc_column, zone_column)``: the calendar year of a UTC timestamp in a row's own time zone
  (a training at 21:00 in Lima on 31 December belongs to that year, not to the UTC year after).
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


def fold(text: str | None) -> str | None:
    """Lower case without accents: NFKD splits "ñ" into "n" and a combining tilde, which is dropped."""
    if text is None:
        return None
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def _local_year(value: str | None, zone: str | None) -> int | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value).replace(tzinfo=UTC)  # SQLite keeps UTC without a zone
        return moment.astimezone(ZoneInfo(zone or "UTC")).year
    except (ValueError, ZoneInfoNotFoundError):
        return None


def register_sqlite_functions(dbapi_connection) -> None:
    dbapi_connection.create_function("fold", 1, fold, deterministic=True)
    dbapi_connection.create_function("local_year", 2, _local_year, deterministic=True)


class folded(GenericFunction):
    type = sa.String()
    inherit_cache = True


@compiles(folded)
def _folded_sqlite(element, compiler, **kw):
    return f"fold({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element, compiler, **kw):
    return f"lower(public.library_unaccent({compiler.process(element.clauses, **kw)}))"


class local_year(GenericFunction):
    type = sa.Integer()
    inherit_cache = True


@compiles(local_year)
def _local_year_sqlite(element, compiler, **kw):
    return f"local_year({compiler.process(element.clauses, **kw)})"


@compiles(local_year, "postgresql")
def _local_year_postgresql(element, compiler, **kw):
    moment, zone = list(element.clauses)
    return (
        f"CAST(EXTRACT(YEAR FROM (({compiler.process(moment, **kw)}) AT TIME ZONE "
        f"({compiler.process(zone, **kw)}))) AS INTEGER)"
    )


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains_folded(column, text: str):
    """``column`` contains ``text``, ignoring case and accents on both sides; ``%`` and ``_`` are literal."""
    return folded(column).like(folded(sa.literal(_like_pattern(text))), escape="\\")
