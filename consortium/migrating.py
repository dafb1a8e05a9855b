"""Helpers for migrations that SQLite runs by rebuilding a table.

SQLite drops a column or adds a foreign key by copying the table and dropping the old copy, and that
drop deletes, through ON DELETE CASCADE, every row that points at the table. ``keeping`` sets such rows
aside for the rebuild and puts them back.
"""

from __future__ import annotations

import contextlib

import sqlalchemy as sa


@contextlib.contextmanager
def keeping(op, *tables: str):
    """Around a batch operation that rebuilds a table on SQLite: the ``tables`` present keep their rows."""
    bind = op.get_bind()
    present = set(sa.inspect(bind).get_table_names())
    kept = [name for name in tables if bind.dialect.name == "sqlite" and name in present]
    # the names are the migration's own constants, never input
    for name in kept:
        op.execute(f"CREATE TEMPORARY TABLE kept_{name} AS SELECT * FROM {name}")  # noqa: S608
    yield
    for name in kept:
        op.execute(f"INSERT INTO {name} SELECT * FROM kept_{name}")  # noqa: S608
        op.execute(f"DROP TABLE kept_{name}")
