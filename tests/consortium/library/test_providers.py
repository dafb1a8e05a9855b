"""Suggestions for the safeguards results page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consortium import suggestions


def test_suggestions_offer_published_resources_for_principles(app, make_resource):
    make_resource({"es": ("Guía F3", "x")}, principles=["F3", "O1"])
    make_resource({"es": ("Guía O9", "x")}, principles=["O9"])
    make_resource({"es": ("Borrador F3", "x")}, principles=["F3"], published=())
    with app.test_request_context("/"):
        found = suggestions.for_principles(["F3"], limit=3)["library"]
    assert [s.title for s in found] == ["Guía F3"] and found[0].principles == ("F3",)
    assert found[0].url == "/library/es/guia-f3"


def test_suggestions_look_up_the_version_to_show_for_the_chosen_resources_only(app, db, make_resource):
    """The version a reader sees is looked up for the few suggested resources, not for every published
    one: on the bench's 3,500 resources that lookup made the results page wait 27 ms."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the plan's loop counts are PostgreSQL's EXPLAIN ANALYZE")
    for number in range(30):
        make_resource({"es": (f"Guía {number}", "x")}, principles=["F3"])
    statements: list = []

    def capture(_connection, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        with app.test_request_context("/"):
            found = suggestions.for_principles(["F3"], limit=3)["library"]
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    assert len(found) == 3
    statement, parameters = next(each for each in statements if "resource_versions" in each[0])
    raw = db.session.connection().connection.driver_connection
    plan = raw.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).fetchone()[0][0]["Plan"]
    lookups = [node["Actual Loops"] for node in _nodes(plan) if _reads_versions(node)]
    assert lookups and max(lookups) <= 2 * 3, lookups  # a few per suggestion, not one per resource


def _reads_versions(node: dict) -> bool:
    return node.get("Relation Name") == "resource_versions"


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)
