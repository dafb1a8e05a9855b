"""The transactional outbox against a real SMTP server."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from consortium.mail import MailStatus, OutboxMessage, deliver_pending, queue_email
from tests.conftest import free_port


def _queue(db, to="reader@example.org", locale="en"):
    with db.session.no_autoflush:
        message = queue_email(
            to,
            "reset_password",
            "Subject",
            to_name="Reader",
            locale=locale,
            reset_url="http://localhost/x",
            minutes=60,
        )
    return message


def test_message_is_stored_with_the_transaction_and_vanishes_with_a_rollback(app, db, mail_outbox):
    with app.test_request_context():
        _queue(db)
        db.session.rollback()
    assert mail_outbox() == []


def test_send_pending_delivers_over_smtp_once(app, db, smtp):
    with app.test_request_context():
        _queue(db, locale="pt_BR")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send-pending"])
    assert "sent 1" in result.output
    [message] = smtp
    assert message["To"] == "Reader <reader@example.org>"
    assert "Olá, Reader," in message.get_body(("plain",)).get_content()
    assert message["Message-ID"]
    app.test_cli_runner().invoke(args=["mail", "send-pending"])
    assert len(smtp) == 1  # never sent twice


def test_failed_delivery_is_kept_and_retried_with_back_off(app, db, smtp, monkeypatch):
    with app.test_request_context():
        _queue(db)
        db.session.commit()
    real_port = app.config["MAIL_PORT"]
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    report = deliver_pending()
    assert report.failed == 1 and smtp == []
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.status is MailStatus.PENDING and message.attempts == 1 and message.last_error
    assert deliver_pending().sent == 0  # not due yet: back-off
    monkeypatch.setitem(app.config, "MAIL_PORT", real_port)
    message.next_attempt_at = message.created_at
    db.session.commit()
    assert deliver_pending().sent == 1 and len(smtp) == 1


def test_a_message_claimed_by_another_sender_is_not_sent_again(app, db, smtp):
    with app.test_request_context():
        message = _queue(db)
        db.session.commit()
    message.status = MailStatus.SENDING
    message.claimed_by = "other-worker"
    message.claimed_until = message.created_at.replace(year=2100)
    db.session.commit()
    assert deliver_pending().sent == 0 and smtp == []


def test_development_prints_mail_to_the_log(app, db, mail_outbox, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "log")
    with app.test_request_context():
        _queue(db)
        db.session.commit()
    with caplog.at_level(logging.INFO, logger="consortium.mail"):
        deliver_pending()
    assert "reader@example.org" in caplog.text
    assert mail_outbox()[0].status is MailStatus.SENT


def test_a_request_never_talks_to_the_mail_server(app, client, submit, smtp, mail_outbox, member):
    submit("/forgot-password", {"email": member.email})
    assert smtp == []  # the worker delivers it, outside the request
    [message] = mail_outbox()
    assert message.status is MailStatus.PENDING


def test_messages_say_their_language(app, db, smtp):
    with app.test_request_context():
        _queue(db, locale="pt_BR")
        db.session.commit()
    deliver_pending()
    assert smtp[0]["Content-Language"] == "pt-BR"


def test_public_links_are_built_inside_and_outside_a_request(app):
    """A CLI command (the demo, the digests) has no request: the link still takes PUBLIC_URL's host."""
    import threading

    from consortium.mail import public_url

    built = {}

    def in_a_command():  # a thread starts with no context at all, as a CLI command does
        with app.app_context():
            built["outside"] = public_url("governance.consultation", consultation_id=7)

    worker = threading.Thread(target=in_a_command)
    worker.start()
    worker.join()
    with app.test_request_context():
        inside = public_url("governance.consultation", consultation_id=7)
    assert built["outside"] == inside == "http://localhost/governance/consultations/7"
