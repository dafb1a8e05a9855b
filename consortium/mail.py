"""Transactional outbox: a message is stored with the action that caused it and sent after commit.

``queue_email`` adds an OutboxMessage to the current transaction, rendered in the recipient's
language. If the transaction rolls back, the message never existed. Delivery (``deliver_pending``,
run by ``flask mail send-pending`` from cron, and right after the request when
``MAIL_SEND_ON_COMMIT`` is on) claims rows atomically, so two senders never send the same row, and
retries failures with exponential back-off. Each message keeps a stable Message-ID: if a sender dies
between the SMTP hand-off and recording it, the retry carries the same ID and mail systems drop the copy.
"""

from __future__ import annotations

import base64
import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, render_template, url_for
from flask_babel import force_locale
from sqlalchemy.orm import Mapped, mapped_column

from consortium.db import db, enum_column, utcnow
from consortium.i18n import LabelledEnum, normalise_language

log = logging.getLogger(__name__)
CLAIM_LEASE = timedelta(minutes=10)


class MailStatus(LabelledEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __audit__ = {"skip": True}
    __table_args__ = (sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(sa.String(120), unique=True)
    to_email: Mapped[str] = mapped_column(sa.String(254))
    to_name: Mapped[str] = mapped_column(sa.String(120), default="")
    locale: Mapped[str] = mapped_column(sa.String(8))
    template: Mapped[str] = mapped_column(sa.String(80))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # [{"filename", "mime", "base64"}]: small files such as a calendar invitation
    attachments: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)
    status: Mapped[MailStatus] = mapped_column(enum_column(MailStatus), default=MailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(36))
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(sa.Text, default="")


def queue_email(
    to_email: str,
    template: str,
    subject,
    *,
    to_name: str = "",
    locale: str | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    **context,
) -> OutboxMessage:
    """Render ``emails/<template>.{txt,html}`` in the recipient's language and add it to the transaction.

    ``subject`` is a lazy string (``_l``), evaluated in that language too.
    """
    language = normalise_language(locale) or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        context = {"recipient_name": to_name, **context}
        message = OutboxMessage(
            message_id=f"<{uuid.uuid4()}@{_mail_domain()}>",
            to_email=to_email,
            to_name=to_name,
            locale=language,
            template=template,
            subject=str(subject),
            body_text=render_template(f"emails/{template}.txt", **context),
            body_html=render_template(f"emails/{template}.html", **context),
            attachments=[
                {"filename": name, "mime": mime, "base64": base64.b64encode(data).decode()}
                for name, mime, data in attachments
            ],
        )
    db.session.add(message)
    if has_request_context():
        g.setdefault("queued_mail", []).append(message.message_id)
    return message


def public_url(endpoint: str, **values) -> str:
    """An absolute link for e-mails and documents that leave the site (``PUBLIC_URL`` + path)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for(endpoint, **values)


def _mail_domain() -> str:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return sender.rsplit("@", 1)[-1].strip("> ") or "localhost"


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    given_up: int = 0


def deliver_pending(limit: int = 200, message_ids: list[str] | None = None) -> DeliveryReport:
    """Claim due messages, send them one by one, and record each outcome in its own commit."""
    token = str(uuid.uuid4())
    now = utcnow()
    due = sa.or_(
        sa.and_(OutboxMessage.status == MailStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == MailStatus.SENDING, OutboxMessage.claimed_until < now),
    )
    candidates = sa.select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
    if message_ids is not None:
        candidates = candidates.where(OutboxMessage.message_id.in_(message_ids))
    ids = list(db.session.scalars(candidates))
    if not ids:
        return DeliveryReport()
    # The conditional UPDATE is the claim: a row another sender claimed first no longer matches `due`.
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), due)
        .values(status=MailStatus.SENDING, claimed_by=token, claimed_until=now + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    claimed = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.claimed_by == token).order_by(OutboxMessage.id)
    ).all()
    report = DeliveryReport()
    for message in claimed:
        try:
            _send(message)
        except (OSError, smtplib.SMTPException) as error:
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
                message.status = MailStatus.FAILED
                report.given_up += 1
                log.error("Giving up on mail %s to %s: %s", message.id, message.to_email, error)
            else:
                message.status = MailStatus.PENDING
                message.next_attempt_at = utcnow() + timedelta(minutes=2**message.attempts)
                report.failed += 1
                log.warning("Mail %s to %s failed, will retry: %s", message.id, message.to_email, error)
        else:
            message.status = MailStatus.SENT
            message.sent_at = utcnow()
            message.attempts += 1
            report.sent += 1
        message.claimed_by = None
        message.claimed_until = None
        db.session.commit()
    return report


def build_email(message: OutboxMessage) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = formataddr((message.to_name, message.to_email)) if message.to_name else message.to_email
    email["Message-ID"] = message.message_id
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments:
        maintype, subtype = attachment["mime"].split("/", 1)
        email.add_attachment(
            base64.b64decode(attachment["base64"]),
            maintype=maintype,
            subtype=subtype,
            filename=attachment["filename"],
        )
    # After the content: set_content() replaces every Content-* header.
    email["Content-Language"] = message.locale.replace("_", "-")
    return email


def _send(message: OutboxMessage) -> None:
    config = current_app.config
    email = build_email(message)
    if config["MAIL_BACKEND"] == "log":
        log.info("E-mail to %s: %s\n%s", message.to_email, message.subject, message.body_text)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def init_app(app: Flask) -> None:
    @app.after_request
    def send_queued_mail(response):
        # after_request runs after the view committed; a rolled-back message is simply not found.
        queued = g.pop("queued_mail", None)
        if queued and app.config["MAIL_SEND_ON_COMMIT"] and response.status_code < 500:
            db.session.rollback()  # leave nothing half-done in the view's session before claiming
            deliver_pending(message_ids=queued)
        return response
