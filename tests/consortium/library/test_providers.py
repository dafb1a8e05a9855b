"""Suggestions for the safeguards results page."""

from __future__ import annotations

from consortium import suggestions


def test_suggestions_offer_published_resources_for_principles(app, make_resource):
    make_resource({"es": ("Guía F3", "x")}, principles=["F3", "O1"])
    make_resource({"es": ("Guía O9", "x")}, principles=["O9"])
    make_resource({"es": ("Borrador F3", "x")}, principles=["F3"], published=())
    with app.test_request_context("/"):
        found = suggestions.for_principles(["F3"], limit=3)["library"]
    assert [s.title for s in found] == ["Guía F3"] and found[0].principles == ("F3",)
    assert found[0].url == "/library/es/guia-f3"
