"""Benchmark volume."""

from __future__ import annotations

import random

import sqlalchemy as sa

from consortium.library import seed
from consortium.library.models import ResourceVersion


def test_benchmark_seed_adds_resources_in_three_languages(db, client):
    created = seed.seed(1, random.Random(1))
    db.session.commit()
    versions = db.session.scalar(sa.select(sa.func.count()).select_from(ResourceVersion))
    assert created >= 1000 and versions >= 900
    assert seed.seed(1, random.Random(1)) == 0
    assert client.get("/library?q=informacion").status_code == 200
