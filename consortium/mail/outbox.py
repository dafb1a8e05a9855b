"""The transactional outbox: a message is a row stored in the same transaction as the action that caused it.

``queue_email`` renders the message in the recipient's language and adds it to the current transaction:
if the action rolls back, the message never existed. Nothing here talks to a mail server; the mail
worker (``consortium.mail.delivery``) sends committed messages later, outside any request.
"""

from __future__ import annotations

import base64
import uuid
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from sqlalchemy.orm import Mapped, mapped_column

from consortium.db import db, enum_column, utcnow
from consortium.i18n import LabelledEnum, normalise_language


class MailStatus(LabelledEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DISCARDED = "discarded"


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


def queue_email(to_email: str, template: str, subject, **options) -> OutboxMessage:
    """Render ``emails/<template>.{txt,html}`` in the recipient's language and add it to the transaction.

    ``subject`` is a lazy string (``_l``), evaluated in that language too. ``options`` are those of
    ``compose_email``.
    """
    message = compose_email(to_email, template, subject, **options)
    db.session.add(message)
    return message


def compose_email(
    to_email: str,
    template: str,
    subject,
    *,
    to_name: str = "",
    locale: str | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    **context,
) -> OutboxMessage:
    """The rendered message, not yet queued (also the decoy work that keeps answers equally fast)."""
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
    return message


def public_url(endpoint: str, **values) -> str:
    """An absolute link for e-mails and documents that leave the site (``PUBLIC_URL`` + path). Outside a
    request (a CLI command, the demo) the path comes from the URL map itself: no host is needed for it."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    return base + current_app.url_map.bind("localhost").build(endpoint, values)


def _mail_domain() -> str:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return sender.rsplit("@", 1)[-1].strip("> ") or "localhost"
