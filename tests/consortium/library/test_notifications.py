"""A reader who asked for a translation is told, in their language, when it is published."""

from __future__ import annotations

import sqlalchemy as sa

from consortium.library import services
from consortium.library.models import TranslationRequest, VersionStatus
from tests.conftest import hidden_fields
from tests.factories import UserFactory


def test_requesters_hear_once_in_their_language_when_the_translation_is_published(
    client, login_as, make_resource, db, mail_outbox
):
    guide = make_resource({"es": ("Guía de consentimiento", "El consentimiento importa.")})
    reader = UserFactory(locale="pt_BR", name="Rita Leitora")
    db.session.commit()
    on = login_as(reader)
    page = "/library/es/guia-de-consentimiento"
    action = f"/library/resources/{guide.id}/request-translation"
    html = on.get(page, headers={"Accept-Language": "pt-BR"}).get_data(as_text=True)
    on.post(action, data={**hidden_fields(html, action), "language": "pt_BR"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TranslationRequest)) == 1

    translator, reviewer = UserFactory(staff=True), UserFactory(staff=True, locale="es")
    version = services.save_version(
        guide, "pt_BR", by=translator, title="Guia de consentimento", body="O consentimento importa."
    )
    version.status = VersionStatus.IN_REVIEW
    db.session.commit()
    staff_client = login_as(reviewer, on=client.application.test_client())
    manage = f"/library/manage/{guide.id}/pt_BR"
    publish = f"/library/manage/versions/{version.id}/publish"
    token = hidden_fields(staff_client.get(manage).get_data(as_text=True), manage)["csrf_token"]
    assert staff_client.post(publish, data={"csrf_token": token}).status_code == 302

    (message,) = [m for m in mail_outbox() if m.to_email == reader.email]
    assert message.locale == "pt_BR" and message.subject == "A tradução que você pediu foi publicada"
    assert "Você pediu “Guia de consentimento” em português" in message.body_text
    assert "http://localhost/library/pt_BR/" in message.body_text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TranslationRequest)) == 0  # answered
