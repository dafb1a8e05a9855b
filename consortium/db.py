"""Declarative base shared by every model: naming convention, UTC datetimes, enums stored by value."""

from __future__ import annotations

import contextvars
import enum
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

from consortium import sqlfunctions

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator):
    """Stores UTC; always returns timezone-aware UTC datetimes, on SQLite too (which keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass a timezone-aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_column(enum_class: type[enum.Enum]) -> sa.Enum:
    """A StrEnum stored by its value in a VARCHAR, so adding a member needs no database enum migration."""
    return sa.Enum(
        enum_class,
        values_callable=lambda members: [member.value for member in members],
        native_enum=False,
        create_constraint=False,
        validate_strings=True,
        length=32,
    )


class Base(DeclarativeBase):
    # Flask-SQLAlchemy subclasses the base, so the map must live on the registry, not on the class.
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict[str, Any]: sa.JSON(), list[str]: sa.JSON()},
    )


db = SQLAlchemy(model_class=Base)


#: Set while the current work will write (an unsafe request method, or ``transaction.writing()``).
WRITE_INTENT: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)
SQLITE_BUSY_TIMEOUT_MS = 15_000


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: real transactions, write-ahead logging, foreign keys, and writers that wait their turn.

    pysqlite's own transaction handling starts transactions late and commits before some statements,
    which turns SAVEPOINT and ROLLBACK into no-ops; SQLAlchemy's documented pysqlite recipe switches it
    off and emits BEGIN itself (``_sqlite_begin``). WAL lets readers and one writer work at once; the busy
    timeout makes a second writer wait for the lock instead of failing at once.
    """
    if _is_sqlite(dbapi_connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()
        sqlfunctions.register_sqlite_functions(dbapi_connection)


@sa.event.listens_for(sa.engine.Engine, "begin")
def _sqlite_begin(connection) -> None:
    """A writing transaction takes SQLite's write lock at BEGIN: its reads and checks happen inside it,
    and it never fails later trying to upgrade a read snapshot that another writer made stale."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if WRITE_INTENT.get() else "BEGIN")


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Versioned:
    """Optimistic locking: an UPDATE based on an outdated row raises StaleDataError instead of overwriting."""

    version: Mapped[int] = mapped_column(default=1)

    @sa.orm.declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}
