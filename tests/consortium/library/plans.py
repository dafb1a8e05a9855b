"""How often PostgreSQL's plan for a statement read resource_versions (EXPLAIN ANALYZE loop counts)."""

from __future__ import annotations

import sqlalchemy as sa


def version_reads(db, run, marker: str = "resource_versions") -> list[int]:
    """Loop counts of every plan node reading resource_versions, in the first statement ``run()``
    executes that mentions ``marker``."""
    statements: list = []

    def capture(_connection, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    statement, parameters = next(each for each in statements if marker in each[0])
    raw = db.session.connection().connection.driver_connection
    plan = raw.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).fetchone()[0][0]["Plan"]
    return [node["Actual Loops"] for node in _nodes(plan) if node.get("Relation Name") == "resource_versions"]


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)
