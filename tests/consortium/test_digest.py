"""``flask digest staff``: what waits for each staff member, once a day, in their language."""

from __future__ import annotations

from tests.factories import OrganisationFactory, UserFactory


def test_staff_with_work_waiting_get_one_digest_in_their_language(app, db, mail_outbox):
    OrganisationFactory(verified_at=None, name="Nueva Org")
    portuguese = UserFactory(staff=True, locale="pt_BR")
    UserFactory(staff=True, locale="es", is_active=False)  # a deactivated account hears nothing
    UserFactory(locale="es")  # members get no staff digest
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["digest", "staff"])
    assert result.exit_code == 0 and "Queued 1 digests." in result.output
    (message,) = mail_outbox()
    assert message.to_email == portuguese.email and message.subject == "O que espera por você hoje"
    assert "Organizações para verificar: 1" in message.body_text
    assert "http://localhost/organisations?pending=1" in message.body_text
    assert "http://localhost/home" in message.body_text


def test_nothing_waiting_sends_nothing(app, db, mail_outbox):
    UserFactory(staff=True)
    db.session.commit()
    assert "Queued 0 digests." in app.test_cli_runner().invoke(args=["digest", "staff"]).output
    assert mail_outbox() == []
