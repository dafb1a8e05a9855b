"""Log-in limits are shared by every worker through the machine's real Redis."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from consortium.app import create_app
from tests.conftest import CI, TEST_CONFIG

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_workers(app):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if CI:
            pytest.fail(f"CI=true requires Redis at {REDIS_URL}: {error}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex[:8]}"  # isolates this test's counters from any other run
    config = {
        **TEST_CONFIG,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
    }
    workers = [create_app(config) for _ in range(2)]
    for worker in workers:
        worker.test_client_class = app.test_client_class
    yield workers
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()
    for worker in workers:
        with worker.app_context():
            worker.extensions["sqlalchemy"].engine.dispose()


def test_failed_log_ins_on_one_worker_count_on_the_other(redis_workers, member, mail_outbox):
    from tests.conftest import hidden_fields

    first, second = (worker.test_client() for worker in redis_workers)
    for _ in range(3):
        fields = hidden_fields(first.get("/login").get_data(as_text=True), "/login")
        assert (
            first.post("/login", data={**fields, "email": member.email, "password": "wrong"}).status_code
            == 200
        )
    fields = hidden_fields(second.get("/login").get_data(as_text=True), "/login")
    response = second.post("/login", data={**fields, "email": member.email, "password": "wrong"})
    assert response.status_code == 429
    assert [message.template for message in mail_outbox()] == ["login_unlock"]
