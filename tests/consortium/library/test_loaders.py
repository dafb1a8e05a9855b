"""Demo content, benchmark volume and suggestions for the safeguards results page."""

from __future__ import annotations

import random

import sqlalchemy as sa

from consortium import demo, suggestions
from consortium.library import loaders
from consortium.library.models import Resource, ResourceVersion


def test_demo_library_loads_once_with_fallbacks(app, client, db):
    demo.load()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Resource)) == 14
    assert demo.load() == 0
    client.set_cookie("lang", "es")
    html = client.get("/library?q=informacion").get_data(as_text=True)
    assert "resource" in html or "recurso" in html
    items = client.get("/api/v1/resources?lang=pt_BR&per_page=100").get_json()["items"]
    assert (
        len(items) == 14 and any(i["is_fallback"] for i in items) and not all(i["is_fallback"] for i in items)
    )


def test_benchmark_seed_adds_resources_in_three_languages(db, client):
    created = loaders.seed(1, random.Random(1))
    db.session.commit()
    versions = db.session.scalar(sa.select(sa.func.count()).select_from(ResourceVersion))
    assert created >= 1000 and versions >= 900
    assert loaders.seed(1, random.Random(1)) == 0
    assert client.get("/library?q=informacion").status_code == 200


def test_suggestions_offer_published_resources_for_principles(app, make_resource):
    make_resource({"es": ("Guía F3", "x")}, principles=["F3", "O1"])
    make_resource({"es": ("Guía O9", "x")}, principles=["O9"])
    make_resource({"es": ("Borrador F3", "x")}, principles=["F3"], published=())
    with app.test_request_context("/"):
        found = suggestions.for_principles(["F3"], limit=3)["library"]
    assert [s.title for s in found] == ["Guía F3"] and found[0].principles == ("F3",)
    assert found[0].url == "/library/es/guia-f3"
