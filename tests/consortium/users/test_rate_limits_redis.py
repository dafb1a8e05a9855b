"""Log-in limits are shared by every worker through the machine's real Redis.

The workers are OS processes (``tests.race``), each with its own app and limiter, as gunicorn's would be:
one process's limiter is process-wide (Flask-Limiter keeps its storage and key prefix on the extension),
so building two apps in the test's own process would share one counter and prove nothing. Each test
uses its own key prefix (the storage's as well as the limiter's), and removes only its own keys, so runs
that share the Redis database (other checkouts, other helpers, whose teardown resets "LIMITS*") never
see or clear each other's counters.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest
import redis
import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from tests.conftest import CI, hidden_fields
from tests.factories import PASSWORD
from tests.race import TIMEOUT, ServerProcesses, overrides_of

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PROCESSES = 3
BURST = 18  # at once on one account; the account limit is 6
STRONG = "Tres-Llamas-Cruzan-El-Rio"


def _slow_password_checks() -> None:
    """Each check takes a while, as production's Argon2 does, so that the burst's attempts overlap."""
    from consortium.users import passwords, services

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return verify(*args, **kwargs)

    verify = passwords.verify_password
    services.verify_password = slow


def _post_wrong_passwords(app, job, barrier) -> list[int]:
    """``count`` wrong guesses from threads of this process, each with its own browser."""
    email, count, at_once = job
    answers: list[int] = []

    def guess(client, fields):
        response = client.post("/login", data={**fields, "email": email, "password": "wrong"})
        answers.append(response.status_code)

    clients = [app.test_client() for _ in range(count)]
    forms = [hidden_fields(client.get("/login").get_data(as_text=True), "/login") for client in clients]
    if at_once:
        barrier.wait(timeout=TIMEOUT)
    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
        if not at_once:
            thread.join(timeout=TIMEOUT)
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    return answers


@pytest.fixture
def redis_prefix():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if CI:
            pytest.fail(f"CI=true requires Redis at {REDIS_URL}: {error}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def _workers(app, prefix: str, account_limit: str, processes: int, *, setup=None) -> ServerProcesses:
    overrides = {
        **overrides_of(app),
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        # The storage's own prefix too: a limiter.reset() elsewhere deletes every "LIMITS*" key.
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": prefix},
        "LOGIN_LIMIT_PER_ACCOUNT": account_limit,
    }
    return ServerProcesses(overrides, processes, setup=setup)


def _keys(prefix: str) -> list:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return list(client.scan_iter(f"*{prefix}*"))
    finally:
        client.close()


def test_failed_log_ins_on_one_worker_count_on_the_other(app, db, redis_prefix, member, mail_outbox):
    db.session.commit()
    workers = _workers(app, redis_prefix, "3 per minute", 2)
    try:
        first = workers.run(_post_wrong_passwords, [(member.email, 3, False), (member.email, 0, False)])
        second = workers.run(_post_wrong_passwords, [(member.email, 0, False), (member.email, 1, False)])
    finally:
        workers.close()
    db.session.rollback()  # read what the processes committed, not an older snapshot
    assert first[0] == [200] * 3 and second[1] == [429]
    assert _keys(redis_prefix), "the counters are under this run's own prefix"
    assert [message.template for message in mail_outbox()] == ["login_unlock"]


def test_a_burst_of_guesses_from_several_processes_gets_only_the_limit(
    app, db, redis_prefix, member, mail_outbox
):
    db.session.commit()
    workers = _workers(app, redis_prefix, "6 per 10 minutes", PROCESSES, setup=_slow_password_checks)
    share = BURST // PROCESSES
    try:
        answers = workers.run(_post_wrong_passwords, [(member.email, share, True)] * PROCESSES)
    finally:
        workers.close()
    db.session.rollback()  # read what the processes committed, not an older snapshot
    statuses = sorted(status for process in answers for status in process)
    checked = db.session.scalar(
        sa.select(sa.func.count()).where(
            AuditEvent.action == "user.login_failed", AuditEvent.summary == member.email
        )
    )
    assert checked <= 6, f"{checked} passwords checked of a burst of {BURST} (limit 6): {statuses}"
    assert statuses == [200] * 6 + [429] * (BURST - 6)
    assert [message.template for message in mail_outbox()] == ["login_unlock"]  # once for the burst


def _log_ins(app, job, barrier) -> list[int]:
    """Each (email, password) from a new browser, one after another."""
    answers = []
    for email, password in job:
        client = app.test_client()
        fields = hidden_fields(client.get("/login").get_data(as_text=True), "/login")
        response = client.post("/login", data={**fields, "email": email, "password": password})
        answers.append(response.status_code)
    return answers


def test_successful_log_ins_give_their_try_back_in_redis(app, db, redis_prefix, member, mail_outbox):
    db.session.commit()
    email = member.email
    workers = _workers(app, redis_prefix, "2 per minute", 1)
    try:
        [answers] = workers.run(_log_ins, [[(email, PASSWORD)] * 3 + [(email, "wrong")] * 3])
    finally:
        workers.close()
    assert answers == [302, 302, 302, 200, 200, 429]


def _slow_current_password_checks() -> None:
    """The current-password check takes a while too, so that the burst's checks overlap."""
    from consortium.users import limits

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return verify(*args, **kwargs)

    verify = limits.verify_password
    limits.verify_password = slow


def _post_wrong_current_passwords(app, job, barrier) -> list[int]:
    """``count`` wrong current passwords at once from threads of this process, each its own browser."""
    token, count = job
    answers: list[int] = []

    def guess(client, fields):
        data = {**fields, "current": "not-my-password", "password": STRONG, "confirm": STRONG}
        answers.append(client.post("/account/password", data=data).status_code)

    clients = [app.test_client() for _ in range(count)]
    for client in clients:
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
    pages = [client.get("/account").get_data(as_text=True) for client in clients]
    forms = [hidden_fields(page, "/account/password") for page in pages]
    barrier.wait(timeout=TIMEOUT)
    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    return answers


def test_a_burst_of_wrong_current_passwords_from_several_processes_gets_only_the_limit(
    app, db, redis_prefix, member
):
    # On SQLite a signed-in POST holds the write lock from loading its session, before the limit is
    # checked, so the burst is served one by one there; on PostgreSQL the checks really overlap.
    from consortium.users import sessions

    token = sessions.start_session(member)
    db.session.commit()
    workers = _workers(app, redis_prefix, "6 per 10 minutes", PROCESSES, setup=_slow_current_password_checks)
    share = BURST // PROCESSES
    try:
        answers = workers.run(_post_wrong_current_passwords, [(token, share)] * PROCESSES)
    finally:
        workers.close()
    statuses = sorted(status for process in answers for status in process)
    assert statuses == [422] * 6 + [429] * (BURST - 6), f"a burst of {BURST} (limit 6): {statuses}"
