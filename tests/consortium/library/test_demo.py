"""The demo library loads once, with fallbacks between languages."""

from __future__ import annotations

import sqlalchemy as sa

from consortium import demo
from consortium.library.models import Resource


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
