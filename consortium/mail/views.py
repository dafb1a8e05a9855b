"""Staff page for the outbox: what failed, what waits, and the means to retry or discard a message."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from consortium import signals, transaction
from consortium.db import db, utcnow
from consortium.forms import PostForm
from consortium.i18n import lazy_gettext as _l
from consortium.mail.outbox import MailStatus, OutboxMessage
from consortium.pagination import paginate
from consortium.permissions import Permission, require
from consortium.users import current_person

bp = Blueprint("mail", __name__)
PAGE_SIZE = 50
#: What staff may look at; sent and discarded messages are history, not work.
SHOWN = {
    "failed": (MailStatus.FAILED,),
    "waiting": (MailStatus.PENDING, MailStatus.SENDING),
}


@bp.route("/admin/mail")
@require(Permission.MAIL_MANAGE)
def index():
    shown = request.args.get("show", "failed")
    if shown not in SHOWN:
        shown = "failed"
    query = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.status.in_(SHOWN[shown]))
        .order_by(OutboxMessage.id.desc())
        .options(sa.orm.defer(OutboxMessage.body_html), sa.orm.defer(OutboxMessage.attachments))
    )
    page = paginate(query, PAGE_SIZE, count=False)
    counts = dict(
        db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count())
            .where(OutboxMessage.status.in_([MailStatus.FAILED, MailStatus.PENDING, MailStatus.SENDING]))
            .group_by(OutboxMessage.status)
        ).all()
    )
    return render_template(
        "mail/index.html", page=page, shown=shown, counts=counts, form=PostForm(), MailStatus=MailStatus
    )


#: decision -> the status it gives a failed or waiting message, and what staff are told once it has it.
#: The audit records ``mail.message_<decision>``.
_DECISIONS = {
    "retried": (MailStatus.PENDING, _l("The message will be sent again within a minute.")),
    "discarded": (MailStatus.DISCARDED, _l("The message was discarded and will not be sent.")),
}


def _decide(message_id: int, decision: str):
    """Retry or discard a message under its row lock (the worker may be sending it), then back to the list."""
    if not PostForm().validate_on_submit():
        abort(400)
    status, done = _DECISIONS[decision]
    with transaction.action():
        if not _exists(message_id):
            abort(404)
        message = transaction.lock(OutboxMessage, message_id)
        if message.status in (MailStatus.FAILED, MailStatus.PENDING):  # else sent or being sent meanwhile
            message.status = status
            if status is MailStatus.PENDING:
                message.next_attempt_at, message.attempts = utcnow(), 0
            signals.state_changed.send(
                message, action=f"mail.message_{decision}", by=current_person(), summary=message.template
            )
    if message.status is status:
        flash(str(done), "success")
    return redirect(url_for("mail.index", show=request.args.get("show", "failed")))


def _exists(message_id: int) -> bool:
    return db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.id == message_id)) is not None


@bp.route("/admin/mail/<int:message_id>/retry", methods=["POST"])
@require(Permission.MAIL_MANAGE)
def retry(message_id: int):
    return _decide(message_id, "retried")


@bp.route("/admin/mail/<int:message_id>/discard", methods=["POST"])
@require(Permission.MAIL_MANAGE)
def discard(message_id: int):
    return _decide(message_id, "discarded")
