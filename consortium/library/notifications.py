"""Readers who asked for a translation hear when it is published, by e-mail in their own language.

The request is answered then, so its row goes: it no longer counts as demand on the board, and a later
re-publication (after an edit) does not write to the reader again.
"""

from __future__ import annotations

import sqlalchemy as sa

from consortium.db import db
from consortium.i18n import lazy_gettext as _l
from consortium.library.models import ResourceVersion, TranslationRequest
from consortium.mail import public_url, queue_email
from consortium.signals import state_changed
from consortium.users.models import User

PUBLISHED_ACTIONS = ("library.version_published", "library.version_reviewed_and_published")


def tell_requesters(version: ResourceVersion, *, action: str, **_details) -> None:
    if action not in PUBLISHED_ACTIONS or not isinstance(version, ResourceVersion):
        return
    rows = db.session.execute(
        sa.select(TranslationRequest, User)
        .join(User, User.id == TranslationRequest.user_id)
        .where(
            TranslationRequest.resource_id == version.resource_id,
            TranslationRequest.language == version.language,
        )
    ).all()
    if not rows:
        return  # nobody asked (and a publication from the command line builds no link)
    url = public_url("library.read", lang=version.language, slug=version.slug)
    for request, reader in rows:
        if reader.is_active and not reader.is_deleted:
            queue_email(
                reader.email,
                "library/translation_published",
                _l("The translation you asked for is published"),
                to_name=reader.name,
                locale=reader.locale,
                version=version,
                url=url,
            )
        db.session.delete(request)
    db.session.flush()


def init_app() -> None:
    state_changed.connect(tell_requesters)
