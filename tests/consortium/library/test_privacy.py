"""A reader's personal data in the library: translation requests are exported and erased with the account."""

from __future__ import annotations

import json

import sqlalchemy as sa

from consortium.library import services
from consortium.library.models import TranslationRequest
from tests.factories import PASSWORD, UserFactory


def test_translation_requests_are_exported_and_erased_with_the_account(
    client, submit, login_as, make_resource, db
):
    resource = make_resource({"es": ("Guía de datos abiertos", "Texto")})
    reader = UserFactory()
    services.request_translation(resource, "pt_BR", reader)
    db.session.commit()
    login_as(reader)
    data = json.loads(submit("/account", {}, action="/account/export").get_data(as_text=True))
    assert data["library"]["translation_requests"] == [
        {
            "resource": "Guía de datos abiertos",
            "language": "pt_BR",
            "requested_at": data["library"]["translation_requests"][0]["requested_at"],
        }
    ]
    assert submit("/account/delete", {"current": PASSWORD, "confirm": "y"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TranslationRequest)) == 0
