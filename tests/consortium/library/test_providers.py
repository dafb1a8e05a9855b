"""Suggestions for the safeguards results page."""

from __future__ import annotations

import pytest

from consortium import suggestions
from tests.consortium.library.plans import version_reads


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
    found: list = []

    def suggest():
        with app.test_request_context("/"):
            found.extend(suggestions.for_principles(["F3"], limit=3)["library"])

    lookups = version_reads(db, suggest)
    assert len(found) == 3
    assert lookups and max(lookups) <= 2 * 3, lookups  # a few per suggestion, not one per resource
