"""``/healthz``: what the load balancer's monitor and a deploy script ask each host."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.extensions import limiter


def test_healthz_reports_the_database_and_the_limit_store_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "rate_limits": "ok"}
    assert response.cache_control.no_store
    assert "Set-Cookie" not in response.headers


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable", "rate_limits": "ok"}
    assert response.cache_control.no_store


def test_healthz_answers_503_when_redis_is_unreachable(client, monkeypatch):
    def refused():
        raise ConnectionError("Redis refused the connection")

    monkeypatch.setattr(limiter.storage, "check", refused)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["rate_limits"] == "unavailable"
