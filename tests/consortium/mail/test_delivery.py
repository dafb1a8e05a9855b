"""The mail worker against a real SMTP server, from several OS processes at once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from consortium.mail import MailStatus, OutboxMessage, queue_email
from consortium.mail.delivery import DeliveryReport, claim_next, deliver_one
from tests.conftest import ROOT, _Inbox, free_port

MESSAGES = 40


class _SlowInbox(_Inbox):
    """Takes a little time per message, so that two senders really work at the same moment."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp():
    inbox = _SlowInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox.messages
    controller.stop()


def _queue(app, db, count: int, name: str = "Reader") -> list[str]:
    ids = []
    with app.test_request_context():
        for n in range(count):
            message = queue_email(
                f"reader{n}@example.org",
                "reset_password",
                f"Subject {n}",
                to_name=name,
                locale="es",
                reset_url="http://localhost/x",
                minutes=60,
            )
            ids.append(message.message_id)
        db.session.commit()
    return ids


def _cli_env(database_url: str, smtp_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_APP": "wsgi:app",
        "PYTHONPATH": str(ROOT),
        "CONSORTIUM_ENV": "testing",
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "CONSORTIUM_MAIL_BACKEND": "smtp",
        "CONSORTIUM_MAIL_SERVER": "127.0.0.1",
        "CONSORTIUM_MAIL_PORT": str(smtp_port),
    }


def _flask(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_senders_deliver_every_message_once_and_set_a_poisoned_one_aside(
    app, db, database_url, slow_smtp, mail_outbox
):
    port, received = slow_smtp
    good = _queue(app, db, MESSAGES)
    [poisoned] = _queue(app, db, 1)
    row = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.message_id == poisoned))
    row.attachments = [{"filename": "x.ics", "mime": "not-a-mime-type", "base64": "***"}]
    db.session.commit()

    env = _cli_env(database_url, port)
    senders = [_flask("mail", "send-pending", env=env) for _ in range(2)]
    outputs = [sender.communicate(timeout=120)[0] for sender in senders]

    assert [sender.returncode for sender in senders] == [0, 0], outputs
    delivered = Counter(message["Message-ID"] for message in received)
    assert set(delivered) == set(good)  # every good message arrived, the poisoned one never did
    assert max(delivered.values()) == 1  # and none twice
    db.session.rollback()
    states = Counter(message.status for message in mail_outbox())
    assert states == {MailStatus.SENT: MESSAGES, MailStatus.FAILED: 1}
    failed = next(m for m in mail_outbox() if m.status is MailStatus.FAILED)
    assert failed.message_id == poisoned and failed.attempts == 1 and "ValueError" in failed.last_error
    assert all("sent" in output for output in outputs)
    print(f"two senders: {[o.strip().splitlines()[-1] for o in outputs]}")


def test_a_name_with_a_line_break_cannot_jam_the_outbox(app, db, smtp, mail_outbox):
    _queue(app, db, 1, name="Eve\r\nBcc: everyone@example.org")
    _queue(app, db, 1)
    report = DeliveryReport()
    while deliver_one("worker", report):
        pass
    assert report.sent == 2 and len(smtp) == 2
    assert smtp[0]["To"] == '"Eve Bcc: everyone@example.org" <reader0@example.org>'
    assert "Bcc" not in smtp[0]


def test_a_sender_whose_claim_expired_does_not_overwrite_the_new_owner(app, db, smtp, mail_outbox):
    _queue(app, db, 1)
    late = claim_next("late-worker")
    db.session.execute(sa.update(OutboxMessage).values(claimed_until=late.created_at))  # lease over
    db.session.commit()
    report = DeliveryReport()
    assert deliver_one("new-worker", report) and report.sent == 1
    from consortium.mail.delivery import _finish

    assert not _finish(late, "late-worker", status=MailStatus.PENDING, attempts=9)
    db.session.rollback()
    [message] = mail_outbox()
    assert message.status is MailStatus.SENT and message.attempts == 1 and len(smtp) == 1


def test_the_worker_delivers_as_messages_arrive_and_stops_cleanly(app, db, database_url, smtp, mail_outbox):
    env = _cli_env(database_url, app.config["MAIL_PORT"])
    worker = _flask("mail", "worker", "--poll", "0.2", env=env)
    try:
        _queue(app, db, 3)
        deadline = time.monotonic() + 30
        while len(smtp) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(smtp) == 3
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, output
    assert "Mail worker stopped." in output
