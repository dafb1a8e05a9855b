"""Staff see what failed or waits in the outbox, and retry or discard it; both are audited."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.audit.models import AuditEvent
from consortium.mail import MailStatus, OutboxMessage, queue_email


def _failed_message(app, db) -> OutboxMessage:
    with app.test_request_context():
        message = queue_email("lost@example.org", "reset_password", "Clave", reset_url="http://x", minutes=1)
        message.status, message.attempts, message.last_error = MailStatus.FAILED, 8, "SMTPRecipientsRefused"
        db.session.commit()
    return message


def test_staff_see_failed_messages_with_their_reason(app, db, client, login_as, staff, mail_outbox):
    _failed_message(app, db)
    login_as(staff)
    html = client.get("/admin/mail").get_data(as_text=True)
    assert "lost@example.org" in html and "SMTPRecipientsRefused" in html
    assert "Correo saliente" in html  # Spanish by default
    assert "lost@example.org" not in client.get("/admin/mail?show=waiting").get_data(as_text=True)
    assert client.get("/admin/mail?show=nonsense").status_code == 200


def test_staff_retry_a_failed_message_and_it_is_audited(
    app, db, client, login_as, staff, submit, mail_outbox
):
    message = _failed_message(app, db)
    login_as(staff)
    response = submit("/admin/mail", {}, action=f"/admin/mail/{message.id}/retry?show=failed")
    assert response.status_code == 302
    db.session.rollback()
    [stored] = mail_outbox()
    assert stored.status is MailStatus.PENDING and stored.attempts == 0
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "mail.message_retried"))
    assert event.actor_id == staff.id and event.object_id == str(message.id)


def test_staff_discard_a_message_so_it_is_never_sent(app, db, client, login_as, staff, submit, mail_outbox):
    message = _failed_message(app, db)
    login_as(staff)
    submit("/admin/mail", {}, action=f"/admin/mail/{message.id}/discard?show=failed")
    db.session.rollback()
    assert mail_outbox()[0].status is MailStatus.DISCARDED
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "mail.message_discarded"))


def test_members_cannot_see_or_touch_the_outbox(app, db, client, login_as, member, mail_outbox, csrf_token):
    message = _failed_message(app, db)
    login_as(member)
    assert client.get("/admin/mail").status_code == 403
    token = csrf_token(page="/account")
    response = client.post(f"/admin/mail/{message.id}/retry", data={"csrf_token": token})
    assert response.status_code == 403
    db.session.rollback()
    assert mail_outbox()[0].status is MailStatus.FAILED


def test_an_unknown_message_answers_404(app, db, client, login_as, staff, csrf_token):
    login_as(staff)
    token = csrf_token(page="/account")
    assert client.post("/admin/mail/999999/retry", data={"csrf_token": token}).status_code == 404
