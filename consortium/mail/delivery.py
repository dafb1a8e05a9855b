"""The mail worker's side of the outbox: claim one message, send it, record the outcome.

Delivery never happens inside a request: ``flask mail worker`` (started by ``make run`` beside the
server, and run as a service in production) loops over ``deliver_pending``; ``flask mail send-pending``
drains the queue once, for cron. Any number of them may run at once on any number of hosts:

- a message is claimed alone, in its own short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
  two workers never wait for each other; SQLite serialises writers), and the claim records who holds it;
- the outcome is written only where the claim is still ours, so a worker whose lease ran out never
  overwrites the work of the one that took over;
- anything that goes wrong with one message (a header the mail library refuses, a corrupt attachment, an
  SMTP error) is counted against that message and logged with its id; the next message goes on. Retries
  back off exponentially; after ``MAIL_MAX_ATTEMPTS`` (or at once, for a message that cannot even be
  built) the message is ``failed`` with its reason, for staff to retry or discard at /admin/mail.

Each message keeps a stable Message-ID: if a worker dies between the SMTP hand-off and recording it,
the retry carries the same ID and receiving systems drop the copy.
"""

from __future__ import annotations

import base64
import logging
import smtplib
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr

import sqlalchemy as sa
from flask import current_app

from consortium import transaction
from consortium.db import db, utcnow
from consortium.mail.outbox import MailStatus, OutboxMessage

log = logging.getLogger("consortium.mail")
#: Far longer than one SMTP conversation (each socket operation times out after SMTP_TIMEOUT).
CLAIM_LEASE = timedelta(minutes=5)
SMTP_TIMEOUT = 30


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0  # will be retried
    given_up: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.given_up


def _due(now):
    return sa.or_(
        sa.and_(OutboxMessage.status == MailStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == MailStatus.SENDING, OutboxMessage.claimed_until < now),
    )


def claim_next(token: str) -> OutboxMessage | None:
    """Claim the oldest due message for ``token`` and return a detached copy of it, or None."""
    now = utcnow()
    candidate = (
        sa.select(OutboxMessage.id)
        .where(_due(now))
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claim = (
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == candidate, _due(now))  # re-checked: the row may have moved on
        .values(status=MailStatus.SENDING, claimed_by=token, claimed_until=now + CLAIM_LEASE)
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    )
    with transaction.writing(), transaction.action():
        message = db.session.scalars(claim).one_or_none()
        if message is not None:
            db.session.expunge(message)  # keep its loaded values after the commit
    return message


def _finish(message: OutboxMessage, token: str, **values) -> bool:
    """Record the outcome where the claim is still ours. Returns False when another worker took over."""
    with transaction.writing(), transaction.action():
        won = db.session.execute(
            sa.update(OutboxMessage)
            .where(
                OutboxMessage.id == message.id,
                OutboxMessage.claimed_by == token,
                OutboxMessage.status == MailStatus.SENDING,
            )
            .values(claimed_by=None, claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        ).rowcount
    if not won:
        log.warning("Mail %s: the claim expired before the outcome was recorded", message.id)
    return bool(won)


def deliver_one(token: str, report: DeliveryReport) -> bool:
    """Claim and send one message. Returns False when nothing was due."""
    message = claim_next(token)
    if message is None:
        return False
    attempts = message.attempts + 1
    try:
        email = build_email(message)
    except Exception as error:  # no retry can fix a message that cannot be built
        log.error("Mail %s cannot be built, marked failed: %s", message.id, type(error).__name__)
        _finish(message, token, status=MailStatus.FAILED, attempts=attempts, last_error=_reason(error))
        report.given_up += 1
        return True
    try:
        _send(message, email)
    except Exception as error:
        if attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            log.error("Mail %s failed %s times, giving up: %s", message.id, attempts, type(error).__name__)
            _finish(message, token, status=MailStatus.FAILED, attempts=attempts, last_error=_reason(error))
            report.given_up += 1
        else:
            log.warning("Mail %s failed, will retry: %s", message.id, type(error).__name__)
            _finish(
                message,
                token,
                status=MailStatus.PENDING,
                attempts=attempts,
                last_error=_reason(error),
                next_attempt_at=utcnow() + timedelta(minutes=2**attempts),
            )
            report.failed += 1
        return True
    _finish(message, token, status=MailStatus.SENT, attempts=attempts, sent_at=utcnow(), last_error="")
    report.sent += 1
    return True


def deliver_pending(limit: int = 200) -> DeliveryReport:
    """Send up to ``limit`` due messages, one claim at a time."""
    token = str(uuid.uuid4())
    report = DeliveryReport()
    while report.handled < limit and deliver_one(token, report):
        pass
    return report


def run_worker(stop: threading.Event, poll_seconds: float = 1.0) -> None:
    """Deliver until ``stop`` is set, waiting ``poll_seconds`` whenever the queue is empty."""
    while not stop.is_set():
        try:
            report = deliver_pending(limit=50)
        except sa.exc.OperationalError:  # the database restarts or is unreachable: wait, try again
            log.exception("Mail worker could not reach the database")
            transaction.rollback()
            report = DeliveryReport()
        if not report.handled:
            stop.wait(poll_seconds)


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _header_text(value: str) -> str:
    """Old rows may hold line breaks or control characters; a header must never carry them."""
    return " ".join("".join(" " if ord(char) < 32 or ord(char) == 127 else char for char in value).split())


def build_email(message: OutboxMessage) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["Subject"] = _header_text(message.subject)
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    name = _header_text(message.to_name)
    email["To"] = formataddr((name, message.to_email)) if name else message.to_email
    email["Message-ID"] = message.message_id
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments:
        maintype, subtype = attachment["mime"].split("/", 1)
        email.add_attachment(
            base64.b64decode(attachment["base64"], validate=True),
            maintype=maintype,
            subtype=subtype,
            filename=attachment["filename"],
        )
    # After the content: set_content() replaces every Content-* header.
    email["Content-Language"] = message.locale.replace("_", "-")
    return email


def _send(message: OutboxMessage, email: EmailMessage) -> None:
    config = current_app.config
    if config["MAIL_BACKEND"] == "log":
        log.info("E-mail to %s: %s\n%s", message.to_email, message.subject, message.body_text)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)
